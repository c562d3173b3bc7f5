package dev.crossbar.cluster.records;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * A map of records every node shares, each under an id, sealed or signed with the cluster key: seeded from
 * each node's config without overriding what the cluster holds, changed by admins, watched so each node
 * rebuilds its view when any of them changes. Only authentic records are ever returned; anything else in
 * the map is ignored, logged and counted. Deleting is writing a tombstone record, never removing the id,
 * so a restarting node's config cannot bring a deleted record back.
 */
public interface RecordStore<R> extends AutoCloseable {

    /**
     * Stores the record unless an authentic one already has the id (a tombstone included); a value that is
     * not authentic is replaced. Blocks: call off any event loop.
     */
    void seed(String id, R record);

    /** Stores the record under the id, whatever was there. */
    CompletionStage<Void> put(String id, R record);

    /** The authentic record under {@code id}, or null. Blocks. */
    @Nullable
    R get(String id);

    /** Every authentic record, by id. Blocks. */
    Map<String, R> all();

    /**
     * Rewrites every authentic record still sealed or signed with a previous cluster key under the current
     * one (a key rotation). Returns how many it rewrote. Blocks.
     */
    int reseal();

    /**
     * Runs {@code onChange} after every change from any node, on a thread of the store's own: refreshes never
     * overlap, and changes that arrive while one runs are folded into one more run.
     */
    void watch(Runnable onChange);

    @Override
    void close();
}
