package dev.crossbar.gateway.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.hazelcast.core.HazelcastInstance;
import dev.crossbar.cluster.ledger.KeyCommand;
import dev.crossbar.cluster.ledger.KeyLimits;
import dev.crossbar.cluster.ledger.Ledger;
import dev.crossbar.gateway.config.ClientKeyConfig;
import dev.crossbar.gateway.state.SharedRecords;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The gateway client keys, cluster-wide, stored hashed: the cluster map holds each key's name, SHA-256
 * digest, allowed models and limits, never the key itself. Nodes seed it from their config (put if
 * absent) and admins add or delete keys at runtime; every node rebuilds its {@link ClientKeys} as soon
 * as the map changes. Deleted keys leave a tombstone so a restarting node's config cannot bring them back.
 */
public final class ClientKeyDirectory implements AutoCloseable {

    public static final String MAP = "crossbar.clientkeys";

    /**
     * A client key as the cluster stores it.
     *
     * @param team its team, or null (absent in records written before teams). Written only when set, so a
     *     node of the version before teams, which refuses unknown fields, still reads a key of no team
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClientKeyRecord(
            String name,
            String sha256,
            List<String> models,
            long requests,
            long tokens,
            int concurrent,
            long windowMillis,
            boolean deleted,
            String team) {

        /** A key of no team. */
        public ClientKeyRecord(
                String name,
                String sha256,
                List<String> models,
                long requests,
                long tokens,
                int concurrent,
                long windowMillis,
                boolean deleted) {
            this(name, sha256, models, requests, tokens, concurrent, windowMillis, deleted, null);
        }

        public static ClientKeyRecord of(ClientKeyConfig config) {
            KeyLimits l = config.limits().toKeyLimits();
            return new ClientKeyRecord(
                    config.name(),
                    ClientKeys.hexDigest(config.key()),
                    config.models(),
                    l.requests(),
                    l.tokens(),
                    l.concurrent(),
                    l.windowMillis(),
                    false,
                    config.team());
        }

        public KeyLimits limits() {
            return new KeyLimits(requests, tokens, concurrent, windowMillis);
        }

        public boolean limited() {
            return requests > 0 || tokens > 0 || concurrent > 0;
        }
    }

    private final SharedRecords<ClientKeyRecord> shared;
    private final Ledger ledger;
    private volatile ClientKeys current;

    /** Seeds the map with {@code configured} keys and loads the current set. Blocks: call off the event loop. */
    public ClientKeyDirectory(HazelcastInstance hazelcast, Ledger ledger, List<ClientKeyConfig> configured) {
        this.shared = new SharedRecords<>(hazelcast, MAP, ClientKeyRecord.class);
        this.ledger = ledger;
        for (ClientKeyConfig config : configured) {
            shared.seed(config.name(), ClientKeyRecord.of(config));
        }
        shared.watch(this::refresh);
        refresh();
    }

    /** The keys this node accepts now; never blocks. */
    public ClientKeys current() {
        return current;
    }

    /** Every live client key, sorted by name. Blocks: call off the event loop. */
    public List<ClientKeyRecord> records() {
        List<ClientKeyRecord> live = new ArrayList<>();
        for (ClientKeyRecord r : shared.all()) {
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
        return ensured.thenCompose(ok -> shared.put(record.name(), record));
    }

    /** Removes a key from every node; completes with false when there was no such key. Blocks for the read. */
    public CompletionStage<Boolean> delete(String name) {
        ClientKeyRecord record = shared.get(name);
        if (record == null || record.deleted()) {
            return CompletableFuture.completedFuture(false);
        }
        ClientKeyRecord tombstone = new ClientKeyRecord(name, "", List.of(), 0, 0, 0, 1, true);
        CompletionStage<Void> stored = shared.put(name, tombstone);
        if (!record.limited()) {
            return stored.thenApply(ok -> true);
        }
        return stored.thenCompose(ok -> ledger.execute(ClientKeys.ledgerId(name), new KeyCommand.Delete()))
                .thenApply(ok -> true);
    }

    private void refresh() {
        current = new ClientKeys(records());
    }

    @Override
    public void close() {
        shared.close();
    }
}
