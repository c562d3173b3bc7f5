package dev.crossbar.gateway.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pool against a real HTTP server that counts the connections it is given: reuse, the cap and its waiting
 * calls, answers that close, calls cut off, connections the server closes, and a server that is not there.
 */
class ConnectionPoolTest {

    private Vertx vertx;
    private HttpServer server;
    private Context loop;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger openNow = new AtomicInteger();
    private final AtomicInteger mostOpen = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer()
                .connectionHandler(c -> {
                    connections.incrementAndGet();
                    mostOpen.accumulateAndGet(openNow.incrementAndGet(), Math::max);
                    c.closeHandler(v -> openNow.decrementAndGet());
                })
                .requestHandler(request -> {
                    HttpServerResponse response = request.response();
                    switch (request.path()) {
                        case "/slow" -> vertx.setTimer(50, t -> response.end("slow"));
                        case "/close" ->
                            response.putHeader("Connection", "close").end("close");
                        case "/short" ->
                            response.putHeader("Keep-Alive", "timeout=2").end("short");
                        case "/then-close" -> {
                            response.end("then-close");
                            vertx.setTimer(20, t -> request.connection().close());
                        }
                        case "/stall" -> {}
                        case "/partial" -> response.setChunked(true).write("par");
                        default -> response.end("ok");
                    }
                })
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        loop = vertx.getOrCreateContext();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldCarrySequentialCallsOnOneConnection() throws Exception {
        ConnectionPool pool = pool(server.actualPort(), 8);
        for (int i = 0; i < 5; i++) {
            assertEquals("ok", onLoop(() -> call(pool, "/ok")));
        }
        assertEquals(1, connections.get());
        assertEquals(1, onLoop(() -> Future.succeededFuture(pool.open())));
        assertEquals(1, onLoop(() -> Future.succeededFuture(pool.idle())));
    }

