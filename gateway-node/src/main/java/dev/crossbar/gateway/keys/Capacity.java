package dev.crossbar.gateway.keys;

import dev.crossbar.cluster.lease.Permit;
import dev.crossbar.gateway.upstream.ProviderKey;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What the key pool answers when asked for capacity for one call: a key to call with, or a refusal. */
public sealed interface Capacity permits Capacity.Granted, Capacity.Refused {

    /**
     * A key and the permit to call with it.
     *
     * @param shared the call's permits on the shared buckets it draws from, settled with it
     */
    record Granted(ProviderKey key, Permit permit, List<SharedPermit> shared) implements Capacity {

        public Granted(ProviderKey key, Permit permit) {
            this(key, permit, List.of());
        }
    }

    /**
     * Every key refused.
     *
     * @param retryAfterMillis the soonest any key may have room ({@code Long.MAX_VALUE}: none will without an
     *                         admin, or the call is larger than every key's limit)
     * @param reason           why the first key refused: "no usable key", "saturated", "cooling down", ...
     */
    record Refused(long retryAfterMillis, @Nullable String reason) implements Capacity {}
}
