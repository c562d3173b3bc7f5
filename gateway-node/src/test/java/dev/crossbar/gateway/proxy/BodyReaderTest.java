package dev.crossbar.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.codecs.model.CodecException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bodies read through a real HTTP server from a raw socket, so a client can stall mid-body. */
@ExtendWith(VertxExtension.class)
class BodyReaderTest {

    private static final long DEADLINE_MILLIS = 300;
    private static final String CHUNKED_POST = "POST /x HTTP/1.1\r\nhost: t\r\ntransfer-encoding: chunked\r\n\r\n";

    /** Answers each request with what reading its body came to: 200 and the body, or the error's status. */
    private static Future<HttpServer> server(Vertx vertx, LoopDeadlines[] deadlines) {
        return vertx.createHttpServer()
                .requestHandler(request -> {
                    if (deadlines[0] == null) {
                        deadlines[0] = new LoopDeadlines(vertx);
                    }
                    BodyReader.read(deadlines[0], request, 16, DEADLINE_MILLIS).onComplete(read -> {
                        if (read.succeeded()) {
                            request.response().end("read:" + new String(read.result(), StandardCharsets.UTF_8));
                        } else {
                            int status = read.cause() instanceof CodecException ce
                                    ? ce.error().status()
                                    : 500;
                            request.response()
                                    .setStatusCode(status)
                                    .putHeader("connection", "close")
                                    .end();
                        }
                    });
                })
                .listen(0, "127.0.0.1");
    }

    @Test
    void shouldCutABodyThatStallsPastItsDeadlineAfterWholeOnesOnTheSameConnection(Vertx vertx, VertxTestContext ctx) {
        LoopDeadlines[] deadlines = new LoopDeadlines[1];
        server(vertx, deadlines)
                .compose(server -> vertx.createNetClient().connect(server.actualPort(), "127.0.0.1"))
                .onComplete(ctx.succeeding(socket -> {
                    Buffer answers = Buffer.buffer();
                    long[] stalledAt = {-1};
                    // A rare CI run waited out the extension's 30 s here: say what had arrived, and soon.
                    long watchdog = vertx.setTimer(5_000, id -> {
                        if (!ctx.completed()) {
                            ctx.failNow(new AssertionError("no 408 within 5 s of the first request (deadline "
                                    + DEADLINE_MILLIS + " ms); the answers so far:\n" + answers
                                    + "\ndeadlines waiting: "
                                    + (deadlines[0] == null ? "none made" : deadlines[0].waiting())));
                        }
                    });
                    socket.closeHandler(v -> {
                        vertx.cancelTimer(watchdog);
                        if (!answers.toString().contains("HTTP/1.1 408")) {
                            ctx.failNow(new AssertionError(
                                    "the server closed the connection before a 408; the answers:\n" + answers));
                        }
                    });
                    socket.handler(chunk -> {
                        answers.appendBuffer(chunk);
                        String text = answers.toString();
                        if (stalledAt[0] < 0 && text.split("read:", -1).length == 3) {
                            // Two whole bodies answered: now one that stops after 3 of its 10 bytes.
                            stalledAt[0] = System.nanoTime();
                            socket.write(post(10) + "abc");
                        } else if (text.contains("HTTP/1.1 408")) {
                            cut(ctx, answers, stalledAt[0], deadlines[0]);
                        }
                    });
                    socket.write(post(5) + "hello" + post(6) + "world!");
                }));
    }

    private static void cut(VertxTestContext ctx, Buffer answers, long stalledAt, LoopDeadlines deadlines) {
        ctx.verify(() -> {
            String text = answers.toString();
            assertTrue(text.contains("read:hello"), text);
            assertTrue(text.contains("read:world!"), text);
            assertTrue(text.contains("HTTP/1.1 408"), text);
            long waited = System.nanoTime() - stalledAt;
            assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(DEADLINE_MILLIS), "cut after " + waited);
            assertEquals(0, deadlines.waiting());
            ctx.completeNow();
        });
    }

    @Test
    void shouldRefuseABodyLargerThanTheLimitAndForgetItsDeadline(Vertx vertx, VertxTestContext ctx) {
        LoopDeadlines[] deadlines = new LoopDeadlines[1];
        server(vertx, deadlines)
                .compose(server -> vertx.createNetClient().connect(server.actualPort(), "127.0.0.1"))
                .onComplete(ctx.succeeding(socket -> {
                    Buffer answers = Buffer.buffer();
                    socket.handler(chunk -> {
                        answers.appendBuffer(chunk);
                        if (answers.toString().contains("\r\n\r\n")) {
                            ctx.verify(() -> {
                                assertTrue(answers.toString().startsWith("HTTP/1.1 413"), answers.toString());
                                assertEquals(0, deadlines[0].waiting());
                                ctx.completeNow();
                            });
                        }
                    });
                    // No Content-Length: the limit shows only as the chunks arrive.
                    String chunk = "a\r\n0123456789\r\n";
                    socket.write(CHUNKED_POST + chunk + chunk);
                }));
    }

    @Test
    void shouldReadBodiesThatComeInPiecesWithAndWithoutALength(Vertx vertx, VertxTestContext ctx) {
        LoopDeadlines[] deadlines = new LoopDeadlines[1];
        server(vertx, deadlines)
                .compose(server -> vertx.createNetClient().connect(server.actualPort(), "127.0.0.1"))
                .onComplete(ctx.succeeding(socket -> {
                    Buffer answers = Buffer.buffer();
                    socket.handler(chunk -> {
                        answers.appendBuffer(chunk);
                        String text = answers.toString(StandardCharsets.UTF_8);
                        if (text.split("read:", -1).length == 4) {
                            ctx.verify(() -> {
                                assertTrue(text.contains("read:h\u00e9lloHTTP/1.1 200"), text);
                                assertTrue(text.contains("read:chunked!HTTP/1.1 200"), text);
                                assertTrue(text.endsWith("read:"), "an empty body: " + text);
                                assertEquals(0, deadlines[0].waiting());
                                ctx.completeNow();
                            });
                        }
                    });
                    // A declared length (6 bytes: the accented e is two) in three writes, split inside that e.
                    byte[] body = "h\u00e9llo".getBytes(StandardCharsets.UTF_8);
                    socket.write(post(body.length) + "h")
                            .compose(v -> socket.write(Buffer.buffer().appendBytes(body, 1, 1)))
                            .compose(v -> vertx.timer(20))
                            .compose(v -> socket.write(Buffer.buffer().appendBytes(body, 2, body.length - 2)))
                            .compose(v -> vertx.timer(20))
                            .compose(v -> socket.write(CHUNKED_POST + "3\r\nchu\r\n5\r\nnked!\r\n0\r\n\r\n"))
                            .compose(v -> socket.write(post(0)));
                }));
    }

    private static String post(int length) {
        return "POST /x HTTP/1.1\r\nhost: t\r\ncontent-length: " + length + "\r\n\r\n";
    }
}
