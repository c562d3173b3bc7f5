package dev.crossbar.cluster.lease;

import dev.crossbar.cluster.ledger.KeyLimits;

/**
 * What a provider enforces on one key, written from its documentation and independent of the ledger:
 * two continuously refilled token buckets that start full, and a concurrency count.
 */
final class ProviderBucket {
    private final KeyLimits limits;
    private double requests;
    private double tokens;
    private long refilledAt;
    private int inFlight;
    long admitted;

    ProviderBucket(KeyLimits limits, long now) {
        this.limits = limits;
        this.requests = limits.requests();
        this.tokens = limits.tokens();
        this.refilledAt = now;
    }

    /** Admits a call charging {@code tokenCharge}, or returns why it would be a 429. */
    String admit(long tokenCharge, long now) {
        refill(now);
        if (limits.requests() > 0 && requests < 1 - 1e-9) {
            return "requests bucket empty (" + requests + ")";
        }
        if (limits.tokens() > 0 && tokens < tokenCharge - 1e-6) {
            return "tokens bucket holds " + tokens + " < " + tokenCharge;
        }
        if (limits.concurrent() > 0 && inFlight >= limits.concurrent()) {
            return "concurrency " + inFlight + " at limit";
        }
        requests -= 1;
        tokens -= tokenCharge;
        inFlight++;
        admitted++;
        return null;
    }

    void finish() {
        inFlight--;
    }

    private void refill(long now) {
        long elapsed = now - refilledAt;
        refilledAt = now;
        requests = Math.min(
                (double) limits.requests(), requests + (double) elapsed * limits.requests() / limits.windowMillis());
        tokens =
                Math.min((double) limits.tokens(), tokens + (double) elapsed * limits.tokens() / limits.windowMillis());
    }
}
