package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.gateway.config.ClientKeyConfig;
import dev.crossbar.gateway.config.ProviderKeyConfig;
import dev.crossbar.gateway.config.TeamConfig;
import dev.crossbar.mock.FaultPlan;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Weighted shares at saturation through the real path: one provider key that serves two calls at a time, two
 * teams at weights 3 and 1, each offering far more calls than the key serves (twelve clients each, calling
 * back to back). Counted over the steady stretch, the teams get 75% and 25% of the answers, within 5 points.
 */
class WeightedSharesIT {

    private static final String HEAVY = "weighted-heavy-key-0001";
    private static final String LIGHT = "weighted-light-key-0001";

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldShareASaturatedKeyThreeToOneBetweenTeamsOfWeightsThreeAndOne() throws Exception {
        MockConfig mock = MockConfig.of(new MockKey("sk-shared", "openai", null, null, null, Duration.ofMinutes(1)))
                .withFaults(FaultPlan.builder().ttfbMs(25).build());
        Map<String, TeamConfig> teams = new LinkedHashMap<>();
        teams.put("gold", new TeamConfig(null, 3));
        teams.put("silver", new TeamConfig(null, 1));
        TestConfig config = TestConfig.openAi()
                .keys(new ProviderKeyConfig("shared", "sk-shared", null, null, 2, null, null, null, null, null))
                .providerTimeout(null)
                .withoutAdmin()
                .clientKeys(
                        new ClientKeyConfig("heavy", HEAVY, null, null, "gold"),
                        new ClientKeyConfig("light", LIGHT, null, null, "silver"))
                .teams(teams)
                .eventLoops(1)
                .queueTimeout(Duration.ofSeconds(20));
        try (GatewayHarness gateway = new GatewayHarness(mock, config, 1)) {
            long start = System.nanoTime();
            long warm = start + TimeUnit.SECONDS.toNanos(2);
            long end = start + TimeUnit.SECONDS.toNanos(10);
            AtomicInteger heavy = new AtomicInteger();
            AtomicInteger light = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(24);
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String key = i % 2 == 0 ? HEAVY : LIGHT;
                AtomicInteger counter = i % 2 == 0 ? heavy : light;
                running.add(clients.submit(() -> {
                    while (System.nanoTime() < end) {
                        Http.Reply r = Http.post(
                                gateway.url() + "/v1/chat/completions",
                                "{\"model\":\"test-model\",\"max_tokens\":5,"
                                        + "\"messages\":[{\"role\":\"user\",\"content\":\"share\"}]}",
                                Http.bearer(key));
                        long now = System.nanoTime();
                        if (r.status() != 200) {
                            failed.incrementAndGet();
                        } else if (now > warm && now < end) {
                            counter.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
            clients.shutdown();
            int total = heavy.get() + light.get();
            double share = (double) heavy.get() / total;
            System.out.printf(
                    "[WeightedSharesIT] answered in the steady 8 s: gold (weight 3) %d, silver (weight 1) %d: %.1f%% / %.1f%%; %d failed%n",
                    heavy.get(), light.get(), 100 * share, 100 * (1 - share), failed.get());
            assertEquals(0, failed.get(), "every call waits its turn; none is refused");
            assertTrue(total >= 40, "enough answers to measure a share: " + total);
            assertEquals(0.75, share, 0.05, "gold's share of the answers");
        }
    }
}
