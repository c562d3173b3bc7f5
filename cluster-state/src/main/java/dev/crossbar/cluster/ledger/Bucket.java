package dev.crossbar.cluster.ledger;

/**
 * One token bucket of a key: what it counts, its limit per window (the configured one, tightened by what
 * the provider announced), and how much is free. It refills continuously up to {@code limit - leased}, so
 * what nodes hold, or have spent but not yet reported, is never granted twice. Mutable; lives inside
 * {@link Buckets}. A limit of 0 is unlimited: such a bucket grants any wish and keeps no count.
 */
final class Bucket {

    final Measure measure;
    long configured;
    long learned;
    long windowMillis;
    double free;

    Bucket(Measure measure, long configured, long windowMillis) {
        this.measure = measure;
        this.configured = configured;
        this.windowMillis = windowMillis;
        this.free = configured;
    }

    Bucket(Bucket other) {
        measure = other.measure;
        configured = other.configured;
        learned = other.learned;
        windowMillis = other.windowMillis;
        free = other.free;
    }

    /** The limit in force: the configured one, tightened by what the provider told us. */
    long limit() {
        if (learned <= 0) {
            return configured;
        }
        return configured == 0 ? learned : Math.min(configured, learned);
    }

    boolean limited() {
        return limit() > 0;
    }

    void refill(long elapsedMillis, long leased) {
        long limit = limit();
        if (limit > 0) {
            free = Math.min((double) (limit - leased), free + (double) elapsedMillis * limit / windowMillis);
        }
    }

    void cap(long leased) {
        long limit = limit();
        if (limit > 0) {
            free = Math.min(free, (double) (limit - leased));
        }
    }

    /** What is free {@code elapsedMillis} after the last refill, without changing the bucket. */
    double projectedFree(long elapsedMillis, long leased) {
        long limit = limit();
        return Math.min((double) (limit - leased), free + (double) elapsedMillis * limit / windowMillis);
    }

    /**
     * What to grant: at most the wish, at most a fair share of what is free among {@code holders}, at least
     * {@code minimum}. -1 when even the minimum is not free. An unlimited bucket grants the wish.
     */
    long grant(long minimum, long want, int holders) {
        if (!limited()) {
            return Math.max(want, minimum);
        }
        long available = (long) Math.floor(free);
        if (available < Math.max(1, minimum)) {
            return -1;
        }
        long fairShare = Math.max(minimum, available / Math.max(1, holders));
        return Math.max(minimum, Math.min(Math.min(want, fairShare), available));
    }

    void take(long amount) {
        if (limited()) {
            free -= amount;
        }
    }

    void giveBack(long amount) {
        if (limited()) {
            free += amount;
        }
    }

    /** Whole calls of {@code perCall} each that the free capacity holds. */
    long callsFree(long perCall) {
        return (long) Math.floor(free / perCall);
    }

    /** Calls of {@code perCall} each that refill in {@code millis}. */
    double callsRefilledIn(long millis, long perCall) {
        return (double) millis * limit() / windowMillis / perCall;
    }

    /**
     * How soon {@code needed} more may be free. When only unreported spending holds the refill back, soon:
     * contended nodes report as soon as calls are answered.
     */
    long timeToRefill(long leased, long needed, long cappedRetryMillis) {
        long limit = limit();
        if (needed > limit) {
            return Long.MAX_VALUE;
        }
        if (free + leased >= limit || limit - leased < needed) {
            return cappedRetryMillis;
        }
        double missing = needed - free;
        return Math.max(1, (long) Math.ceil(missing * windowMillis / limit));
    }

    /** Changes the configured limit (config reload, admin), keeping what is in use. */
    void reconfigure(long newConfigured, long newWindowMillis, long leased) {
        if (newConfigured > 0 && configured == 0) {
            free = newConfigured - leased;
        }
        configured = newConfigured;
        windowMillis = newWindowMillis;
        cap(leased);
    }

    /**
     * Tightens the bucket with what the provider's headers say (below zero: not said). Only ever lowers. The
     * remaining count already includes calls the pool made and has not reported, so it caps the free count
     * directly.
     */
    void learn(long limitSeen, long remaining, long leased) {
        boolean wasUnlimited = !limited();
        if (limitSeen > 0 && (configured == 0 || limitSeen < configured)) {
            learned = limitSeen;
        }
        // A bucket that was unlimited kept no free count: start it from what the provider says remains, less
        // everything nodes hold or have in flight (the provider has not counted all of that yet).
        if (wasUnlimited && limited()) {
            free = remaining < 0 ? 0 : Math.max(0, remaining - leased);
        }
        if (remaining >= 0 && limited()) {
            free = Math.min(free, (double) remaining);
        }
        cap(leased);
    }
}
