package dev.crossbar.mock;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The access tokens the mock's token endpoints (Entra ID, Google) issued: each stands for one key until it
 * expires by the mock's clock. Counts the tokens issued to each key, so tests can see a gateway cache them.
 */
final class CloudTokens {

    static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

    private record Issued(String secret, long expiresAtMicros) {}

    private final KeyRegistry keys;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Issued> issued = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private volatile Duration lifetime = DEFAULT_LIFETIME;

    CloudTokens(KeyRegistry keys) {
        this.keys = keys;
    }

    /** A new token for the key {@code secret}, valid for the lifetime set now. */
    String issue(String secret, String prefix) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        issued.put(token, new Issued(secret, keys.nowMicros() + lifetime.toNanos() / 1000));
        counts.computeIfAbsent(secret, s -> new AtomicLong()).incrementAndGet();
        return token;
    }

    /** The key a token stands for, or null when the mock never issued it or it has expired. */
    String secretOf(String token) {
        Issued i = token == null ? null : issued.get(token);
        return i == null || keys.nowMicros() >= i.expiresAtMicros() ? null : i.secret();
    }

    long lifetimeSeconds() {
        return Math.max(1, lifetime.toSeconds());
    }

    void setLifetime(Duration value) {
        if (value.toSeconds() < 1) {
            throw new IllegalArgumentException("a token lives at least 1s, was " + value);
        }
        lifetime = value;
    }

    /** Tokens issued to the key since the start or the last reset. */
    long issuedTo(String secret) {
        AtomicLong n = counts.get(secret);
        return n == null ? 0 : n.get();
    }

    /** Every token issued to the key so far stops working, as when its credential is rotated. */
    void revoke(String secret) {
        issued.values().removeIf(i -> i.secret().equals(secret));
    }

    void resetCounts() {
        counts.clear();
    }
}
