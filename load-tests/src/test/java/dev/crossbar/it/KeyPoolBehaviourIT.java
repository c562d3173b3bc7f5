package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.gateway.config.ProviderConfig;
import dev.crossbar.mock.FaultPlan;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** The key pool's behaviour seen from outside: through HTTP, against the mock providers. */
class KeyPoolBehaviourIT {

    private static final String HELLO = """
            {"model":"test-model","messages":[{"role":"user","content":"hello pool"}]}""";

    private static Http.Reply chat(GatewayHarness gateway, String body, String... extraHeaders) throws Exception {
        List<String> headers = new ArrayList<>(List.of("authorization", "Bearer " + GatewayHarness.CLIENT_KEY));
        headers.addAll(List.of(extraHeaders));
        return Http.post(gateway.url() + "/v1/chat/completions", body, headers.toArray(String[]::new));
    }

    @Test
    void shouldQueueWhenEveryKeyIsSaturatedAndServeOnceCapacityReturns() throws Exception {
        MockConfig mock = MockConfig.of(new MockKey("sk-slow", "openai", 2L, null, null, Duration.ofSeconds(2)));
        try (GatewayHarness gateway = new GatewayHarness(
                mock, TestConfig.openAi("sk-slow:2:0:0:2s").queueTimeout(Duration.ofSeconds(5)), 1)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<CompletableFuture<Http.Reply>> replies = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < 4; i++) {
                replies.add(CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return chat(gateway, HELLO);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        pool));
            }
            for (CompletableFuture<Http.Reply> r : replies) {
                assertEquals(200, r.get().status(), r.get().body());
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            pool.shutdown();
            assertTrue(millis >= 700, "two of four waited for the bucket to refill, took " + millis + " ms");
            assertEquals(0, gateway.mock().stats().keys().get("sk-slow").rateLimited());
        }
    }

    @Test
    void shouldAnswer429WithATruthfulRetryAfterWhenTheWaitRunsOut() throws Exception {
        MockConfig mock = MockConfig.of(new MockKey("sk-tiny", "openai", 1L, null, null, Duration.ofSeconds(10)));
        try (GatewayHarness gateway = new GatewayHarness(
                mock, TestConfig.openAi("sk-tiny:1:0:0:10s").queueTimeout(Duration.ofMillis(300)), 1)) {
            assertEquals(200, chat(gateway, HELLO).status());
            Http.Reply refused = chat(gateway, HELLO);
            assertEquals(429, refused.status(), refused.body());
            assertEquals("rate_limit_error", refused.json().at("/error/type").asText(), refused.body());
            String retryAfter = refused.header("retry-after");
            assertNotNull(retryAfter);
            long seconds = Long.parseLong(retryAfter);
            assertTrue(seconds >= 5 && seconds <= 10, "one request per 10 s frees up in about 10 s, said " + seconds);
            assertEquals(0, gateway.mock().stats().keys().get("sk-tiny").rateLimited());
        }
    }

    @Test
    void shouldFallBackToTheNextTargetWhenEveryKeyOfTheFirstFails() throws Exception {
        MockConfig mock = MockConfig.of(
                        MockKey.unlimited("sk-broken", "openai"), MockKey.unlimited("ant-ok", "anthropic"))
                .withKeyFaults(java.util.Map.of(
                        "sk-broken", FaultPlan.builder().serverErrorShare(1.0).build()));
        TestConfig config = TestConfig.openAi("sk-broken")
                .fallback(
                        mockUrl -> ProviderConfig.of(
                                "mock-anthropic",
                                "anthropic",
                                mockUrl + "/v1",
                                List.of(TestConfig.key("ant-1", "ant-ok"))),
                        "claude-test");
        try (GatewayHarness gateway = new GatewayHarness(mock, config, 1)) {
            Http.Reply r = chat(gateway, HELLO);
            assertEquals(200, r.status(), r.body());
            assertEquals(
                    "echo: hello pool",
                    r.json().at("/choices/0/message/content").asText());
            assertEquals(1, gateway.mock().stats().keys().get("ant-ok").served());
            assertEquals(1, gateway.mock().stats().keys().get("sk-broken").injectedFaults());
        }
    }

    @Test
    void shouldLearnATighterLimitFromTheProvidersHeaders() throws Exception {
        // The provider allows 5 per 2 s; the config believes 100. Headers reveal the truth early.
        MockConfig mock = MockConfig.of(
                new MockKey("sk-learn", "openai", 5L, null, null, Duration.ofSeconds(2)),
                MockKey.unlimited("sk-spare", "openai"));
        try (GatewayHarness gateway =
                new GatewayHarness(mock, TestConfig.openAi("sk-learn:100:0:0:2s", "sk-spare"), 1)) {
            for (int i = 0; i < 30; i++) {
                assertEquals(200, chat(gateway, HELLO).status());
            }
            long refused = gateway.mock().stats().keys().get("sk-learn").rateLimited();
            assertTrue(refused <= 1, "after the first answers the pool knows the real limit; 429s seen: " + refused);
        }
    }

    @Test
    void shouldKeepAConversationOnOneKeyWithStickySessions() throws Exception {
        MockConfig mock = MockConfig.of(
                MockKey.unlimited("sk-a", "openai"),
                MockKey.unlimited("sk-b", "openai"),
                MockKey.unlimited("sk-c", "openai"));
        try (GatewayHarness gateway = new GatewayHarness(
                mock, TestConfig.openAi("sk-a", "sk-b", "sk-c").strategy("sticky"), 1)) {
            for (int i = 0; i < 9; i++) {
                assertEquals(
                        200,
                        chat(gateway, HELLO, "x-crossbar-session", "conversation-42")
                                .status());
            }
            long keysUsed = gateway.mock().stats().keys().values().stream()
                    .filter(k -> k.served() > 0)
                    .count();
            assertEquals(1, keysUsed, "one conversation, one key");
        }
    }

    @Test
    void shouldSpreadRequestsRoundRobin() throws Exception {
        MockConfig mock = MockConfig.of(
                MockKey.unlimited("sk-a", "openai"),
                MockKey.unlimited("sk-b", "openai"),
                MockKey.unlimited("sk-c", "openai"));
        try (GatewayHarness gateway = new GatewayHarness(
                mock, TestConfig.openAi("sk-a", "sk-b", "sk-c").strategy("round-robin"), 1)) {
            for (int i = 0; i < 9; i++) {
                assertEquals(200, chat(gateway, HELLO).status());
            }
            gateway.mock().stats().keys().values().forEach(k -> assertEquals(3, k.served(), "each key gets its turn"));
        }
    }

    @Test
    void shouldDisableAKeyTheProviderRejects() throws Exception {
        MockConfig mock = MockConfig.of(
                        MockKey.unlimited("sk-revoked", "openai"), MockKey.unlimited("sk-good", "openai"))
                .withRevokedKeys(java.util.Set.of("sk-revoked"));
        try (GatewayHarness gateway = new GatewayHarness(mock, TestConfig.openAi("sk-revoked", "sk-good"), 1)) {
            for (int i = 0; i < 5; i++) {
                Http.Reply r = chat(gateway, HELLO);
                assertEquals(200, r.status());
                assertTrue(
                        !r.body().contains("sk-revoked"), "the provider's words about our key never reach the client");
            }
            assertEquals(1, gateway.mock().stats().keys().get("sk-revoked").unauthorized(), "disabled after one 401");
            // The disable reaches the node's copy of the ledger by the cluster's event, after the answer that
            // failed over.
            AdminClient.eventually(
                    Duration.ofSeconds(5),
                    "key-1 disabled",
                    () -> gateway.node(0).ledger().snapshot().get("key-1").disabled());
        }
    }
}
