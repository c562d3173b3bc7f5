package dev.crossbar.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Answers from a real HTTP server, whole in one write, in pieces, empty, and broken off. */
@ExtendWith(VertxExtension.class)
class AnswerBodyTest {

    private static final String ANSWER = "{\"id\":\"a\",\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":5}}";

    private static Future<HttpServer> server(Vertx vertx) {
        return vertx.createHttpServer()
                .requestHandler(request -> {
                    HttpServerResponse response = request.response();
                    switch (request.path()) {
                        case "/whole" -> response.end(ANSWER);
                        case "/empty" -> response.end();
                        case "/pieces" -> {
                            response.setChunked(true);
                            List<String> pieces =
                                    List.of(ANSWER.substring(0, 7), ANSWER.substring(7, 30), ANSWER.substring(30));
                            write(vertx, response, pieces, 0);
                        }
                        default -> {
                            response.setChunked(true);
                            response.write(ANSWER.substring(0, 10));
                            vertx.setTimer(20, t -> request.connection().close());
                        }
                    }
                })
                .listen(0, "127.0.0.1");
    }

    /** Each piece in a write of its own, 20 ms apart, so the client reads them as separate chunks. */
    private static void write(Vertx vertx, HttpServerResponse response, List<String> pieces, int next) {
        if (next == pieces.size()) {
            response.end();
            return;
        }
        response.write(pieces.get(next));
        vertx.setTimer(20, t -> write(vertx, response, pieces, next + 1));
    }

    private static Future<Buffer> fetch(HttpClient client, int port, String path) {
        return client.request(HttpMethod.GET, port, "127.0.0.1", path)
                .compose(request -> request.send())
                .compose(AnswerBody::read);
    }

    @Test
    void shouldReadAnAnswerWholeInPiecesOrEmptyAsSent(Vertx vertx, VertxTestContext ctx) {
        HttpClient client = vertx.createHttpClient();
        server(vertx)
                .compose(server -> Future.all(
                                fetch(client, server.actualPort(), "/whole"),
                                fetch(client, server.actualPort(), "/pieces"),
                                fetch(client, server.actualPort(), "/empty"))
                        .map(all -> List.of(
                                all.<Buffer>resultAt(0).toString(),
                                all.<Buffer>resultAt(1).toString(),
                                all.<Buffer>resultAt(2).toString())))
                .onComplete(ctx.succeeding(bodies -> ctx.verify(() -> {
                    assertEquals(List.of(ANSWER, ANSWER, ""), bodies);
                    ctx.completeNow();
                })));
    }

    @Test
    void shouldFailAnAnswerBrokenOffMidway(Vertx vertx, VertxTestContext ctx) {
        HttpClient client = vertx.createHttpClient();
        server(vertx)
                .compose(server -> fetch(client, server.actualPort(), "/broken"))
                .onComplete(ar -> ctx.verify(() -> {
                    assertTrue(ar.failed(), "a body cut before its end is not an answer: " + ar.result());
                    ctx.completeNow();
                }));
    }
}
