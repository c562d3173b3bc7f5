package dev.crossbar.mock;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The configured keys and their state, the clock they read, and the counters outside any key. */
final class KeyRegistry {

    private final Map<String, KeyState> keys = new LinkedHashMap<>();
    private final Clock clock;
    private final Billing billing;
    private final LongAdder totalRequests = new LongAdder();
    private final LongAdder unknownKeyRequests = new LongAdder();
    private final GroupBuckets groups;

    KeyRegistry(Iterable<MockKey> configured, Billing billing, Clock clock) {
        this(configured, billing, List.of(), clock);
    }

    KeyRegistry(Iterable<MockKey> configured, Billing billing, List<MockBucket> buckets, Clock clock) {
        this.groups = new GroupBuckets(buckets);
        this.clock = clock;
        this.billing = billing;
        long now = nowMicros();
        for (MockKey k : configured) {
            keys.put(k.secret(), new KeyState(k, now));
        }
    }

    /** The clock in epoch microseconds. */
    long nowMicros() {
        Instant i = clock.instant();
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }

    /** The buckets counted over several keys or per model. */
    GroupBuckets groups() {
        return groups;
    }

    Billing billing() {
        return billing;
    }

    boolean isConfigured(String secret) {
        return keys.containsKey(secret);
    }

    void countRequest() {
        totalRequests.increment();
    }

    /**
     * The state of {@code secret} if it may call {@code provider}'s paths, else null after counting
     * the 401: unknown keys globally, another provider's or a revoked key on that key.
     */
    KeyState authorize(String secret, String provider, RuntimeFaults faults) {
        KeyState state = secret == null ? null : keys.get(secret);
        if (state == null) {
            unknownKeyRequests.increment();
            return null;
        }
        if (!state.key().provider().equals(provider)) {
            state.countUnauthorized();
            return null;
        }
        if (faults.isRevoked(secret)) {
            state.countUnauthorized();
            state.countInjected(Fault.REVOKED);
            return null;
        }
        return state;
    }

    /** The state of the key whose secret is {@code secret}, or null. */
    KeyState state(String secret) {
        return secret == null ? null : keys.get(secret);
    }

    /** The secret of {@code provider}'s key that starts with {@code prefix} (an AWS access key id and ':'), or null. */
    String secretStartingWith(String prefix, String provider) {
        for (KeyState k : keys.values()) {
            if (k.key().secret().startsWith(prefix) && k.key().provider().equals(provider)) {
                return k.key().secret();
            }
        }
        return null;
    }

    MockStats stats() {
        Map<String, KeyStats> out = new LinkedHashMap<>();
        keys.forEach((k, v) -> out.put(k, v.stats()));
        return new MockStats(out, totalRequests.sum(), unknownKeyRequests.sum(), groups.served(), groups.overLimit());
    }

    void reset() {
        long now = nowMicros();
        keys.values().forEach(k -> k.reset(now));
        groups.reset(now);
        totalRequests.reset();
        unknownKeyRequests.reset();
    }
}
