package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crossbar.gateway.config.BucketConfig;
import dev.crossbar.gateway.config.BucketWindowConfig;
import dev.crossbar.gateway.config.ProviderKeyConfig;
import dev.crossbar.mock.FaultPlan;
import dev.crossbar.mock.MockBucket;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import dev.crossbar.mock.MockStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Limits counted the way providers count them (issue 17 point 5): three keys of one organisation share its
 * bucket, which has a short window and a longer "day" window (20 s here), and one model has a bucket of its
 * own. Three nodes offer several times what the organisation allows. The mock provider enforces the real
 * buckets, per key, per organisation, per model and per window, and is the referee.
 */
class SharedBucketsIT {

    private static final Duration WINDOW = Duration.ofSeconds(2);
    private static final Duration DAY = Duration.ofSeconds(20);
    private static final long KEY_REQUESTS = 20;
    private static final long ORG_REQUESTS = 15;
    private static final long ORG_DAY_REQUESTS = 50;
    private static final long MODEL_B_REQUESTS = 4;
    private static final String[] SECRETS = {"sk-org-1", "sk-org-2", "sk-org-3"};
    private static final int NODES = 3;

    private static MockConfig mock() {
        List<MockKey> keys = new ArrayList<>();
        for (String secret : SECRETS) {
            keys.add(new MockKey(secret, "openai", KEY_REQUESTS, 1_000_000L, null, WINDOW));
        }
        MockBucket org = new MockBucket(
                "org",
                Set.of(SECRETS),
                null,
                false,
                List.of(
                        MockBucket.Window.requests(WINDOW, ORG_REQUESTS),
                        MockBucket.Window.requests(DAY, ORG_DAY_REQUESTS)));
        MockBucket modelB = new MockBucket(
                "model-b",
                Set.of(SECRETS),
                Set.of("model-b"),
                true,
                List.of(MockBucket.Window.requests(WINDOW, MODEL_B_REQUESTS)));
        return MockConfig.of(keys.toArray(MockKey[]::new))
                .withBuckets(List.of(org, modelB))
                .withFaults(FaultPlan.builder().ttfbMs(30).build());
    }

    /** The mock's organisation keys, each with its own limit, and its two shared buckets if {@code withBuckets}. */
    static TestConfig gatewayConfig(boolean withBuckets) {
        ProviderKeyConfig[] keys = new ProviderKeyConfig[SECRETS.length];
        for (int i = 0; i < SECRETS.length; i++) {
            keys[i] = new ProviderKeyConfig(
                    "key-" + (i + 1), SECRETS[i], KEY_REQUESTS, null, null, WINDOW, null, null, null, null);
        }
        TestConfig config = TestConfig.openAi()
                .keys(keys)
                .models(
                        TestConfig.model("model-a", TestConfig.PROVIDER, "model-a"),
                        TestConfig.model("model-b", TestConfig.PROVIDER, "model-b"));
        if (withBuckets) {
            config.buckets(
                    new BucketConfig(
                            "org",
                            null,
                            null,
                            null,
                            List.of(
                                    new BucketWindowConfig(WINDOW, ORG_REQUESTS, null, null, null),
                                    new BucketWindowConfig(
                                            Duration.ofSeconds(20), ORG_DAY_REQUESTS, null, null, null))),
                    new BucketConfig(
                            "per-model",
                            null,
                            List.of("model-b"),
                            true,
                            List.of(new BucketWindowConfig(WINDOW, MODEL_B_REQUESTS, null, null, null))));
        }
        return config;
    }

    private record Run(SpreadLoad.Result a, SpreadLoad.Result b, double elapsedSeconds, MockStats stats) {}

