package dev.crossbar.gateway.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Label values from a set that grows at runtime (client keys, teams), bounded: the first {@code limit}
 * distinct values keep their own label, every later one is {@link #OTHER}; null is {@link RequestMetrics#NONE}.
 * Thread-safe; a value seen before costs one map lookup.
 */
final class BoundedLabels {

    static final String OTHER = "other";

    private final ConcurrentHashMap<String, String> admitted = new ConcurrentHashMap<>();
    private final AtomicInteger free;

    BoundedLabels(int limit) {
        this.free = new AtomicInteger(limit);
    }

    String label(@Nullable String value) {
        if (value == null) {
            return RequestMetrics.NONE;
        }
        String known = admitted.get(value);
        if (known != null) {
            return known;
        }
        return admitted.computeIfAbsent(value, v -> free.getAndDecrement() > 0 ? v : OTHER);
    }
}
