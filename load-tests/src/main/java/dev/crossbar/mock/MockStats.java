package dev.crossbar.mock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot of every key's counters: what {@code GET /_mock/stats} returns.
 *
 * @param keys counters by key secret, in config order
 * @param totalRequests requests to provider paths (not {@code /_mock/*}), authorized or not
 * @param unknownKeyRequests 401s for keys that are not configured (or no key at all)
 * @param bucketServed calls each shared bucket ({@link MockBucket}, per model as {@code name/model}) admitted
 * @param bucketOverLimit calls each shared bucket refused for being over it, by bucket and by
 *     {@code bucket#window}
 */
public record MockStats(
        Map<String, KeyStats> keys,
        long totalRequests,
        long unknownKeyRequests,
        Map<String, Long> bucketServed,
        Map<String, Long> bucketOverLimit) {

    public MockStats {
        keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
        bucketServed = Map.copyOf(bucketServed);
        bucketOverLimit = Map.copyOf(bucketOverLimit);
    }

    /** Calls the shared buckets refused for being over them, all buckets together. */
    public long bucketsOverLimit() {
        return bucketOverLimit.entrySet().stream()
                .filter(e -> !e.getKey().contains("#"))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    /** The counters of one key; throws if it is not configured. */
    public KeyStats key(String secret) {
        KeyStats s = keys.get(secret);
        if (s == null) {
            throw new IllegalArgumentException("no such key: " + secret);
        }
        return s;
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        ObjectNode keysNode = n.putObject("keys");
        keys.forEach((k, v) -> keysNode.set(k, v.toJson()));
        n.put("totalRequests", totalRequests);
        n.put("unknownKeyRequests", unknownKeyRequests);
        ObjectNode served = n.putObject("bucketServed");
        bucketServed.forEach(served::put);
        ObjectNode over = n.putObject("bucketOverLimit");
        bucketOverLimit.forEach(over::put);
        return n;
    }
}
