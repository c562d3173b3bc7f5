package dev.crossbar.gateway.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
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
class Http1PoolTest {

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
                        case "/pieces" -> {
                            response.setChunked(true).write("one,");
                            vertx.setTimer(20, t -> response.write("two,"));
                            vertx.setTimer(40, t -> response.end("three"));
                        }
                        case "/hints" ->
                            response.writeEarlyHints(io.vertx.core.MultiMap.caseInsensitiveMultiMap()
                                            .add("link", "</style.css>; rel=preload"))
                                    .onComplete(v -> response.end("after hints"));
                        case "/broken" -> {
                            response.setChunked(true).write("bro");
                            vertx.setTimer(20, t -> request.connection().close());
                        }
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
        Http1Pool pool = pool(server.actualPort(), 8);
        for (int i = 0; i < 5; i++) {
            assertEquals("ok", onLoop(() -> call(pool, "/ok")));
        }
        assertEquals(1, connections.get());
        assertEquals(1, onLoop(() -> Future.succeededFuture(pool.open())));
        assertEquals(1, onLoop(() -> Future.succeededFuture(pool.idle())));
    }

    @Test
    void shouldOpenNoMoreThanItsCapAndServeTheCallsThatWait() throws Exception {
        Http1Pool pool = pool(server.actualPort(), 2);
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
        Http1Pool pool = pool(server.actualPort(), 8);
        assertEquals("close", onLoop(() -> call(pool, "/close")));
        assertEquals("ok", onLoop(() -> call(pool, "/ok")));
        assertEquals(2, connections.get());
        awaitOpen(pool, 1);
    }

    @Test
    void shouldServeACallWaitingBehindAnAnswerThatClosesOnAFreshConnection() throws Exception {
        Http1Pool pool = pool(server.actualPort(), 1);
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
        Http1Pool pool = pool(server.actualPort(), 1);
        return onLoop(() -> {
            ProviderCall cut = pool.send(get(path), new byte[0]);
            vertx.setTimer(30, t -> cut.reset(new CancellationException("cut off")));
            Future<String> cutBody = cut.answer().compose(Http1PoolTest::body);
            return call(pool, "/ok")
                    .compose(ok -> cutBody.transform(ar -> Future.succeededFuture(ar.failed() + " " + ok)));
        });
    }

    @Test
    void shouldCloseTheConnectionOfACallCutOffAndCarryTheNextOnAFreshOne() throws Exception {
        Http1Pool pool = pool(server.actualPort(), 1);
        Throwable cut = onLoop(() -> {
            ProviderCall call = pool.send(get("/stall"), new byte[0]);
            vertx.setTimer(30, t -> call.reset(new CancellationException("cut off")));
            return call.answer().transform(ar -> Future.succeededFuture(ar.cause()));
        });
        assertInstanceOf(CancellationException.class, cut, "the cut-off call fails with the reset's cause");
        assertEquals("ok", onLoop(() -> call(pool, "/ok")));
        assertEquals(2, connections.get());
        awaitOpen(pool, 1);
    }

    @Test
    void shouldLetGoOfAConnectionTheServerClosedWhileIdle() throws Exception {
        Http1Pool pool = pool(server.actualPort(), 8);
        assertEquals("then-close", onLoop(() -> call(pool, "/then-close")));
        awaitOpen(pool, 0);
        assertEquals("ok", onLoop(() -> call(pool, "/ok")));
        assertEquals(2, connections.get());
    }

    @Test
    void shouldNotUseAConnectionIdleLongerThanTheServerKeepsIt() throws Exception {
        Http1Pool pool = pool(server.actualPort(), 8);
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
        Http1Pool pool = pool(closedPort, 1);
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
    void shouldHoldTheBodyWhilePausedAndDeliverItInOrderOnResume() throws Exception {
        Http1Pool pool = pool(server.actualPort(), 1);
        List<String> seen =
                onLoop(() -> pool.send(get("/pieces"), new byte[0]).answer().compose(answer -> {
                    List<String> events = new ArrayList<>();
                    Promise<List<String>> done = Promise.promise();
                    answer.pause();
                    answer.handler(piece -> events.add(piece.toString()));
                    answer.endHandler(v -> done.complete(events));
                    vertx.setTimer(150, t -> {
                        events.add("resumed");
                        answer.resume();
                    });
                    return done.future();
                }));
        assertEquals(List.of("resumed", "one,", "two,", "three"), seen, "nothing while paused, then all in order");
        assertEquals("ok", onLoop(() -> call(pool, "/ok")), "the connection reads again for the next call");
        assertEquals(1, connections.get());
    }

    @Test
    void shouldKeepABodyThatCameBeforeItsHandlers() throws Exception {
        Http1Pool pool = pool(server.actualPort(), 1);
        String body = onLoop(() -> pool.send(get("/ok"), new byte[0])
                .answer()
                .compose(answer -> {
                    Promise<ProviderAnswer> later = Promise.promise();
                    vertx.setTimer(50, t -> later.complete(answer));
                    return later.future();
                })
                .compose(Http1PoolTest::body));
        assertEquals("ok", body);
    }

    @Test
    void shouldPassOverAnInformationalAnswerToTheRealOne() throws Exception {
        Http1Pool pool = pool(server.actualPort(), 1);
        assertEquals("after hints", onLoop(() -> call(pool, "/hints")));
        assertEquals("ok", onLoop(() -> call(pool, "/ok")));
        assertEquals(1, connections.get());
    }

    @Test
    void shouldFailTheBodyOfAnAnswerTheServerBreaksOff() throws Exception {
        Http1Pool pool = pool(server.actualPort(), 1);
        Throwable broken = onLoop(() -> call(pool, "/broken").transform(ar -> Future.succeededFuture(ar.cause())));
        assertTrue(broken != null, "a body cut before its end fails");
        awaitOpen(pool, 0);
    }

    /** A reader that cuts a body off is told on a later turn, as by Vert.x's client: not from inside its reset. */
    @Test
    void shouldTellTheReaderOfABodyItCutOffOnALaterTurn() throws Exception {
        Http1Pool pool = pool(server.actualPort(), 1);
        List<String> events =
                onLoop(() -> pool.send(get("/partial"), new byte[0]).answer().compose(answer -> {
                    List<String> seen = new ArrayList<>();
                    Promise<List<String>> told = Promise.promise();
                    answer.exceptionHandler(e -> {
                        seen.add("told: " + e.getMessage());
                        told.complete(seen);
                    });
                    answer.handler(piece -> {
                        answer.reset();
                        seen.add("reset done");
                    });
                    return told.future();
                }));
        assertEquals(List.of("reset done", "told: the call was cut off"), events);
        awaitOpen(pool, 0);
    }

    /** A server that answers every request twice: the second answer is no call's, and its connection is not kept. */
    @Test
    void shouldNotKeepAConnectionThatAnswersTwice() throws Exception {
        AtomicInteger opened = new AtomicInteger();
        int port = vertx.createNetServer()
                .connectHandler(socket -> {
                    opened.incrementAndGet();
                    socket.handler(request -> socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                            + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstray"));
                })
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS)
                .actualPort();
        Http1Pool pool = pool(port, 1);
        assertEquals("ok", onLoop(() -> call(pool, "/first")));
        awaitOpen(pool, 0);
        assertEquals("ok", onLoop(() -> call(pool, "/second")), "the stray answer is not the next call's");
        assertEquals(2, opened.get());
    }

    @Test
    void shouldReadHowLongTheServerKeepsAConnection() {
        assertEquals(5, Http1Pool.keepAliveSeconds("timeout=5, max=100"));
        assertEquals(5, Http1Pool.keepAliveSeconds("max=100, Timeout=5"));
        assertEquals(-1, Http1Pool.keepAliveSeconds("max=100"));
        assertEquals(-1, Http1Pool.keepAliveSeconds("timeout=soon"));
        assertEquals(-1, Http1Pool.keepAliveSeconds("timeout=99999999999999"));
        assertEquals(-1, Http1Pool.keepAliveSeconds(null));
    }

    private Http1Pool pool(int port, int maxConnections) {
        return new Http1Pool((ContextInternal) loop, new UpstreamConnections(), "127.0.0.1", port, maxConnections);
    }

    private static RequestOptions get(String path) {
        return new RequestOptions().setMethod(HttpMethod.GET).setURI(path);
    }

    private static Future<String> call(Http1Pool pool, String path) {
        return pool.send(get(path), new byte[0]).answer().compose(Http1PoolTest::body);
    }

    /** The whole body of an answer. */
    private static Future<String> body(ProviderAnswer answer) {
        Promise<String> body = Promise.promise();
        StringBuilder text = new StringBuilder();
        answer.handler(piece -> text.append(piece.toString()));
        answer.exceptionHandler(body::tryFail);
        answer.endHandler(v -> body.tryComplete(text.toString()));
        return body.future();
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

    private void awaitOpen(Http1Pool pool, int expected) throws Exception {
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
