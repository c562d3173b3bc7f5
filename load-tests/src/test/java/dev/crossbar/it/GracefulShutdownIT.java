package dev.crossbar.it;

import static dev.crossbar.it.AdminClient.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.cluster.ledger.KeyState;
import dev.crossbar.cluster.ledger.Ledger;
import dev.crossbar.mock.FaultPlan;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** SIGTERM semantics: a stopping node finishes what it started, then returns its leases and leaves. */
class GracefulShutdownIT {

    /** A draining node refuses new connections or answers 503: either way a balancer moves on. */
    private static boolean notReady(String url) {
        try {
            return Http.get(url + "/health/ready").status() == 503;
        } catch (java.io.IOException | InterruptedException refused) {
            return true;
        }
    }

    @Test
    void shouldFinishAStreamInFlightThenLeave() throws Exception {
        MockConfig mock = MockConfig.of(
                        new MockKey("sk-a", "openai", 1_000L, null, 10, java.time.Duration.ofMinutes(1)))
                .withFaults(
                        FaultPlan.builder().chunkDelayMs(100).streamChunks(20).build());
        try (GatewayHarness gateway = new GatewayHarness(mock, TestConfig.openAi("sk-a:1000:0:10:1m"), 2)) {
            String body = """
                    {"model":"test-model","stream":true,"messages":[{"role":"user","content":"a long one"}]}""";
            CompletableFuture<Http.Reply> stream = CompletableFuture.supplyAsync(() -> {
                try {
                    return Http.post(
                            gateway.url(0) + "/v1/chat/completions", body, Http.bearer(GatewayHarness.CLIENT_KEY));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (gateway.node(0).traffic().inFlight() == 0) {
                assertTrue(System.nanoTime() < deadline, "the stream never started");
                Thread.sleep(10);
            }
            String leaving = gateway.node(0).memberId();
            var stopped = gateway.node(0).stop();
            long stopStarted = System.nanoTime();
            Thread.sleep(200);
            assertTrue(notReady(gateway.url(0)), "not ready while draining");

            Http.Reply reply = stream.get(20, TimeUnit.SECONDS);
            assertEquals(200, reply.status());
            assertEquals("[DONE]", reply.sseData().get(reply.sseData().size() - 1), "the stream ran to its end");
            stopped.await(20, TimeUnit.SECONDS);
            long stopMillis = (System.nanoTime() - stopStarted) / 1_000_000;
            assertTrue(
                    stopMillis < 10_000,
                    "the node left once its stream ended, not at the drain timeout: " + stopMillis);

            KeyState key = gateway.node(1).ledger().snapshot().get("key-1");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (key.leases().containsKey(leaving)) {
                assertTrue(System.nanoTime() < until, "the stopped node kept its lease");
                Thread.sleep(20);
                key = gateway.node(1).ledger().snapshot().get("key-1");
            }
            assertEquals(
                    200,
                    Http.post(
                                    gateway.url(1) + "/v1/chat/completions",
                                    body.replace("true", "false"),
                                    Http.bearer(GatewayHarness.CLIENT_KEY))
                            .status(),
                    "the other node keeps serving");
        }
    }

    /**
     * Regression: when the drain timeout ran out, closing the connection under a stream still running looked
     * like a broken upstream, and the stopping node put the key into a cluster-wide cooldown on its way out.
     */
    @Test
    void shouldCutAStreamAtTheDrainTimeoutWithoutBlamingTheKey() throws Exception {
        MockConfig mock = MockConfig.of(MockKey.unlimited("sk-a", "openai"))
                .withFaults(
                        FaultPlan.builder().chunkDelayMs(100).streamChunks(100).build());
        TestConfig config = TestConfig.openAi("sk-a").drainTimeout(Duration.ofSeconds(1));
        try (GatewayHarness gateway = new GatewayHarness(mock, config, 2);
                AccessLines access = AccessLines.capture()) {
            String body = """
                    {"model":"test-model","stream":true,"messages":[{"role":"user","content":"a long one"}]}""";
            try (RawHttp stream = RawHttp.post(gateway.url(0), "/v1/chat/completions", body)) {
                assertTrue(stream.awaitText("\"content\":\"echo:\"", Duration.ofSeconds(5)), stream.received());
                var stopped = gateway.node(0).stop();
                assertTrue(stream.readToEnd(Duration.ofSeconds(10)), "the drain ended the stream");
                String relayed = stream.body();
                assertTrue(
                        relayed.contains("shutting down") && relayed.endsWith("data: [DONE]\n\n"),
                        "the client is told in its protocol's words: "
                                + relayed.substring(Math.max(0, relayed.length() - 400)));
                stopped.await(20, TimeUnit.SECONDS);
            }
            assertEquals(1, access.with("status=503", "outcome=drained").size(), String.join("\n", access.lines()));
            Ledger ledger = gateway.node(1).ledger();
            KeyState key = ledger.snapshot().get("key-1");
            assertNull(key.cooldownReason(), "no cooldown");
            assertEquals(0, key.failureStreak(), "no failure counted against the key");
            assertFalse(key.blockedAt(ledger.now()));
        }
    }

    /** A load balancer's health check sees the node go not-ready while it still serves, then the port closes. */
    @Test
    void shouldAnswerNotReadyForTheDrainNoticeWhileStillServing() throws Exception {
        TestConfig config = TestConfig.openAi("sk-a").drainNotice(Duration.ofSeconds(2));
        try (GatewayHarness gateway =
                new GatewayHarness(MockConfig.of(MockKey.unlimited("sk-a", "openai")), config, 1)) {
            String url = gateway.url(0);
            assertEquals(200, Http.get(url + "/health/ready").status());
            long stopAt = System.nanoTime();
            var stopped = gateway.node(0).stop();
            Http.Reply ready = Http.get(url + "/health/ready");
            assertEquals(503, ready.status(), "not ready at once: " + ready.body());
            assertTrue(ready.body().contains("draining"), ready.body());
            Http.Reply served = Http.post(url + "/v1/chat/completions", """
                    {"model":"test-model","messages":[{"role":"user","content":"still there?"}]}""", Http.bearer(GatewayHarness.CLIENT_KEY));
            assertEquals(200, served.status(), "still serving during the notice: " + served.body());
            assertKeptAliveConnectionIsSentElsewhere(url);
            eventually(Duration.ofSeconds(10), "the port closes after the notice", () -> refused(url));
            long closedAfter = (System.nanoTime() - stopAt) / 1_000_000;
            assertTrue(closedAfter >= 1_800, "the port stayed open for the notice (2 s), closed after " + closedAfter);
            stopped.await(20, TimeUnit.SECONDS);
        }
    }

    /**
     * A kept-alive HTTP/1.1 connection's request during the notice is answered with {@code Connection: close}, and the
     * node closes that connection then, while its port is still open: the client's next request opens a connection,
     * through the balancer, to another node.
     */
    private static void assertKeptAliveConnectionIsSentElsewhere(String url) throws Exception {
        String body = """
                {"model":"test-model","messages":[{"role":"user","content":"kept alive?"}]}""";
        String request = "POST /v1/chat/completions HTTP/1.1\r\n"
                + "Host: " + java.net.URI.create(url).getAuthority() + "\r\n"
                + "Authorization: Bearer " + GatewayHarness.CLIENT_KEY + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
        try (RawHttp keptAlive = RawHttp.send(url, request)) {
            assertTrue(keptAlive.readToEnd(Duration.ofSeconds(1)), "closed after its answer: " + keptAlive.received());
            assertEquals(200, keptAlive.status(), keptAlive.received());
            assertTrue(
                    keptAlive.received().toLowerCase(java.util.Locale.ROOT).contains("connection: close"),
                    keptAlive.received());
        }
        assertFalse(refused(url), "the port itself is still open: the close was the answer's");
    }

    private static boolean refused(String url) {
        try {
            Http.get(url + "/health/live");
            return false;
        } catch (IOException | InterruptedException e) {
            return true;
        }
    }
}
