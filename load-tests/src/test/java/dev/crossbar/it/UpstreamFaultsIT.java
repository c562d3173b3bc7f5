package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.mock.FaultPlan;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each fault the mock providers can inject, in turn: before the first byte it becomes a failover to a
 * healthy key; after it, a truthful error in the client's protocol; never a hang. The key's state follows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamFaultsIT {

    private static final String PLAIN = """
            {"model":"test-model","messages":[{"role":"user","content":"fault line"}]}""";
    private static final String STREAMED = """
            {"model":"test-model","stream":true,"messages":[{"role":"user","content":"fault line"}]}""";

    private GatewayHarness gateway;

    @BeforeAll
    void start() throws Exception {
        gateway = new GatewayHarness(
                MockConfig.of(MockKey.unlimited("sk-sick", "openai"), MockKey.unlimited("sk-well", "openai")),
                TestConfig.openAi("sk-sick", "sk-well")
                        .providerTimeout(Duration.ofSeconds(1))
                        .streamIdleTimeout(Duration.ofSeconds(1))
                        .strategy("round-robin"),
                1);
    }

    @AfterAll
    void stop() throws Exception {
        gateway.close();
    }

    @BeforeEach
    void healAll() throws Exception {
        gateway.mock().setKeyFaults("sk-sick", null);
        gateway.mock().setKeyFaults("sk-well", null);
        gateway.mock().reset();
        for (String id : List.of("key-1", "key-2")) {
            gateway.node(0)
                    .ledger()
                    .execute(id, new dev.crossbar.cluster.ledger.KeyCommand.SetDisabled(false, null))
                    .toCompletableFuture()
                    .get();
        }
    }

    static Stream<Arguments> faultsBeforeTheFirstByte() {
        return Stream.of(
                Arguments.of("500", FaultPlan.builder().serverErrorShare(1.0).build()),
                Arguments.of(
                        "503 overload", FaultPlan.builder().overloadShare(1.0).build()),
                Arguments.of(
                        "no first byte within the timeout",
                        FaultPlan.builder().ttfbMs(3_000).build()),
                Arguments.of(
                        "garbage body", FaultPlan.builder().garbageShare(1.0).build()),
                Arguments.of(
                        "truncated body", FaultPlan.builder().truncateShare(1.0).build()),
                Arguments.of(
                        "a head, then a body that stops",
                        FaultPlan.builder().stallShare(1.0).build()),
                Arguments.of(
                        "connection dropped", FaultPlan.builder().dropShare(1.0).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faultsBeforeTheFirstByte")
    void shouldFailOverToAHealthyKeyBeforeTheFirstByte(String fault, FaultPlan plan) throws Exception {
        gateway.mock().setKeyFaults("sk-sick", plan);
        long failuresBefore = gateway.node(0).ledger().snapshot().get("key-1").failures();
        for (int i = 0; i < 4; i++) {
            Http.Reply r =
                    Http.post(gateway.url() + "/v1/chat/completions", PLAIN, Http.bearer(GatewayHarness.CLIENT_KEY));
            assertEquals(200, r.status(), fault + ": " + r.body());
            assertEquals(
                    "echo: fault line",
                    r.json().at("/choices/0/message/content").asText());
        }
        // failures() only grows, and earlier cases failed this key too: only its growth here shows it was tried.
        AdminClient.eventually(
                Duration.ofSeconds(5),
                fault + ": the sick key was tried and its state shows it",
                () -> gateway.node(0).ledger().snapshot().get("key-1").failures() > failuresBefore);
    }

    @Test
    void shouldEndAStreamCutMidwayWithTheProtocolsErrorEvent() throws Exception {
        gateway.mock()
                .setKeyFaults(
                        "sk-sick",
                        FaultPlan.builder().dropShare(1.0).streamChunks(20).build());
        gateway.mock()
                .setKeyFaults(
                        "sk-well",
                        FaultPlan.builder().dropShare(1.0).streamChunks(20).build());
        Http.Reply r =
                Http.post(gateway.url() + "/v1/chat/completions", STREAMED, Http.bearer(GatewayHarness.CLIENT_KEY));
        assertEquals(200, r.status());
        List<String> data = r.sseData();
        assertTrue(data.stream().anyMatch(d -> d.contains("\"error\"")), "an error event ends it: " + r.body());
        assertEquals("[DONE]", data.get(data.size() - 1));
    }

    @Test
    void shouldCutANeverEndingStreamAtTheIdleTimeout() throws Exception {
        gateway.mock()
                .setKeyFaults("sk-sick", FaultPlan.builder().stallShare(1.0).build());
        gateway.mock()
                .setKeyFaults("sk-well", FaultPlan.builder().stallShare(1.0).build());
        long start = System.nanoTime();
        Http.Reply r =
                Http.post(gateway.url() + "/v1/chat/completions", STREAMED, Http.bearer(GatewayHarness.CLIENT_KEY));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(200, r.status());
        assertTrue(r.body().contains("\"error\""), "ended with an error event: " + r.body());
        assertTrue(millis < 10_000, "no hang: " + millis + " ms");
    }

    @Test
    void shouldCutAWholeAnswerWhoseBodyStopsAtTheTimeout() throws Exception {
        gateway.mock()
                .setKeyFaults("sk-sick", FaultPlan.builder().stallShare(1.0).build());
        gateway.mock()
                .setKeyFaults("sk-well", FaultPlan.builder().stallShare(1.0).build());
        long start = System.nanoTime();
        Http.Reply r = Http.post(gateway.url() + "/v1/chat/completions", PLAIN, Http.bearer(GatewayHarness.CLIENT_KEY));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(502, r.status(), r.body());
        assertEquals(
                "the upstream provider broke off its answer",
                r.json().at("/error/message").asText(),
                r.body());
        assertTrue(millis >= 1_000 && millis < 10_000, "cut at the 1 s timeout, no hang: " + millis + " ms");
        String metrics = Http.get(gateway.url() + "/metrics").body();
        assertTrue(
                metrics.lines()
                        .anyMatch(l -> l.startsWith("crossbar_retries_total{") && l.contains("reason=\"timeout\"")),
                "the retry is counted as a timeout: "
                        + metrics.lines()
                                .filter(l -> l.startsWith("crossbar_retries_total"))
                                .toList());
    }

    @Test
    void shouldAnswerInTheClientsShapeWhenEveryKeyFails() throws Exception {
        gateway.mock()
                .setKeyFaults(
                        "sk-sick", FaultPlan.builder().serverErrorShare(1.0).build());
        gateway.mock()
                .setKeyFaults(
                        "sk-well", FaultPlan.builder().serverErrorShare(1.0).build());
        Http.Reply r = Http.post(gateway.url() + "/v1/chat/completions", PLAIN, Http.bearer(GatewayHarness.CLIENT_KEY));
        assertTrue(r.status() >= 500, r.status() + " " + r.body());
        assertTrue(!r.json().at("/error/message").asText("").isEmpty(), r.body());
        Http.Reply anthropic = Http.post(
                gateway.url() + "/v1/messages",
                """
                {"model":"test-model","max_tokens":20,"messages":[{"role":"user","content":"x"}]}""",
                "x-api-key",
                GatewayHarness.CLIENT_KEY,
                "anthropic-version",
                "2023-06-01");
        assertTrue(anthropic.status() >= 500, anthropic.body());
        assertEquals("error", anthropic.json().get("type").asText(), anthropic.body());
    }

    @Test
    void shouldCancelTheUpstreamCallWhenTheClientGoesAway() throws Exception {
        gateway.mock()
                .setKeyFaults(
                        "sk-sick",
                        FaultPlan.builder().chunkDelayMs(200).streamChunks(50).build());
        gateway.mock()
                .setKeyFaults(
                        "sk-well",
                        FaultPlan.builder().chunkDelayMs(200).streamChunks(50).build());
        HttpURLConnection c = (HttpURLConnection)
                URI.create(gateway.url() + "/v1/chat/completions").toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("authorization", "Bearer " + GatewayHarness.CLIENT_KEY);
        c.setRequestProperty("content-type", "application/json");
        c.getOutputStream().write(STREAMED.getBytes(StandardCharsets.UTF_8));
        InputStream in = c.getInputStream();
        assertTrue(in.read(new byte[64]) > 0, "the stream started");
        c.disconnect();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (inFlightAtMock() > 0
                || gateway.node(0).leases().inFlight("key-1")
                                + gateway.node(0).leases().inFlight("key-2")
                        > 0) {
            assertTrue(System.nanoTime() < deadline, "the upstream call or the key's slot outlived the client");
            Thread.sleep(20);
        }
    }

    private long inFlightAtMock() {
        return gateway.mock().stats().keys().values().stream()
                .mapToLong(k -> k.inFlight())
                .sum();
    }
}
