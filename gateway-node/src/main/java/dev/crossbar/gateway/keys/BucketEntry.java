package dev.crossbar.gateway.keys;

import dev.crossbar.cluster.ledger.KeyLimits;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One ledger entry of a shared bucket: one window of one bucket (and one model, for a bucket counted per
 * model), with its token measure. An ordinary ledger entry (leases, refill cap, fair shares), whose id is
 * {@code bucket:<provider>/<bucket>[/<model>]#<window>[:in|:out]}.
 *
 * @param model    the model it counts for a per-model bucket, else null
 * @param keys     the ids of the keys drawing from it, or null for every key of the provider
 * @param shortest true for the bucket's shortest window: what the provider's rate-limit headers describe
 */
public record BucketEntry(
        String id,
        String provider,
        String bucket,
        @Nullable String model,
        String window,
        TokenPart part,
        KeyLimits limits,
        @Nullable List<String> keys,
        boolean shortest) {

    public static final String PREFIX = "bucket:";

    /** True when {@code id} names a shared bucket's entry rather than a key or a client key. */
    public static boolean isBucket(String id) {
        return id.startsWith(PREFIX);
    }
}
