package dev.crossbar.gateway.upstream;

import dev.crossbar.cluster.ledger.KeyLimits;
import org.jspecify.annotations.Nullable;

/**
 * A provider credential at run time. {@link #toString()} never shows the secret.
 *
 * @param id       the stable name used in the ledger, logs and metrics
 * @param secret   null for self-hosted upstreams that need no key
 */
public record ProviderKey(
        String id, String providerId, @Nullable String secret, KeyLimits limits, int weight) {

    public String fingerprint() {
        return KeyFingerprint.of(secret);
    }

    @Override
    public String toString() {
        return "ProviderKey[" + id + " " + fingerprint() + "]";
    }
}
