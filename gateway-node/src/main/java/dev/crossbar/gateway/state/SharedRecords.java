package dev.crossbar.gateway.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.crossbar.cluster.hazelcast.HazelcastFutures;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every node shares, as JSON in a Hazelcast map: seeded from each node's config without
 * overriding what the cluster already holds, changed by admins, and watched so each node rebuilds its
 * local view when any of them changes. A record stays while one member lives (the map keeps one backup).
 */
public final class SharedRecords<R> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SharedRecords.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final IMap<String, String> map;
    private final Class<R> type;
    private final ExecutorService refresher;
    private final AtomicBoolean refreshPending = new AtomicBoolean();
    private volatile UUID listener;

    public SharedRecords(HazelcastInstance hazelcast, String mapName, Class<R> type) {
        this.map = hazelcast.getMap(mapName);
        this.type = type;
        this.refresher = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "crossbar-" + mapName + "-refresh");
            t.setDaemon(true);
            return t;
        });
    }

    /** Stores the record unless the cluster knows the id already (a deleted one's tombstone included). Blocks. */
    public void seed(String id, R record) {
        map.putIfAbsent(id, write(record));
    }

    /**
     * Runs {@code onChange} after every change, from any node: on one thread of its own, so refreshes never
     * overlap (the last one always reads the latest records) and never block Hazelcast's event threads;
     * changes that arrive while one runs are folded into one more run.
     */
    public void watch(Runnable onChange) {
        listener = map.addEntryListener(
                new Listener(() -> {
                    if (refreshPending.compareAndSet(false, true)) {
                        refresher.execute(() -> {
                            refreshPending.set(false);
                            onChange.run();
                        });
                    }
                }),
                false);
    }

    /** Every readable record. Blocks: call off the event loop. */
    public List<R> all() {
        List<R> records = new ArrayList<>();
        for (String value : map.values()) {
            R r = read(value);
            if (r != null) {
                records.add(r);
            }
        }
        return records;
    }

    /** The record stored under {@code id}, or null. Blocks. */
    public R get(String id) {
        String value = map.get(id);
        return value == null ? null : read(value);
    }

    public CompletionStage<Void> put(String id, R record) {
        return HazelcastFutures.completedOnPool(map.putAsync(id, write(record))).thenApply(previous -> null);
    }

    private static String write(Object record) {
        try {
            return JSON.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private R read(String value) {
        try {
            return JSON.readValue(value, type);
        } catch (JsonProcessingException e) {
            LOG.warn("ignoring an unreadable {} in {}", type.getSimpleName(), map.getName());
            return null;
        }
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        UUID id = listener;
        if (id == null) {
            return;
        }
        try {
            map.removeEntryListener(id);
        } catch (RuntimeException e) {
            LOG.debug("{} listener already gone: {}", map.getName(), e.toString());
        }
    }

    private static final class Listener
            implements EntryAddedListener<String, String>,
                    EntryUpdatedListener<String, String>,
                    EntryRemovedListener<String, String> {
        private final Runnable onChange;

        Listener(Runnable onChange) {
            this.onChange = onChange;
        }

        @Override
        public void entryAdded(EntryEvent<String, String> event) {
            onChange.run();
        }

        @Override
        public void entryUpdated(EntryEvent<String, String> event) {
            onChange.run();
        }

        @Override
        public void entryRemoved(EntryEvent<String, String> event) {
            onChange.run();
        }
    }
}
