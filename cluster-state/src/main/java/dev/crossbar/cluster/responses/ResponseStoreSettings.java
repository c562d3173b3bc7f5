package dev.crossbar.cluster.responses;

import java.time.Duration;

/**
 * Bounds of the Responses state: how long a record lives, how large one may be, and how many bytes all of
 * them may take on one member (the oldest go first beyond that).
 */
public record ResponseStoreSettings(Duration ttl, int maxEntryBytes, long maxTotalBytes) {

    public static final ResponseStoreSettings DEFAULTS =
            new ResponseStoreSettings(Duration.ofHours(24), 1 << 20, 64L << 20);

    public ResponseStoreSettings {
        if (ttl.isNegative() || ttl.isZero() || maxEntryBytes < 1 || maxTotalBytes < maxEntryBytes) {
            throw new IllegalArgumentException("response store bounds must be positive, total >= one entry");
        }
    }
}