    @Test
    void shouldOpenNoMoreThanItsCapAndServeTheCallsThatWait() throws Exception {
        ConnectionPool pool = pool(server.actualPort(), 2);
        List<String> answers = onLoop(() -> {
            List<Future<String>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(call(pool, "/slow"));
            }
            return Future.all(calls).map(all -> all.<String>list());
        });
        assertEquals(List.of("slow", "slow", "slow", "slow", "slow", "slow"), answers);
        assertEquals(2, connections.get());
        assertEquals(2, mostOpen.get());
    }

    @Test
    void shouldNotReuseAConnectionTheServerClosesAfterItsAnswer() throws Exception {
        ConnectionPool pool = pool(server.actualPort(), 8);
        assertEquals("close", onLoop(() -> call(pool, "/close")));
        assertEquals("ok", onLoop(() -> call(pool, "/ok")));
        assertEquals(2, connections.get());
        awaitOpen(pool, 1);
    }

    @Test
    void shouldServeACallWaitingBehindAnAnswerThatClosesOnAFreshConnection() throws Exception {
        ConnectionPool pool = pool(server.actualPort(), 1);
        List<String> answers =
                onLoop(() -> Future.all(call(pool, "/close"), call(pool, "/ok")).map(all -> all.<String>list()));
        assertEquals(List.of("close", "ok"), answers);
        assertEquals(2, connections.get());
        awaitOpen(pool, 1);
    }

    @Test
    void shouldServeACallWaitingBehindACallCutOffBeforeItsAnswerOnAFreshConnection() throws Exception {
        assertEquals("true ok", cutOffWithACallWaiting("/stall"));
        assertEquals(2, connections.get());
    }

    @Test
    void shouldServeACallWaitingBehindACallCutOffInItsAnswerOnAFreshConnection() throws Exception {
        assertEquals("true ok", cutOffWithACallWaiting("/partial"));
        assertEquals(2, connections.get());
    }

    /** A call to {@code path} reset after 30 ms, with a call to /ok waiting for the pool's one connection. */
    private String cutOffWithACallWaiting(String path) throws Exception {
        ConnectionPool pool = pool(server.actualPort(), 1);
        return onLoop(() -> {
            Future<Object> cut = pool.request(get(path)).compose(request -> {
                vertx.setTimer(30, t -> request.reset());
                return request.send().compose(response -> response.body().map(b -> (Object) b));
            });
            return call(pool, "/ok").compose(ok -> cut.transform(ar -> Future.succeededFuture(ar.failed() + " " + ok)));
        });
    }

    @Test
    void shouldCloseTheConnectionOfACallCutOffAndCarryTheNextOnAFreshOne() throws Exception {
        ConnectionPool pool = pool(server.actualPort(), 1);
        Throwable cut = onLoop(() -> pool.request(get("/stall"))
                .compose(request -> {
                    Future<?> answer = request.send();
                    vertx.setTimer(30, t -> request.reset());
                    return answer;
                })
                .transform(ar -> Future.succeededFuture(ar.cause())));
        assertTrue(cut != null, "the cut-off call fails");
        assertEquals("ok", onLoop(() -> call(pool, "/ok")));
        assertEquals(2, connections.get());
        awaitOpen(pool, 1);
    }

    @Test
    void shouldLetGoOfAConnectionTheServerClosedWhileIdle() throws Exception {
        ConnectionPool pool = pool(server.actualPort(), 8);
        assertEquals("then-close", onLoop(() -> call(pool, "/then-close")));
        awaitOpen(pool, 0);
        assertEquals("ok", onLoop(() -> call(pool, "/ok")));
        assertEquals(2, connections.get());
    }

    @Test
    void shouldNotUseAConnectionIdleLongerThanTheServerKeepsIt() throws Exception {
        ConnectionPool pool = pool(server.actualPort(), 8);
        assertEquals("short", onLoop(() -> call(pool, "/short")));
        assertEquals("short", onLoop(() -> call(pool, "/short")));
        assertEquals(1, connections.get(), "within the server's keep-alive the connection is used again");
        Thread.sleep(1_100);
        assertEquals("ok", onLoop(() -> call(pool, "/ok")));
        assertEquals(2, connections.get(), "past it (less a second) a fresh one is opened");
    }

    @Test
    void shouldFailEveryCallWhenNothingListensAndHoldNoConnection() throws Exception {
        int closedPort = server.actualPort();
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        ConnectionPool pool = pool(closedPort, 1);
        List<Boolean> failed = onLoop(() -> {
            List<Future<Boolean>> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                calls.add(call(pool, "/ok").transform(ar -> Future.succeededFuture(ar.failed())));
            }
            return Future.all(calls).map(all -> all.<Boolean>list());
        });
        assertEquals(List.of(true, true, true), failed);
        assertEquals(0, onLoop(() -> Future.succeededFuture(pool.open())));
    }

    @Test
    void shouldReadHowLongTheServerKeepsAConnection() {
        assertEquals(5, ConnectionPool.keepAliveSeconds("timeout=5, max=100"));
        assertEquals(5, ConnectionPool.keepAliveSeconds("max=100, Timeout=5"));
        assertEquals(-1, ConnectionPool.keepAliveSeconds("max=100"));
        assertEquals(-1, ConnectionPool.keepAliveSeconds("timeout=soon"));
        assertEquals(-1, ConnectionPool.keepAliveSeconds("timeout=99999999999999"));
        assertEquals(-1, ConnectionPool.keepAliveSeconds(null));
    }

    private ConnectionPool pool(int port, int maxConnections) {
        HttpClientAgent agent = vertx.createHttpClient();
        return new ConnectionPool(
                agent, new HttpConnectOptions().setHost("127.0.0.1").setPort(port), maxConnections);
    }

    private static RequestOptions get(String path) {
        return new RequestOptions().setMethod(HttpMethod.GET).setURI(path);
    }

    private static Future<String> call(ConnectionPool pool, String path) {
        return pool.request(get(path))
                .compose(request -> request.send())
                .compose(response -> response.body())
                .map(Object::toString);
    }

    /** Runs on the pool's loop, as the node does, and waits for the result. */
    private <T> T onLoop(Supplier<Future<T>> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.runOnContext(v -> work.get().onComplete(ar -> {
            if (ar.succeeded()) {
                result.complete(ar.result());
            } else {
                result.completeExceptionally(ar.cause());
            }
        }));
        return result.get(10, TimeUnit.SECONDS);
    }

    private void awaitOpen(ConnectionPool pool, int expected) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int open;
        do {
            open = onLoop(() -> Future.succeededFuture(pool.open()));
            if (open == expected) {
                return;
            }
            Thread.sleep(10);
        } while (System.nanoTime() < until);
        assertEquals(expected, open, "connections the pool holds open");
    }
}
