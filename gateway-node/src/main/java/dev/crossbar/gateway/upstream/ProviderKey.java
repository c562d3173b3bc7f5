package dev.crossbar.gateway.upstream;

import dev.crossbar.cluster.ledger.KeyLimits;
import org.jspecify.annotations.Nullable;

/**
 * A provider credential at run time. {@link #toString()} never shows the secret.
 *
 * @param id       the stable name used in the ledger, logs and metrics
 * @param secret   null for self-hosted upstreams that need no key
 * @param fingerprint the secret's {@link KeyFingerprint}, made once (every request's record names it)
 */
public record ProviderKey(
        String id, String providerId, @Nullable String secret, KeyLimits limits, int weight, String fingerprint) {

    public ProviderKey(String id, String providerId, @Nullable String secret, KeyLimits limits, int weight) {
        this(id, providerId, secret, limits, weight, KeyFingerprint.of(secret));
    }

    @Override
    public String toString() {
        return "ProviderKey[" + id + " " + fingerprint() + "]";
    }
}
