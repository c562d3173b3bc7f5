package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.mock.FaultPlan;
import dev.crossbar.mock.KeyStats;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import dev.crossbar.mock.MockStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * N real nodes share one key pool through their Hazelcast members while clients offer several times the
 * pool's capacity. The mock providers, which enforce each key's limits themselves, are the referee: they
 * must never have had to refuse a call for being over a limit.
 */
class KeyPoolClusterIT {

    private static final Duration WINDOW = Duration.ofSeconds(2);
    private static final int REQUESTS_PER_WINDOW = 10;
    private static final int KEYS = 3;

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 3, 5})
    void shouldNeverPushAKeyPastItsLimits(int nodes) throws Exception {
        List<MockKey> keys = new ArrayList<>();
        String[] gatewayKeys = new String[KEYS];
        for (int i = 1; i <= KEYS; i++) {
            keys.add(new MockKey("sk-pool-" + i, "openai", (long) REQUESTS_PER_WINDOW, 20_000L, 3, WINDOW));
            gatewayKeys[i - 1] = "sk-pool-" + i + ":" + REQUESTS_PER_WINDOW + ":20000:3:" + WINDOW.toSeconds() + "s";
        }
        MockConfig mock = MockConfig.of(keys.toArray(MockKey[]::new))
                .withFaults(FaultPlan.builder().ttfbMs(40).build());
        try (GatewayHarness gateway = new GatewayHarness(mock, TestConfig.openAi(gatewayKeys), nodes)) {
            List<String> urls = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                urls.add(gateway.url(i));
            }
            Duration load = Duration.ofSeconds(6);
            // The pool serves 3 keys x 10 per 2 s = 15/s once the initial burst is spent; offer 4x that.
            SpreadLoad.Result result =
                    SpreadLoad.run(urls, "/v1/chat/completions", """
                    {"model":"test-model","max_tokens":50,"messages":[{"role":"user","content":"count me"}]}""", GatewayHarness.CLIENT_KEY, 60, load);
            double elapsedMillis = result.span().toMillis();
            MockStats stats = gateway.mock().stats();
            long served = 0;
            long overLimit = 0;
            for (KeyStats k : stats.keys().values()) {
                served += k.served();
                overLimit += k.rateLimited();
                if (k.rateLimited() > 0) {
                    System.out.println("over-limit causes: " + k.rateLimitedByCause());
                }
            }
            // Each bucket starts full and refills continuously over the whole time calls were being made.
            double capacity = KEYS * (REQUESTS_PER_WINDOW + REQUESTS_PER_WINDOW * elapsedMillis / WINDOW.toMillis());
            System.out.printf(
                    "%d node(s): offered %d, gateway answered %s; provider served %d of %.0f possible "
                            + "(%.0f%%), over-limit 429s at the provider: %d%n",
                    nodes, result.sent(), result.byStatus(), served, capacity, 100 * served / capacity, overLimit);
            assertEquals(0, overLimit, "the provider had to refuse calls that were over a key's limit");
            assertEquals(0, result.failures(), "every client got a 200 or a 429, nothing else: " + result.byStatus());
            assertEquals(result.count(200), served, "each 200 is one call the provider served");
            // Measured on a shared 2-core box (docs/key-pool.md): 95-96% with 3 and 5 nodes; 1 node 94-96% in a
            // warm JVM but 67-88% when its run comes first and pays the warm-up. Pinned at that minus the spread.
            double expected = nodes == 1 ? 0.65 : 0.93;
            assertTrue(
                    served >= expected * capacity,
                    String.format(
                            "the pool should be well used under saturation: %d of %.0f, below %.0f%%",
                            served, capacity, 100 * expected));
        }
    }
}
