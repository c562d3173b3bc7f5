package dev.crossbar.gateway.auth;

import dev.crossbar.cluster.ledger.KeyCommand;
import dev.crossbar.cluster.ledger.KeyLimits;
import dev.crossbar.cluster.ledger.Ledger;
import dev.crossbar.cluster.records.ClientKeyRecord;
import dev.crossbar.cluster.records.RecordStore;
import dev.crossbar.cluster.seal.ClusterKey;
import dev.crossbar.cluster.seal.ClusterKeyring;
import dev.crossbar.gateway.config.ClientKeyConfig;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway client keys, cluster-wide, in the signed {@code crossbar.clientkeys} records: each key's name,
 * keyed digest, allowed models and limits, never the key itself. Nodes seed them from their config and admins
 * add or delete keys at runtime; every node rebuilds its {@link ClientKeys} as soon as the records change.
 * Deleted keys leave a tombstone so a restarting node's config cannot bring them back. A record nobody
 * signed with the cluster key is not read, so nobody without that key can add a client key or change one.
 */
public final class ClientKeyDirectory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClientKeyDirectory.class);

    private final RecordStore<ClientKeyRecord> store;
    private final ClusterKeyring keys;
    private final Ledger ledger;
    private final Set<String> rekeying = ConcurrentHashMap.newKeySet();
    private final ExecutorService rekeyer = Executors.newSingleThreadExecutor(task -> {
        Thread t = new Thread(task, "crossbar-client-key-rekey");
        t.setDaemon(true);
        return t;
    });
    private volatile ClientKeys current;

    /** Seeds the records with {@code configured} keys and loads the current set. Blocks: call off the event loop. */
    public ClientKeyDirectory(
            RecordStore<ClientKeyRecord> store, ClusterKeyring keys, Ledger ledger, List<ClientKeyConfig> configured) {
        this.store = store;
        this.keys = keys;
        this.ledger = ledger;
        for (ClientKeyConfig config : configured) {
            seed(config);
        }
        store.watch(this::refresh);
        refresh();
    }

    /**
     * Stores a configured key unless the cluster has a record of that name. One whose digest was made with a
     * previous cluster key is digested again under the current one: the config holds the key, so it can be.
     */
    private void seed(ClientKeyConfig config) {
        ClientKeyRecord mine = recordFor(
                config.name(), config.key(), config.models(), config.limits().toKeyLimits(), config.team());
        ClientKeyRecord stored = store.get(config.name());
        if (stored == null) {
            store.seed(config.name(), mine);
            return;
        }
        ClusterKey under = keys.key(stored.digestKey());
        if (!stored.deleted()
                && under != null
                && under != keys.current()
                && MessageDigest.isEqual(
                        HexFormat.of().parseHex(stored.digest()), ClientKeys.digest(keys, under, config.key()))) {
            store.put(config.name(), stored.withDigest(mine.digest(), mine.digestKey()))
                    .toCompletableFuture()
                    .join();
        }
    }

    /** A new record for a client key: its digest under the current cluster key, never the key. */
    public ClientKeyRecord recordFor(
            String name, String clientKey, List<String> models, KeyLimits limits, @Nullable String team) {
        return new ClientKeyRecord(
                name, ClientKeys.hexDigest(keys, clientKey), keys.current().id(), models, limits, false, team);
    }

    /** The keys this node accepts now; never blocks. */
    public ClientKeys current() {
        return current;
    }

    /** Every live client key, sorted by name. Blocks: call off the event loop. */
    public List<ClientKeyRecord> records() {
        List<ClientKeyRecord> live = new ArrayList<>();
        for (ClientKeyRecord r : store.all().values()) {
            if (!r.deleted()) {
                live.add(r);
            }
        }
        live.sort(Comparator.comparing(ClientKeyRecord::name));
        return live;
    }

    /** Adds a key on every node (or replaces the one with that name); the ledger learns its limits first. */
    public CompletionStage<Void> add(ClientKeyRecord record) {
        CompletionStage<Object> ensured = record.limited()
                ? ledger.execute(
                        ClientKeys.ledgerId(record.name()),
                        new KeyCommand.Ensure(ClientKeys.ledgerId(record.name()), record.limits()))
                : CompletableFuture.completedFuture(null);
        return ensured.thenCompose(ok -> store.put(record.name(), record));
    }

    /** Removes a key from every node; completes with false when there was no such key. Blocks for the read. */
    public CompletionStage<Boolean> delete(String name) {
        ClientKeyRecord record = store.get(name);
        if (record == null || record.deleted()) {
            return CompletableFuture.completedFuture(false);
        }
        CompletionStage<Void> stored = store.put(name, ClientKeyRecord.tombstone(name));
        if (!record.limited()) {
            return stored.thenApply(ok -> true);
        }
        return stored.thenCompose(ok -> ledger.execute(ClientKeys.ledgerId(name), new KeyCommand.Delete()))
                .thenApply(ok -> true);
    }

    private void refresh() {
        current = new ClientKeys(records(), keys, this::rekey);
    }

    /**
     * A client used a key whose digest was made with a previous cluster key: store the current key's digest
     * (once, off the event loop, and only if the record is still the one that matched).
     */
    private void rekey(ClientKeys.Rekey rekey) {
        String name = rekey.record().name();
        if (!rekeying.add(name)) {
            return;
        }
        rekeyer.execute(() -> {
            try {
                if (rekey.record().equals(store.get(name))) {
                    store.put(name, rekey.record().withDigest(rekey.digest(), rekey.digestKey()))
                            .toCompletableFuture()
                            .join();
                    LOG.info("client key {} now has its digest under the current cluster key", name);
                }
            } catch (RuntimeException e) {
                LOG.warn("could not store client key {} under the current cluster key: {}", name, e.toString());
            } finally {
                rekeying.remove(name);
            }
        });
    }

    /** Stops the re-digesting; the records themselves close with the cluster state. */
    @Override
    public void close() {
        rekeyer.shutdownNow();
    }
}
