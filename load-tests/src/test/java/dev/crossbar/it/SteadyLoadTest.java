package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What ClusterProcessesIT counts, against a tiny server in nginx's place: a stream cut before its {@code
 * [DONE]} or a reply without {@code choices} is not ok although its status is 200, a comma in X-Upstream-Addr
 * is a retry, and requests due while {@code maxInFlight} are out are skipped.
 */
class SteadyLoadTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void tearDown() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldCountCutStreamsAndRepliesWithoutChoicesAsFailedAndNginxMovesAsRetries() throws Exception {
        AtomicInteger streams = new AtomicInteger();
        AtomicInteger plains = new AtomicInteger();
        int port = vertx.createHttpServer()
                .requestHandler(req -> req.body().onSuccess(body -> {
                    var response = req.response().putHeader("X-Upstream-Addr", "127.0.0.1:1, 127.0.0.1:2");
                    if (body.toString().contains("\"stream\":true")) {
                        int n = streams.incrementAndGet();
                        response.setChunked(true).write("data: {\"choices\":[]}\n\n");
                        response.end(n % 2 == 0 ? "data: [DONE]\n\n" : "");
                    } else {
                        int n = plains.incrementAndGet();
                        response.end(n % 2 == 0 ? "{\"choices\":[]}" : "{\"id\":\"x\"}");
                    }
                }))
                .listen(0, "127.0.0.1")
                .await(10, TimeUnit.SECONDS)
                .actualPort();
        List<SteadyLoad.Outcome> outcomes;
        try (SteadyLoad load = new SteadyLoad("http://127.0.0.1:" + port, "sk-test", "m", 40, 2, 8)) {
            while (streams.get() < 4 || plains.get() < 4) {
                Thread.sleep(10);
            }
            outcomes = load.stop();
            assertEquals(0, load.skipped());
        }
        assertEquals(streams.get() + plains.get(), outcomes.size(), "every request has its outcome");
        for (SteadyLoad.Outcome o : outcomes) {
            assertEquals(200, o.status(), o.toString());
            assertTrue(o.retried(), "a comma in X-Upstream-Addr: " + o);
        }
        long okStreams = outcomes.stream().filter(o -> o.stream() && o.ok()).count();
        long okPlains = outcomes.stream().filter(o -> !o.stream() && o.ok()).count();
        assertEquals(streams.get() / 2, okStreams, "only streams with their [DONE]: " + outcomes);
        assertEquals(plains.get() / 2, okPlains, "only replies with their choices: " + outcomes);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldSkipRequestsDueWhileMaxInFlightAreOut() throws Exception {
        AtomicInteger served = new AtomicInteger();
        int port = vertx.createHttpServer()
                .requestHandler(req -> req.body()
                        .onSuccess(body -> vertx.setTimer(300, t -> {
                            served.incrementAndGet();
                            req.response().end("{\"choices\":[]}");
                        })))
                .listen(0, "127.0.0.1")
                .await(10, TimeUnit.SECONDS)
                .actualPort();
        List<SteadyLoad.Outcome> outcomes;
        long skipped;
        try (SteadyLoad load = new SteadyLoad("http://127.0.0.1:" + port, "sk-test", "m", 50, 0, 2)) {
            while (served.get() < 4) {
                Thread.sleep(10);
            }
            outcomes = load.stop();
            skipped = load.skipped();
        }
        assertTrue(skipped > 0, "with 2 out for 300 ms at 50/s, most are skipped");
        assertTrue(outcomes.stream().allMatch(SteadyLoad.Outcome::ok), outcomes.toString());
        assertFalse(outcomes.stream().anyMatch(SteadyLoad.Outcome::stream), "streamEvery 0: none streamed");
    }
}
