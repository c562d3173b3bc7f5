package dev.crossbar.cluster.records;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RawMap} in one process, for tests and as the twin the Hazelcast map is held to. Values are kept as
 * given; {@link #plant} puts anything under an id, as a member that does not hold the cluster key could.
 */
public final class InMemoryRecords implements RawMap {

    private final String name;
    private final Map<String, Object> values = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public InMemoryRecords(String name) {
        this.name = name;
    }

    /** Puts any value under the id, as a writer without the cluster key could. */
    public void plant(String id, Object value) {
        values.put(id, value);
        changed();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public @Nullable Object get(String id) {
        return values.get(id);
    }

    @Override
    public boolean putIfAbsent(String id, byte[] value) {
        boolean stored = values.putIfAbsent(id, value) == null;
        if (stored) {
            changed();
        }
        return stored;
    }

    @Override
    public void set(String id, byte[] value) {
        values.put(id, value);
        changed();
    }

    @Override
    public CompletionStage<Void> setAsync(String id, byte[] value) {
        set(id, value);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean replace(String id, byte[] expected, byte[] value) {
        boolean[] replaced = {false};
        values.computeIfPresent(id, (k, current) -> {
            if (SharedRecords.same(current, expected)) {
                replaced[0] = true;
                return value;
            }
            return current;
        });
        if (replaced[0]) {
            changed();
        }
        return replaced[0];
    }

    @Override
    public void forEach(BiConsumer<String, Object> entry) {
        values.forEach(entry);
    }

    @Override
    public void listen(Runnable changed) {
        listeners.add(changed);
    }

    private void changed() {
        listeners.forEach(Runnable::run);
    }

    @Override
    public void close() {
        listeners.clear();
    }
}
