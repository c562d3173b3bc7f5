package dev.crossbar.cluster.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.cluster.ledger.KeyLimits;
import dev.crossbar.cluster.seal.ClusterKey;
import dev.crossbar.cluster.seal.ClusterKeyring;
import dev.crossbar.cluster.seal.Rejections;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every record store must do, whatever carries it: seed without overriding, keep tombstones, hand out
 * only authentic records, never hold a secret in clear, tell watchers, and reseal after a key rotation.
 * Implementations supply stores over one shared map per format, and a way to plant any value in it.
 */
public abstract class RecordStoreContract {

    /** A store of {@code format} over the shared map, reading and writing with {@code keys}. */
    protected abstract <R> RecordStore<R> store(RecordFormat<R> format, ClusterKeyring keys, Rejections rejections);

    /** Puts any value under the id, as a member without the cluster key could. */
    protected abstract void plant(String map, String id, Object value);

    /** The value under the id as the map holds it. */
    protected abstract Object raw(String map, String id);

    protected final ClusterKeyring keys = ClusterKeyring.of(ClusterKey.random(), List.of());
    protected final Rejections rejections = new Rejections();

    private static String id() {
        return "r-" + UUID.randomUUID();
    }

    private static ProviderKeyRecord key(String id, String secret) {
        return new ProviderKeyRecord(id, "openai", secret, new KeyLimits(10, 0, 0, 60_000), 1, false, 0);
    }

    private static ClientKeyRecord client(String name, String digest) {
        return new ClientKeyRecord(name, digest, 7, List.of("*"), KeyLimits.UNLIMITED, false);
    }

    @Test
    void shouldSeedOnceAndKeepWhatTheClusterHolds() {
        RecordStore<ProviderKeyRecord> store = store(ProviderKeyRecord.FORMAT, keys, rejections);
        String id = id();
        store.seed(id, key(id, "sk-first"));
        store.seed(id, key(id, "sk-second"));
        assertEquals("sk-first", store.get(id).secret());
        store.put(id, key(id, "sk-first").tombstone()).toCompletableFuture().join();
        store.seed(id, key(id, "sk-again"));
        assertTrue(store.get(id).deleted(), "a deleted record stays deleted");
    }

    @Test
    void shouldReplaceAForgedRecordWhenSeeding() {
        RecordStore<ClientKeyRecord> store = store(ClientKeyRecord.FORMAT, keys, rejections);
        RecordStore<ClientKeyRecord> forger =
                store(ClientKeyRecord.FORMAT, ClusterKeyring.of(ClusterKey.random(), List.of()), new Rejections());
        String name = id();
        forger.put(name, client(name, "attacker")).toCompletableFuture().join();
        assertNull(store.get(name), "a forged record is not read");
        store.seed(name, client(name, "configured"));
        assertEquals("configured", store.get(name).digest(), "nor does it keep the configured record out");
    }

    @Test
    void shouldIgnoreForgedAndForeignValuesAndCountThem() {
        RecordStore<ClientKeyRecord> store = store(ClientKeyRecord.FORMAT, keys, rejections);
        String good = id();
        store.put(good, client(good, "ours")).toCompletableFuture().join();
        RecordStore<ClientKeyRecord> forger =
                store(ClientKeyRecord.FORMAT, ClusterKeyring.of(ClusterKey.random(), List.of()), new Rejections());
        String forged = id();
        forger.put(forged, client(forged, "theirs")).toCompletableFuture().join();
        String foreign = id();
        plant(ClientKeyRecord.FORMAT.map(), foreign, "{\"name\":\"x\",\"sha256\":\"00\"}");
        String garbage = id();
        plant(ClientKeyRecord.FORMAT.map(), garbage, new byte[] {(byte) 0xCB, 3, 1, 0, 0, 0, 0, 1, 2});
        long before = rejections.total();
        var all = store.all();
        assertTrue(all.containsKey(good));
        assertFalse(all.containsKey(forged));
        assertFalse(all.containsKey(foreign));
        assertFalse(all.containsKey(garbage));
        assertNull(store.get(forged));
        assertTrue(rejections.total() >= before + 3, "refusals counted: " + (rejections.total() - before));
    }

    @Test
    void shouldNeverHoldASecretInClear() {
        RecordStore<ProviderKeyRecord> store = store(ProviderKeyRecord.FORMAT, keys, rejections);
        String id = id();
        String secret = "sk-proj-" + UUID.randomUUID();
        store.put(id, key(id, secret)).toCompletableFuture().join();
        Object raw = raw(ProviderKeyRecord.FORMAT.map(), id);
        assertTrue(raw instanceof byte[]);
        String text = new String((byte[]) raw, StandardCharsets.ISO_8859_1);
        assertFalse(text.contains(secret), "the secret is in the map in clear");
        assertFalse(text.contains("sk-proj-"), "part of the secret is in the map in clear");
        assertEquals(secret, store.get(id).secret());
    }

    @Test
    void shouldTellWatchersOfChanges() throws Exception {
        RecordStore<ClientKeyRecord> store = store(ClientKeyRecord.FORMAT, keys, rejections);
        CountDownLatch changed = new CountDownLatch(1);
        store.watch(changed::countDown);
        String name = id();
        store.put(name, client(name, "d")).toCompletableFuture().join();
        assertTrue(changed.await(10, TimeUnit.SECONDS));
    }

    @Test
    void shouldResealRecordsOfAPreviousKeyWithTheNewOne() {
        RecordStore<ProviderKeyRecord> old = store(ProviderKeyRecord.FORMAT, keys, rejections);
        String id = id();
        old.put(id, key(id, "sk-rotate")).toCompletableFuture().join();
        ClusterKey next = ClusterKey.random();
        RecordStore<ProviderKeyRecord> rotating =
                store(ProviderKeyRecord.FORMAT, ClusterKeyring.of(next, List.of(keys.current())), new Rejections());
        assertEquals("sk-rotate", rotating.get(id).secret(), "the previous key is accepted");
        assertTrue(rotating.reseal() >= 1);
        RecordStore<ProviderKeyRecord> after =
                store(ProviderKeyRecord.FORMAT, ClusterKeyring.of(next, List.of()), new Rejections());
        assertEquals("sk-rotate", after.get(id).secret(), "sealed under the new key alone");
        assertNull(old.get(id), "no longer under the old one");
    }
}
