package dev.crossbar.gateway.keys;

import com.hazelcast.core.HazelcastInstance;
import dev.crossbar.cluster.ledger.KeyCommand;
import dev.crossbar.cluster.ledger.KeyLimits;
import dev.crossbar.cluster.ledger.Ledger;
import dev.crossbar.gateway.state.SharedRecords;
import dev.crossbar.gateway.upstream.ProviderKey;
import dev.crossbar.gateway.upstream.Upstream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Which keys each provider has, cluster-wide. The node's config seeds a Hazelcast map once (put if
 * absent); from then on the map is the truth while the cluster lives, so keys an admin adds, disables
 * or deletes change on every node at once and survive node restarts. Deleted keys leave a tombstone so
 * a restarting node's config cannot bring them back.
 */
public final class KeyDirectory implements AutoCloseable {

    public static final String MAP = "crossbar.keyconfig";

    /** A key as stored in the cluster (the secret too: keep the cluster network private). */
    public record KeyRecord(
            String id,
            String providerId,
            String secret,
            long requests,
            long tokens,
            int concurrent,
            long windowMillis,
            int weight,
            boolean deleted,
            long order) {

        ProviderKey toKey() {
            return new ProviderKey(
                    id, providerId, secret, new KeyLimits(requests, tokens, concurrent, windowMillis), weight);
        }

        static KeyRecord of(ProviderKey key, long order) {
            KeyLimits l = key.limits();
            return new KeyRecord(
                    key.id(),
                    key.providerId(),
                    key.secret(),
                    l.requests(),
                    l.tokens(),
                    l.concurrent(),
                    l.windowMillis(),
                    key.weight(),
                    false,
                    order);
        }
    }

    private final SharedRecords<KeyRecord> shared;
    private final Ledger ledger;
    private final Map<String, Upstream> upstreams;

    /** Seeds the map with {@code configured} keys and loads the current set. Blocks: call off the event loop. */
    public KeyDirectory(
            HazelcastInstance hazelcast, Ledger ledger, Map<String, Upstream> upstreams, List<ProviderKey> configured) {
        this.shared = new SharedRecords<>(hazelcast, MAP, KeyRecord.class);
        this.ledger = ledger;
        this.upstreams = upstreams;
        long order = 0;
        for (ProviderKey key : configured) {
            shared.seed(key.id(), KeyRecord.of(key, order++));
        }
        shared.watch(this::refresh);
        refresh();
    }

    /** Every live key record, secrets included: for the node's own use only, never for responses. */
    public List<KeyRecord> records() {
        List<KeyRecord> records = new ArrayList<>();
        for (KeyRecord r : shared.all()) {
            if (!r.deleted()) {
                records.add(r);
            }
        }
        records.sort(Comparator.comparingLong(KeyRecord::order));
        return records;
    }

    /** Adds a key (or replaces one with the same id); the ledger learns its limits first. */
    public CompletionStage<Void> add(ProviderKey key) {
        if (!upstreams.containsKey(key.providerId())) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException("no provider '" + key.providerId() + "'"));
        }
        return ledger.execute(key.id(), new KeyCommand.Ensure(key.id(), key.limits()))
                .thenCompose(ok -> shared.put(key.id(), KeyRecord.of(key, System.nanoTime())));
    }

    /** Removes a key from every node; completes with false when there was no such key. Blocks for the read. */
    public CompletionStage<Boolean> delete(String keyId) {
        KeyRecord record = shared.get(keyId);
        if (record == null || record.deleted()) {
            return CompletableFuture.completedFuture(false);
        }
        KeyRecord tombstone =
                new KeyRecord(record.id(), record.providerId(), null, 0, 0, 0, 1, 1, true, record.order());
        return shared.put(keyId, tombstone)
                .thenCompose(ok -> ledger.execute(keyId, new KeyCommand.Delete()))
                .thenApply(ok -> true);
    }

    private void refresh() {
        Map<String, List<ProviderKey>> byProvider = new HashMap<>();
        for (KeyRecord r : records()) {
            byProvider.computeIfAbsent(r.providerId(), p -> new ArrayList<>()).add(r.toKey());
        }
        for (Upstream upstream : upstreams.values()) {
            List<ProviderKey> keys = byProvider.getOrDefault(upstream.id(), List.of());
            if (keys.isEmpty() && !upstream.type().needsKey()) {
                keys = List.of(keylessKey(upstream.id()));
            }
            upstream.replaceKeys(keys);
        }
    }

    /** Self-hosted upstreams without keys still go through the pool, under one unlimited pseudo-key. */
    public static ProviderKey keylessKey(String providerId) {
        return new ProviderKey(providerId + "/keyless", providerId, null, KeyLimits.UNLIMITED, 1);
    }

    @Override
    public void close() {
        shared.close();
    }
}
