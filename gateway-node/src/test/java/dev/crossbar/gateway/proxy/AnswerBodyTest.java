package dev.crossbar.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.gateway.config.ProviderConfig;
import dev.crossbar.gateway.config.ProviderKeyConfig;
import dev.crossbar.gateway.upstream.UpstreamClients;
import dev.crossbar.gateway.upstream.UpstreamConnections;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
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

    /** A GET of {@code path} on the loop's own connections to the server, as the node makes its calls. */
    private static Future<Buffer> fetch(Vertx vertx, int port, String path) {
        Context loop = vertx.getOrCreateContext();
        Promise<Buffer> body = Promise.promise();
        loop.runOnContext(v -> new UpstreamClients(
                        vertx,
                        loop,
                        new UpstreamConnections(),
                        List.of(ProviderConfig.of(
                                "server",
                                "openai",
                                "http://127.0.0.1:" + port,
                                List.of(ProviderKeyConfig.of("k", "sk")))))
                .send("server", new RequestOptions().setMethod(HttpMethod.GET).setURI(path), new byte[0])
                .answer()
                .compose(AnswerBody::read)
                .onComplete(body));
        return body.future();
    }

    @Test
    void shouldReadAnAnswerWholeInPiecesOrEmptyAsSent(Vertx vertx, VertxTestContext ctx) {
        server(vertx)
                .compose(server -> Future.all(
                                fetch(vertx, server.actualPort(), "/whole"),
                                fetch(vertx, server.actualPort(), "/pieces"),
                                fetch(vertx, server.actualPort(), "/empty"))
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
        server(vertx)
                .compose(server -> fetch(vertx, server.actualPort(), "/broken"))
                .onComplete(ar -> ctx.verify(() -> {
                    assertTrue(ar.failed(), "a body cut before its end is not an answer: " + ar.result());
                    ctx.completeNow();
                }));
    }
}
