package dev.crossbar.mock;

import java.util.EnumMap;
import java.util.Map;

/**
 * One key's buckets, concurrency and counters, behind one lock (they are tiny, so contention
 * across event loops is negligible and every decision is exact).
 *
 * <p>Charging: a request costs 1 from the request bucket and, from the token bucket, its input
 * tokens plus the requested max tokens if the request gives them, else plus the reply's output
 * tokens (the reply is deterministic, so it is known at admission). Both are taken at admission
 * only if both buckets (and the concurrency limit) allow it; an injected error gives both back. Under
 * {@link Billing#PRODUCED} admission takes no output tokens beyond a requested max, and {@link #settle}
 * adjusts the charge once the answer has ended.
 */
final class KeyState {

    /** Retry hint for a 429 over the concurrency limit, which no bucket can time. */
    static final long CONCURRENCY_RETRY_MICROS = 1_000_000;

    private final MockKey key;
    private final TokenBucket requests;
    private final TokenBucket tokens;
    private final Integer maxConcurrent;

    private int inFlight;
    private int peakConcurrency;
    private long served;
    private long tokensCharged;
    private long unauthorized;
    private long badRequests;
    private long injectedFaults;
    private final EnumMap<LimitCause, Long> limited = new EnumMap<>(LimitCause.class);
    private final EnumMap<Fault, Long> injected = new EnumMap<>(Fault.class);

    KeyState(MockKey key, long nowMicros) {
        this.key = key;
        this.requests = key.requestsPerWindow() == null
                ? null
                : new TokenBucket(key.requestsPerWindow(), key.windowMicros(), nowMicros);
        this.tokens = key.tokensPerWindow() == null
                ? null
                : new TokenBucket(key.tokensPerWindow(), key.windowMicros(), nowMicros);
        this.maxConcurrent = key.maxConcurrent();
    }

    MockKey key() {
        return key;
    }

    /** Admits a request costing {@code tokenCost} tokens, or says which limit it is over. */
    synchronized Admission admit(long tokenCost, long nowMicros) {
        if (maxConcurrent != null && inFlight >= maxConcurrent) {
            limited.merge(LimitCause.CONCURRENCY, 1L, Long::sum);
            return new Admission.Denied(LimitCause.CONCURRENCY, CONCURRENCY_RETRY_MICROS, limits(nowMicros));
        }
        long requestWait = requests == null ? 0 : requests.waitMicros(1, nowMicros);
        long tokenWait = tokens == null ? 0 : tokens.waitMicros(tokenCost, nowMicros);
        if (requestWait > 0 || tokenWait > 0) {
            LimitCause cause = requestWait > 0 ? LimitCause.REQUESTS : LimitCause.TOKENS;
            limited.merge(cause, 1L, Long::sum);
            // A cost above capacity never fits: answer with a full window rather than a hint that loops.
            long wait = Math.max(requestWait, tokenWait);
            return new Admission.Denied(
                    cause, wait == TokenBucket.NEVER ? key.windowMicros() : wait, limits(nowMicros));
        }
        if (requests != null) {
            requests.take(1);
        }
        if (tokens != null) {
            tokens.take(tokenCost);
        }
        tokensCharged += tokenCost;
        inFlight++;
        peakConcurrency = Math.max(peakConcurrency, inFlight);
        return new Admission.Granted(new Lease(this, tokenCost), limits(nowMicros));
    }

    synchronized LimitSnapshot limits(long nowMicros) {
        return new LimitSnapshot(
                requests == null ? null : requests.limit(),
                requests == null ? 0 : requests.available(nowMicros),
                requests == null ? 0 : requests.microsUntilFull(nowMicros),
                tokens == null ? null : tokens.limit(),
                tokens == null ? 0 : tokens.available(nowMicros),
                tokens == null ? 0 : tokens.microsUntilFull(nowMicros),
                nowMicros);
    }

    synchronized void release() {
        inFlight--;
    }

    synchronized void refund(long tokenCost) {
        if (requests != null) {
            requests.refund(1);
        }
        if (tokens != null) {
            tokens.refund(tokenCost);
        }
        tokensCharged -= tokenCost;
    }

    /** Adjusts the tokens charged for an admitted call by {@code delta} (see {@link TokenBucket#settle}). */
    synchronized void settle(long delta) {
        if (tokens != null) {
            tokens.settle(delta);
        }
        tokensCharged += delta;
    }

    synchronized void countServed() {
        served++;
    }

    synchronized void countUnauthorized() {
        unauthorized++;
    }

    synchronized void countBadRequest() {
        badRequests++;
    }

    synchronized void countInjected(Fault fault) {
        injectedFaults++;
        injected.merge(fault, 1L, Long::sum);
        if (fault == Fault.RATE_LIMITED) {
            limited.merge(LimitCause.INJECTED, 1L, Long::sum);
        }
    }

    synchronized KeyStats stats() {
        Map<LimitCause, Long> causes = new EnumMap<>(LimitCause.class);
        for (LimitCause c : LimitCause.values()) {
            causes.put(c, limited.getOrDefault(c, 0L));
        }
        Map<Fault, Long> kinds = new EnumMap<>(Fault.class);
        for (Fault f : Fault.values()) {
            if (f != Fault.NONE) {
                kinds.put(f, injected.getOrDefault(f, 0L));
            }
        }
        return new KeyStats(
                key.provider(),
                served,
                tokensCharged,
                causes,
                injectedFaults,
                kinds,
                peakConcurrency,
                inFlight,
                unauthorized,
                badRequests);
    }

    /** Zeroes the counters and refills the buckets; requests in flight stay counted as in flight. */
    synchronized void reset(long nowMicros) {
        served = 0;
        tokensCharged = 0;
        unauthorized = 0;
        badRequests = 0;
        injectedFaults = 0;
        limited.clear();
        injected.clear();
        peakConcurrency = inFlight;
        if (requests != null) {
            requests.fill(nowMicros);
        }
        if (tokens != null) {
            tokens.fill(nowMicros);
        }
    }
}