    private static Run offer(GatewayHarness gateway, Duration load) throws Exception {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < gateway.nodeCount(); i++) {
            urls.add(gateway.url(i));
        }
        long started = System.nanoTime();
        // The organisation allows 7.5 calls a second (2.5 once its day window is spent); offer 40.
        CompletableFuture<SpreadLoad.Result> a = CompletableFuture.supplyAsync(() -> drive(urls, "model-a", 30, load));
        CompletableFuture<SpreadLoad.Result> b = CompletableFuture.supplyAsync(() -> drive(urls, "model-b", 10, load));
        SpreadLoad.Result ra = a.get();
        SpreadLoad.Result rb = b.get();
        double elapsed = (System.nanoTime() - started) / 1e9;
        return new Run(ra, rb, elapsed, gateway.mock().stats());
    }

    private static SpreadLoad.Result drive(List<String> urls, String model, int perSecond, Duration load) {
        try {
            return SpreadLoad.run(
                    urls, "/v1/chat/completions", """
                    {"model":"%s","max_tokens":20,"messages":[{"role":"user","content":"count me"}]}""".formatted(model), GatewayHarness.CLIENT_KEY, perSecond, load);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long served(MockStats stats) {
        return stats.keys().values().stream().mapToLong(k -> k.served()).sum();
    }

    private static long keysOverLimit(MockStats stats) {
        return stats.keys().values().stream().mapToLong(k -> k.rateLimited()).sum();
    }

    @Test
    void shouldNeverPushTheOrganisationsModelsOrDayBucketPastItsLimit() throws Exception {
        try (GatewayHarness gateway = new GatewayHarness(mock(), gatewayConfig(true), NODES)) {
            Run run = offer(gateway, Duration.ofSeconds(8));
            long served = served(run.stats());
            double t = run.elapsedSeconds();
            double minuteBound = ORG_REQUESTS + ORG_REQUESTS * t / WINDOW.toSeconds();
            double dayBound = ORG_DAY_REQUESTS + ORG_DAY_REQUESTS * t / DAY.toSeconds();
            double capacity = Math.min(minuteBound, dayBound);
            long servedB = run.stats().bucketServed().getOrDefault("model-b/model-b", 0L);
            double capacityB = MODEL_B_REQUESTS + MODEL_B_REQUESTS * t / WINDOW.toSeconds();
            System.out.printf(
                    "shared buckets, %d nodes: offered %d + %d, answered model-a %s model-b %s; the provider served"
                            + " %d of %.0f the organisation allows (%.0f%%; 2s bound %.0f, 20s bound %.0f), model-b %d of"
                            + " %.0f; over-limit at the provider: buckets %s, keys %d%n",
                    NODES,
                    run.a().sent(),
                    run.b().sent(),
                    run.a().byStatus(),
                    run.b().byStatus(),
                    served,
                    capacity,
                    100 * served / capacity,
                    minuteBound,
                    dayBound,
                    servedB,
                    capacityB,
                    run.stats().bucketOverLimit(),
                    keysOverLimit(run.stats()));
            assertEquals(
                    0,
                    run.stats().bucketsOverLimit(),
                    "over a shared bucket: " + run.stats().bucketOverLimit());
            assertEquals(0, keysOverLimit(run.stats()), "over a key's own limit");
            assertEquals(0, run.a().failures() + run.b().failures(), "only 200s and 429s");
            assertEquals(run.a().count(200) + run.b().count(200), served, "each 200 is one call served");
            assertTrue(
                    served >= 0.85 * capacity, "the binding bucket should be well used: " + served + " of " + capacity);
            // model-b shares the organisation's calls with model-a, so its own bucket need not bind; it only must
            // never be overrun (counted in the buckets' over-limit above).
            assertTrue(servedB > 0 && servedB <= capacityB, "model-b served within its bucket: " + servedB);
            assertAdminShowsTheBuckets(gateway);
        }
    }

    /** Point 7: the admin API lists each window of each bucket, the keys sharing it and its use; never a secret. */
    private static void assertAdminShowsTheBuckets(GatewayHarness gateway) throws Exception {
        Http.Reply reply = new AdminClient(gateway.url(1)).get("/admin/api/buckets");
        assertEquals(200, reply.status(), reply.body());
        JsonNode buckets = new ObjectMapper().readTree(reply.body()).get("buckets");
        System.out.println("GET /admin/api/buckets: " + reply.body());
        assertEquals(3, buckets.size(), "org 2s and 20s, model-b 2s: " + reply.body());
        JsonNode org = buckets.get(0);
        assertEquals("bucket:mock-openai/org#2s", org.get("id").asText());
        assertEquals("[\"key-1\",\"key-2\",\"key-3\"]", org.get("keys").toString());
        assertEquals(ORG_REQUESTS, org.at("/use/requests/limit").asLong());
        assertEquals(
                ORG_REQUESTS,
                org.at("/providerFigures/requestLimit").asLong(),
                "the provider's headers describe the organisation's window and land on its bucket: " + org);
        assertEquals("20s", buckets.get(1).get("window").asText());
        assertEquals("model-b", buckets.get(2).get("model").asText());
        for (String secret : SECRETS) {
            assertTrue(!reply.body().contains(secret), "the admin API never shows a key's secret");
        }
    }

    /** Proves the test bites: the same keys configured one by one, without their shared buckets, overrun them. */
    @Test
    void shouldOverrunTheProvidersBucketsWhenOnlyTheKeysAreConfigured() throws Exception {
        try (GatewayHarness gateway = new GatewayHarness(mock(), gatewayConfig(false), NODES)) {
            Run run = offer(gateway, Duration.ofSeconds(4));
            System.out.printf(
                    "keys alone, %d nodes: the provider served %d, over-limit at its shared buckets %s%n",
                    NODES, served(run.stats()), run.stats().bucketOverLimit());
            assertTrue(run.stats().bucketsOverLimit() > 0, "the key-by-key config cannot see the organisation");
        }
    }
}
