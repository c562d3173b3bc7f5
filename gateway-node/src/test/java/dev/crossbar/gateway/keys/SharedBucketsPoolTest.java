package dev.crossbar.gateway.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.cluster.lease.LocalLeases;
import dev.crossbar.cluster.ledger.InMemoryLedger;
import dev.crossbar.cluster.ledger.KeyCommand;
import dev.crossbar.cluster.ledger.KeyLimits;
import dev.crossbar.cluster.ledger.LedgerSettings;
import dev.crossbar.cluster.ledger.Outcome;
import dev.crossbar.gateway.config.ConfigLoader;
import dev.crossbar.gateway.config.GatewayConfig;
import dev.crossbar.gateway.upstream.LimitLearner;
import dev.crossbar.gateway.upstream.ProviderKey;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The key pool with shared buckets: a call takes a permit from its key and from each bucket, or from none. */
class SharedBucketsPoolTest {

    private static final LedgerSettings SETTINGS =
            new LedgerSettings(250, 2_000, 1_000, 8_000, 1_000, 30_000, 60_000, 1, 10_000);
    private static final String CONFIG = """
            clientKeys:
              - { name: app, key: client-secret-1 }
            providers:
              - id: oa
                type: openai
                baseUrl: https://api.openai.com/v1
                keys:
                  - { id: k1, secret: sk-one-0000000000, requests: 10 }
                  - { id: k2, secret: sk-two-0000000000, requests: 10 }
                  - { id: k3, secret: sk-three-00000000, requests: 10 }
                buckets:
                  - name: org
                    keys: [k1, k2]
                    windows:
                      - { window: 1m, requests: 3 }
                      - { window: 1d, requests: 100 }
                  - name: per-model
                    perModel: true
                    windows:
                      - { window: 1m, requests: 2, inputTokens: 1000 }
            models:
              - name: a
                targets: [ { provider: oa, model: model-a } ]
              - name: b
                targets: [ { provider: oa, model: model-b } ]
            """;

    private final AtomicLong millis = new AtomicLong(1_000_000);
    private final InMemoryLedger ledger = new InMemoryLedger(millis::get, SETTINGS);
    private final Vertx vertx = Vertx.vertx();
    private final Context context = vertx.getOrCreateContext();
    private final LocalLeases leases =
            new LocalLeases(ledger, "n1", () -> TimeUnit.MILLISECONDS.toNanos(millis.get()), null);
    private final GatewayConfig config = new ConfigLoader(Map.<String, String>of()::get).parse(CONFIG);
    private final SharedBuckets buckets = new SharedBuckets(config.providers(), p -> List.of("model-a", "model-b"));
    private final KeyPool pool = new KeyPool(leases, ledger, Strategy.byName("least-utilised"), buckets);
    private final List<ProviderKey> keys = List.of(key("k1"), key("k2"), key("k3"));

    private static ProviderKey key(String id) {
        return new ProviderKey(id, "oa", "sk-" + id, new KeyLimits(10, 0, 0, 60_000), 1);
    }

    SharedBucketsPoolTest() {
        for (ProviderKey k : keys) {
            ledger.execute(k.id(), new KeyCommand.Ensure(k.id(), k.limits()));
        }
        for (BucketEntry entry : buckets.entries()) {
            ledger.execute(entry.id(), new KeyCommand.Ensure(entry.id(), entry.limits()));
        }
    }

    @AfterEach
    void close() {
        vertx.close();
    }

    private Capacity acquire(List<ProviderKey> from, String model) throws Exception {
        return pool.acquire(from, model, new CallTokens(100, 60, 40), 0, Set.of(), context)
                .toCompletionStage()
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }

    @Test
    void shouldMakeOneEntryPerWindowModelAndTokenPart() {
        List<String> ids = buckets.entries().stream().map(BucketEntry::id).toList();
        assertEquals(
                List.of(
                        "bucket:oa/org#1m",
                        "bucket:oa/org#1d",
                        "bucket:oa/per-model/model-a#1m",
                        "bucket:oa/per-model/model-a#1m:in",
                        "bucket:oa/per-model/model-b#1m",
                        "bucket:oa/per-model/model-b#1m:in"),
                ids);
        assertEquals(
                List.of(
                        "bucket:oa/org#1m",
                        "bucket:oa/org#1d",
                        "bucket:oa/per-model/model-a#1m",
                        "bucket:oa/per-model/model-a#1m:in"),
                buckets.drawnBy(keys.get(0), "model-a").stream()
                        .map(BucketEntry::id)
                        .toList());
        assertEquals(
                List.of("bucket:oa/per-model/model-b#1m", "bucket:oa/per-model/model-b#1m:in"),
                buckets.drawnBy(keys.get(2), "model-b").stream()
                        .map(BucketEntry::id)
                        .toList());
    }

