package dev.crossbar.gateway.keys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.crossbar.cluster.ledger.KeyCommand;
import dev.crossbar.cluster.ledger.KeyLimits;
import dev.crossbar.cluster.ledger.Ledger;
import dev.crossbar.gateway.upstream.Upstream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which keys each provider has, cluster-wide. The node's config seeds a Hazelcast map once (put if
 * absent); from then on the map is the truth while the cluster lives, so keys an admin adds, disables
 * or deletes change on every node at once and survive node restarts. Deleted keys leave a tombstone so
 * a restarting node's config cannot bring them back.
 */
public final class KeyDirectory implements AutoCloseable {

    public static final String MAP = "crossbar.keyconfig";
    private static final Logger LOG = LoggerFactory.getLogger(KeyDirectory.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A key as stored in the cluster (the secret too: keep the cluster network private). */
    public record KeyRecord(String id, String providerId, String secret, long requests, long tokens, int concurrent,
            long windowMillis, int weight, boolean deleted, long order) {

        ProviderKey toKey() {
            return new ProviderKey(id, providerId, secret, new KeyLimits(requests, tokens, concurrent, windowMillis),
                    weight);
        }

        static KeyRecord of(ProviderKey key, long order) {
            KeyLimits l = key.limits();
            return new KeyRecord(key.id(), key.providerId(), key.secret(), l.requests(), l.tokens(), l.concurrent(),
                    l.windowMillis(), key.weight(), false, order);
        }
    }

    private final IMap<String, String> map;
    private final Ledger ledger;
    private final Map<String, Upstream> upstreams;
    private final UUID listener;

    /** Seeds the map with {@code configured} keys and loads the current set. Blocks: call off the event loop. */
    public KeyDirectory(HazelcastInstance hazelcast, Ledger ledger, Map<String, Upstream> upstreams,
            List<ProviderKey> configured) {
        this.map = hazelcast.getMap(MAP);
        this.ledger = ledger;
        this.upstreams = upstreams;
        long order = 0;
        for (ProviderKey key : configured) {
            map.putIfAbsent(key.id(), write(KeyRecord.of(key, order++)));
        }
        this.listener = map.addEntryListener(new Refresher(), false);
        refresh();
    }

    /** Every live key record, secrets included: for the node's own use only, never for responses. */
    public List<KeyRecord> records() {
        List<KeyRecord> records = new ArrayList<>();
        for (String value : map.values()) {
            KeyRecord r = read(value);
            if (r != null && !r.deleted()) {
                records.add(r);
            }
        }
        records.sort(Comparator.comparingLong(KeyRecord::order));
        return records;
    }

    /** Adds a key (or replaces one with the same id); the ledger learns its limits first. */
    public CompletionStage<Void> add(ProviderKey key) {
        if (!upstreams.containsKey(key.providerId())) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no provider '" + key.providerId() + "'"));
        }
        return ledger.execute(key.id(), new KeyCommand.Ensure(key.id(), key.limits()))
                .thenCompose(ok -> map.putAsync(key.id(), write(KeyRecord.of(key, System.nanoTime()))))
                .thenApply(previous -> null);
    }

    /** Removes a key from every node; completes with false when there was no such key. */
    public CompletionStage<Boolean> delete(String keyId) {
        String current = map.get(keyId);
        KeyRecord record = current == null ? null : read(current);
        if (record == null || record.deleted()) {
            return CompletableFuture.completedFuture(false);
        }
        KeyRecord tombstone = new KeyRecord(record.id(), record.providerId(), null, 0, 0, 0, 1, 1, true, record.order());
        return map.putAsync(keyId, write(tombstone))
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

    private static String write(KeyRecord record) {
        try {
            return JSON.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyRecord read(String value) {
        try {
            return JSON.readValue(value, KeyRecord.class);
        } catch (JsonProcessingException e) {
            LOG.warn("ignoring an unreadable key record in {}", MAP);
            return null;
        }
    }

    @Override
    public void close() {
        try {
            map.removeEntryListener(listener);
        } catch (RuntimeException e) {
            LOG.debug("key directory listener already gone: {}", e.toString());
        }
    }

    private final class Refresher implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String>,
            EntryRemovedListener<String, String> {
        @Override
        public void entryAdded(EntryEvent<String, String> event) {
            refresh();
        }

        @Override
        public void entryUpdated(EntryEvent<String, String> event) {
            refresh();
        }

        @Override
        public void entryRemoved(EntryEvent<String, String> event) {
            refresh();
        }
    }
}
