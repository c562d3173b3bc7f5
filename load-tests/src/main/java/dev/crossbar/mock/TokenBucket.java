package dev.crossbar.mock;

/**
 * A token bucket in exact integer arithmetic: capacity {@code limit} tokens, refilled continuously
 * at {@code limit} tokens per window, starting full.
 *
 * <p>The level is kept in units where one token is {@code windowMicros} units, so a microsecond
 * adds exactly {@code limit} units and no rounding ever lets a caller take more than capacity plus
 * refill. Time is whatever the caller passes (microseconds on any monotonic scale); a clock that
 * steps backwards adds nothing. Not thread-safe: {@link KeyState} guards it.
 */
final class TokenBucket {

    /** What {@link #waitMicros} answers when the cost exceeds the capacity and can never be met. */
    static final long NEVER = Long.MAX_VALUE;

    private final long limit;
    private final long windowMicros;
    private final long capacityUnits;
    private long units;
    private long lastMicros;

    TokenBucket(long limit, long windowMicros, long nowMicros) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be > 0, was " + limit);
        }
        if (windowMicros <= 0) {
            throw new IllegalArgumentException("windowMicros must be > 0, was " + windowMicros);
        }
        this.limit = limit;
        this.windowMicros = windowMicros;
        this.capacityUnits = Math.multiplyExact(limit, windowMicros);
        this.units = capacityUnits;
        this.lastMicros = nowMicros;
    }

    long limit() {
        return limit;
    }

    /** Microseconds until {@code cost} tokens are available: 0 if now, {@link #NEVER} if above capacity. */
    long waitMicros(long cost, long nowMicros) {
        refill(nowMicros);
        if (cost > limit) {
            return NEVER;
        }
        long deficit = cost * windowMicros - units;
        return deficit <= 0 ? 0 : ceilDiv(deficit, limit);
    }

    /** Takes {@code cost} tokens; call only right after {@link #waitMicros} answered 0 for that cost. */
    void take(long cost) {
        long need = cost * windowMicros;
        if (cost > limit || need > units) {
            throw new IllegalStateException("take(" + cost + ") without enough tokens");
        }
        units -= need;
    }

    /**
     * Adjusts an admitted call's charge once its real cost is known: a positive {@code delta} is taken even
     * past empty (the level then stays below zero until refill brings it back), a negative one is given back,
     * never above capacity.
     */
    void settle(long delta) {
        units = Math.min(capacityUnits, units - delta * windowMicros);
    }

    /** Gives back tokens taken for a request that turned out not to count; never above capacity. */
    void refund(long cost) {
        units = cost >= limit ? capacityUnits : Math.min(capacityUnits, units + cost * windowMicros);
    }

    /** Whole tokens available now (none while the level is below zero). */
    long available(long nowMicros) {
        refill(nowMicros);
        return Math.max(0, units / windowMicros);
    }

    /** Microseconds until the bucket is full again. */
    long microsUntilFull(long nowMicros) {
        refill(nowMicros);
        return ceilDiv(capacityUnits - units, limit);
    }

    /** Refills to capacity, as at start. */
    void fill(long nowMicros) {
        units = capacityUnits;
        lastMicros = nowMicros;
    }

    private void refill(long nowMicros) {
        long elapsed = nowMicros - lastMicros;
        if (elapsed <= 0) {
            return;
        }
        lastMicros = nowMicros;
        // elapsed >= windowMicros refills everything; below that elapsed * limit < capacity cannot overflow.
        units = elapsed >= windowMicros ? capacityUnits : Math.min(capacityUnits, units + elapsed * limit);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