    @Test
    void shouldGrantNoMoreThanTheOrganisationsBucketAcrossItsKeys() throws Exception {
        List<ProviderKey> orgKeys = keys.subList(0, 2);
        List<Capacity.Granted> granted = new ArrayList<>();
        Capacity answer = acquire(orgKeys, "model-b");
        while (answer instanceof Capacity.Granted g) {
            granted.add(g);
            assertTrue(granted.size() <= 3, "the org's 3 requests a minute bind, not the keys' 10 each");
            answer = acquire(orgKeys, "model-b");
        }
        assertEquals(2, granted.size(), "the per-model bucket of model-b (2 a minute) binds first");
        Capacity.Refused refused = assertInstanceOf(Capacity.Refused.class, answer);
        assertTrue(refused.reason().contains("shared bucket per-model 1m"), refused.reason());
        assertEquals(4, granted.get(0).shared().size(), "org 1m, org 1d, model-b 1m and its input tokens");
        assertEquals(
                60, granted.get(0).shared().get(3).permit().estimatedTokens(), "the input bucket reserves the prompt");
        Capacity.Granted third = assertInstanceOf(Capacity.Granted.class, acquire(orgKeys, "model-a"));
        assertEquals(3, granted.size() + 1, "model-a's bucket has room, the org's third request is left");
        assertInstanceOf(Capacity.Refused.class, acquire(orgKeys, "model-a"), "now the org is spent");
        assertEquals("k3", ((Capacity.Granted) acquire(keys, "model-a")).key().id(), "org keys skipped, k3 serves");
        assertTrue(third.permit() != null);
    }

    @Test
    void shouldLeaveTheKeysWholeWhenASharedBucketRefuses() throws Exception {
        List<ProviderKey> orgKeys = keys.subList(0, 2);
        List<Capacity.Granted> granted = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            if (acquire(orgKeys, i % 2 == 0 ? "model-a" : "model-b") instanceof Capacity.Granted g) {
                granted.add(g);
            }
        }
        assertEquals(3, granted.size(), "the org's bucket");
        for (Capacity.Granted g : granted) {
            leases.arrived(g.permit());
            leases.release(g.permit(), true, 100, Outcome.SUCCESS, 1, -1, null);
            for (SharedPermit s : g.shared()) {
                leases.arrived(s.permit());
                leases.release(s.permit(), true, s.entry().part().settled(100, 60), Outcome.SUCCESS, 1, -1, null);
            }
        }
        leases.releaseAll().toCompletableFuture().join();
        long used = granted.stream().filter(g -> g.key().id().equals("k1")).count();
        assertEquals(10.0 - used, ledger.snapshot().get("k1").freeRequests(), 1e-6, "refusals cost k1 nothing");
        assertEquals(10.0 - (granted.size() - used), ledger.snapshot().get("k2").freeRequests(), 1e-6, "nor k2");
        assertEquals(0.0, ledger.snapshot().get("bucket:oa/org#1m").freeRequests(), 1e-6);
        assertEquals(97.0, ledger.snapshot().get("bucket:oa/org#1d").freeRequests(), 1e-6);
        for (var state : ledger.snapshot().values()) {
            assertEquals(0, state.leasedRequests(), state.keyId() + " holds nothing");
        }
    }

    @Test
    void shouldSendTheProvidersFiguresToTheSharedBucketTheyDescribe() throws Exception {
        Capacity.Granted granted = assertInstanceOf(Capacity.Granted.class, acquire(keys.subList(0, 1), "model-a"));
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("x-ratelimit-limit-requests", "2")
                .add("x-ratelimit-remaining-requests", "1")
                .add("anthropic-ratelimit-input-tokens-limit", "500")
                .add("anthropic-ratelimit-input-tokens-remaining", "40");
        buckets.learn(new LimitLearner(leases, ledger), "k1", granted.shared(), headers);
        assertEquals(2, ledger.snapshot().get("bucket:oa/org#1m").requestLimit(), "the org's shortest window learned");
        assertEquals(10, ledger.snapshot().get("k1").requestLimit(), "not the key's own");
        assertEquals(100, ledger.snapshot().get("bucket:oa/org#1d").requestLimit(), "nor the day window");
        assertEquals(
                500, ledger.snapshot().get("bucket:oa/per-model/model-a#1m:in").tokenLimit(), "input tokens");
        assertEquals(1, buckets.lastSeen("bucket:oa/org#1m").requestsRemaining(), "kept for the admin API");
        assertEquals(40, buckets.lastSeen("bucket:oa/per-model/model-a#1m:in").tokensRemaining());
    }
}
