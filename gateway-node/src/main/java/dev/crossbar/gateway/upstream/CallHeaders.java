package dev.crossbar.gateway.upstream;

import io.vertx.core.MultiMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * The headers of a vendor's calls with one key, built (and checked by Vert.x) once per secret and kind of call
 * instead of once per call, and shared read-only by every call with it: Vert.x adopts a read-only map into the
 * request without copying it. A secret no longer in use goes when the keys are replaced, or when more secrets
 * than any provider holds have been seen.
 */
final class CallHeaders {

    private static final int MOST = 256;

    private final BiFunction<@Nullable ProviderKey, Boolean, MultiMap> build;
    /** By secret: the whole call's headers, then the stream's. */
    private final Map<String, MultiMap[]> bySecret = new ConcurrentHashMap<>();

    private volatile MultiMap @Nullable [] withoutSecret;

    /** @param build a call's headers (mutable) for a key, and whether the call streams */
    CallHeaders(BiFunction<@Nullable ProviderKey, Boolean, MultiMap> build) {
        this.build = build;
    }

    /** The read-only headers of a call with {@code key} (null: none). */
    MultiMap of(@Nullable ProviderKey key, boolean stream) {
        String secret = key == null ? null : key.secret();
        MultiMap[] both;
        if (secret == null) {
            both = withoutSecret;
            if (both == null) {
                both = built(key);
                withoutSecret = both;
            }
        } else {
            both = bySecret.get(secret);
            if (both == null) {
                if (bySecret.size() >= MOST) {
                    bySecret.clear();
                }
                both = built(key);
                bySecret.put(secret, both);
            }
        }
        return both[stream ? 1 : 0];
    }

    /** Forgets every key's headers: the provider's keys changed. */
    void clear() {
        bySecret.clear();
        withoutSecret = null;
    }

    private MultiMap[] built(@Nullable ProviderKey key) {
        return new MultiMap[] {
            build.apply(key, false).copy(false), build.apply(key, true).copy(false)
        };
    }
}
