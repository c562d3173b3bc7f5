package dev.crossbar.gateway.keys;

import dev.crossbar.cluster.ledger.KeyCommand;
import dev.crossbar.cluster.ledger.KeyLimits;
import dev.crossbar.cluster.ledger.Ledger;
import dev.crossbar.cluster.records.ProviderKeyRecord;
import dev.crossbar.cluster.records.RecordStore;
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
 * Which keys each provider has, cluster-wide. The node's config seeds the sealed {@code crossbar.keyconfig}
 * records once (unless the cluster holds one of that id); from then on the records are the truth while the
 * cluster lives, so keys an admin adds, disables or deletes change on every node at once and survive node
 * restarts. Deleted keys leave a tombstone so a restarting node's config cannot bring them back. Secrets are
 * sealed with the cluster key: the map holds none in clear.
 */
public final class KeyDirectory {

    private final RecordStore<ProviderKeyRecord> store;
    private final Ledger ledger;
    private final Map<String, Upstream> upstreams;

    /** Seeds the records with {@code configured} keys and loads the current set. Blocks: call off the event loop. */
    public KeyDirectory(
            RecordStore<ProviderKeyRecord> store,
            Ledger ledger,
            Map<String, Upstream> upstreams,
            List<ProviderKey> configured) {
        this.store = store;
        this.ledger = ledger;
        this.upstreams = upstreams;
        long order = 0;
        for (ProviderKey key : configured) {
            store.seed(key.id(), record(key, order++));
        }
        store.watch(this::refresh);
        refresh();
    }

    private static ProviderKeyRecord record(ProviderKey key, long order) {
        return new ProviderKeyRecord(
                key.id(), key.providerId(), key.secret(), key.limits(), key.weight(), false, order);
    }

    private static ProviderKey key(ProviderKeyRecord r) {
        return new ProviderKey(r.id(), r.providerId(), r.secret(), r.limits(), r.weight());
    }

    /** Every live key record, secrets included: for the node's own use only, never for responses. */
    public List<ProviderKeyRecord> records() {
        List<ProviderKeyRecord> records = new ArrayList<>();
        for (ProviderKeyRecord r : store.all().values()) {
            if (!r.deleted()) {
                records.add(r);
            }
        }
        records.sort(Comparator.comparingLong(ProviderKeyRecord::order));
        return records;
    }

    /** Adds a key (or replaces one with the same id); the ledger learns its limits first. */
    public CompletionStage<Void> add(ProviderKey key) {
        if (!upstreams.containsKey(key.providerId())) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException("no provider '" + key.providerId() + "'"));
        }
        return ledger.execute(key.id(), new KeyCommand.Ensure(key.id(), key.limits()))
                .thenCompose(ok -> store.put(key.id(), record(key, System.nanoTime())));
    }

    /** Removes a key from every node; completes with false when there was no such key. Blocks for the read. */
    public CompletionStage<Boolean> delete(String keyId) {
        ProviderKeyRecord record = store.get(keyId);
        if (record == null || record.deleted()) {
            return CompletableFuture.completedFuture(false);
        }
        return store.put(keyId, record.tombstone())
                .thenCompose(ok -> ledger.execute(keyId, new KeyCommand.Delete()))
                .thenApply(ok -> true);
    }

    private void refresh() {
        Map<String, List<ProviderKey>> byProvider = new HashMap<>();
        for (ProviderKeyRecord r : records()) {
            byProvider.computeIfAbsent(r.providerId(), p -> new ArrayList<>()).add(key(r));
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
}
