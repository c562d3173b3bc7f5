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
 */
public record MockStats(Map<String, KeyStats> keys, long totalRequests, long unknownKeyRequests) {

    public MockStats {
        keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
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
        return n;
    }
}
