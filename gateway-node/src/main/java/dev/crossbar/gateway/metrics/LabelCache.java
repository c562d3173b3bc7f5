package dev.crossbar.gateway.metrics;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Meters looked up by their label values without allocating: one nested map level per label, so the
 * hot path does only hash lookups on strings it already holds. A miss builds the meter once.
 * Label values must come from bounded sets (configured names, enums), never from client input.
 */
final class LabelCache<M> {

    /** Builds the meter for a label combination seen for the first time. */
    @FunctionalInterface
    interface Factory<M> {
        M create(String[] labels);
    }

    private final ConcurrentHashMap<String, Object> root = new ConcurrentHashMap<>();
    private final Factory<M> factory;

    LabelCache(Factory<M> factory) {
        this.factory = factory;
    }

    @SuppressWarnings("unchecked")
    M get(String a) {
        Object meter = root.get(a);
        return meter != null ? (M) meter : create(root, a, new String[] {a});
    }

    @SuppressWarnings("unchecked")
    M get(String a, String b) {
        ConcurrentHashMap<String, Object> last = level(root, a);
        Object meter = last.get(b);
        return meter != null ? (M) meter : create(last, b, new String[] {a, b});
    }

    @SuppressWarnings("unchecked")
    M get(String a, String b, String c) {
        ConcurrentHashMap<String, Object> last = level(level(root, a), b);
        Object meter = last.get(c);
        return meter != null ? (M) meter : create(last, c, new String[] {a, b, c});
    }

    @SuppressWarnings("unchecked")
    M get(String a, String b, String c, String d) {
        ConcurrentHashMap<String, Object> last = level(level(level(root, a), b), c);
        Object meter = last.get(d);
        return meter != null ? (M) meter : create(last, d, new String[] {a, b, c, d});
    }

    @SuppressWarnings("unchecked")
    private M create(ConcurrentHashMap<String, Object> map, String key, String[] labels) {
        return (M) map.computeIfAbsent(key, k -> factory.create(labels));
    }

    @SuppressWarnings("unchecked")
    private static ConcurrentHashMap<String, Object> level(ConcurrentHashMap<String, Object> map, String key) {
        Object next = map.get(key);
        if (next == null) {
            next = map.computeIfAbsent(key, k -> new ConcurrentHashMap<String, Object>());
        }
        return (ConcurrentHashMap<String, Object>) next;
    }
}
