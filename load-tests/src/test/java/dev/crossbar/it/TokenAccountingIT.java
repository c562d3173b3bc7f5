package dev.crossbar.it;

import static dev.crossbar.it.AdminClient.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.cluster.ledger.KeyState;
import dev.crossbar.cluster.ledger.Ledger;
import dev.crossbar.gateway.config.LimitsConfig;
import dev.crossbar.mock.Billing;
import dev.crossbar.mock.FaultPlan;
import dev.crossbar.mock.KeyStats;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import dev.crossbar.mock.SeenRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every token is counted (issue 12 point 4): long streamed answers without usage in the request, without
 * max tokens, several times the key's token capacity offered, against a provider that charges what it
 * produced. The provider must never have to refuse a call for being over its token limit.
 */
class TokenAccountingIT {

    private static final Duration WINDOW = Duration.ofSeconds(4);
    private static final long TOKENS_PER_WINDOW = 20_000;
    /** About 2,840 output tokens and 300 KB of events per answer, a millisecond apart as a model writes them. */
    private static final int CHUNKS = 2_000;

    /**
     * Regression: a stream whose usage never came was charged the estimate (a 644 KB stream, 1,049 tokens),
     * so the pool kept sending to a provider whose token bucket was long empty.
     *
     * @param type   the upstream's provider type: openai reports usage once asked, mistral never in a stream
     * @param client the client's path and body (OpenAI passes through; Gemini is translated)
     */
    @ParameterizedTest(name = "{0} upstream, {1} client")
    @CsvSource({"openai, openai", "mistral, openai", "mistral, gemini"})
    void shouldChargeWhatWasProducedSoTheProviderNeverRefuses(String type, String client) throws Exception {
        MockConfig mock = MockConfig.of(new MockKey("sk-tok", "openai", null, TOKENS_PER_WINDOW, null, WINDOW))
                .withBilling(Billing.PRODUCED)
                .withFaults(
                        FaultPlan.builder().streamChunks(CHUNKS).chunkDelayMs(1).build());
        TestConfig config = TestConfig.openAi("sk-tok:0:" + TOKENS_PER_WINDOW + ":0:" + WINDOW.toSeconds() + "s")
                .providerType(type);
        String path = client.equals("openai")
                ? "/v1/chat/completions"
                : "/v1beta/models/test-model:streamGenerateContent?alt=sse&key=" + GatewayHarness.CLIENT_KEY;
        String body = client.equals("openai") ? """
                {"model":"test-model","stream":true,"messages":[{"role":"user","content":"count me"}]}""" : """
                {"contents":[{"role":"user","parts":[{"text":"count me"}]}]}""";
        try (GatewayHarness gateway = new GatewayHarness(mock, config, 1)) {
            Http.Reply first = Http.post(gateway.url() + path, body, Http.bearer(GatewayHarness.CLIENT_KEY));
            assertEquals(200, first.status(), first.body());
            if (client.equals("openai")) {
                List<String> events = first.sseData();
                assertEquals("[DONE]", events.get(events.size() - 1), "the stream ran to its end");
                assertFalse(first.body().contains("\"usage\""), "the client did not ask for usage and sees none");
            }

            // The key holds 20,000 tokens per 4 s; 8 s of 8 answers per second offer about 180,000: 4 times.
            SpreadLoad.Result result = SpreadLoad.run(
                    List.of(gateway.url()), path, body, GatewayHarness.CLIENT_KEY, 8, Duration.ofSeconds(8));
            KeyStats key = gateway.mock().stats().key("sk-tok");
            System.out.printf(
                    "%s upstream, %s client: offered %d, gateway answered %s; provider served %d, "
                            + "over-limit 429s at the provider: %d, tokens charged %d%n",
                    type,
                    client,
                    result.sent(),
                    result.byStatus(),
                    key.served(),
                    key.rateLimited(),
                    key.tokensCharged());
            assertEquals(0, key.rateLimited(), "the provider had to refuse calls over the key's token limit");
            SeenRequest upstream = gateway.mock().lastRequest();
            assertEquals(
                    type.equals("openai"),
                    upstream.json().at("/stream_options/include_usage").asBoolean(false),
                    "usage is asked of the provider when it can report it: " + upstream.bodyText());
            assertEquals(0, result.failures(), "every client got a 200 or a 429: " + result.byStatus());
            assertTrue(result.count(429) > 0, "the offered load was above the key's capacity");
        }
    }

    /**
     * Regression: a request that never reached a provider (every key busy, so it waited and got a 429) kept
     * its estimate charged to its client key's own token limit, as if the provider had served it.
     */
    @Test
    void shouldGiveBackTheEstimateOfRequestsThatNeverReachedAProvider() throws Exception {
        MockConfig mock = MockConfig.of(new MockKey("sk-one", "openai", 1L, null, null, Duration.ofSeconds(10)));
        TestConfig config = TestConfig.openAi("sk-one:1:0:0:10s")
                .clientKeys(TestConfig.clientKey(
                        "test",
                        GatewayHarness.CLIENT_KEY,
                        new LimitsConfig(null, 1_000_000L, null, Duration.ofMinutes(1))))
                .queueTimeout(Duration.ofMillis(200));
        String body = """
                {"model":"test-model","messages":[{"role":"user","content":"count me"}]}""";
        try (GatewayHarness gateway = new GatewayHarness(mock, config, 1)) {
            assertEquals(
                    200,
                    Http.post(gateway.url() + "/v1/chat/completions", body, Http.bearer(GatewayHarness.CLIENT_KEY))
                            .status());
            for (int i = 0; i < 3; i++) {
                Http.Reply refused =
                        Http.post(gateway.url() + "/v1/chat/completions", body, Http.bearer(GatewayHarness.CLIENT_KEY));
                assertEquals(429, refused.status(), refused.body());
            }
            Ledger ledger = gateway.node(0).ledger();
            // The node reports what its client-key lease spent, and returns the lease once it is idle.
            eventually(Duration.ofSeconds(10), "the client key's lease is reported and returned", () -> {
                KeyState client = ledger.snapshot().get("client:test");
                return client.tokensConsumed() > 0 && client.leases().isEmpty();
            });
            long charged = ledger.snapshot().get("client:test").tokensConsumed();
            assertTrue(
                    charged < 100,
                    "only the served call is charged (a few tokens), not the estimates (~1,030 each) of the three "
                            + "that never reached a provider: " + charged);
            assertEquals(1, gateway.mock().stats().key("sk-one").served());
        }
    }
}
