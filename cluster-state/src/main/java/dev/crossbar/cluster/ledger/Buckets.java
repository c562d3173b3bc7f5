package dev.crossbar.cluster.ledger;

/**
 * A key's token buckets, refilled together. Today one per measure over the key's window (requests,
 * tokens); every rule here runs over all buckets of a measure, so a key may later have several (per-minute
 * and per-day windows, separate input and output tokens, a dollar budget): a grant is what every bucket of
 * the measure allows, a wait is as long as the slowest of them needs. Mutable; lives inside {@link KeyState}.
 */
final class Buckets {

    /** How soon to ask again when only unreported spending holds the refill back. */
    private static final long CAPPED_RETRY_MILLIS = 20;

    final Bucket[] all;
    long refilledAt;

    Buckets(KeyLimits limits, long now) {
        this.all = new Bucket[] {
            new Bucket(Measure.REQUESTS, limits.requests(), limits.windowMillis()),
            new Bucket(Measure.TOKENS, limits.tokens(), limits.windowMillis())
        };
        this.refilledAt = now;
    }

    Buckets(Buckets other) {
        all = new Bucket[other.all.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = new Bucket(other.all[i]);
        }
        refilledAt = other.refilledAt;
    }

    /** The first bucket of a measure (the one the configured limits and the provider's headers speak of). */
    Bucket first(Measure measure) {
        for (Bucket b : all) {
            if (b.measure == measure) {
                return b;
            }
        }
        throw new IllegalStateException("no " + measure + " bucket");
    }

    /** The tightest limit on a measure; 0 when no bucket limits it. */
    long limit(Measure measure) {
        long tightest = 0;
        for (Bucket b : all) {
            long l = b.limit();
            if (b.measure == measure && l > 0) {
                tightest = tightest == 0 ? l : Math.min(tightest, l);
            }
        }
        return tightest;
    }

    /** Refills every bucket up to its limit less what is leased. A clock that went backwards refills nothing. */
    void refill(long now, Leases leases) {
        if (now <= refilledAt) {
            return;
        }
        long elapsed = now - refilledAt;
        for (Bucket b : all) {
            b.refill(elapsed, leases.leased(b.measure));
        }
        refilledAt = now;
    }

    void cap(Leases leases) {
        for (Bucket b : all) {
            b.cap(leases.leased(b.measure));
        }
    }

    /** What every bucket of {@code measure} grants, or -1 when one of them cannot grant the minimum. */
    long grant(Measure measure, long minimum, long want, int holders) {
        long grant = Long.MAX_VALUE;
        for (Bucket b : all) {
            if (b.measure == measure && b.limited()) {
                long g = b.grant(minimum, want, holders);
                if (g < 0) {
                    return -1;
                }
                grant = Math.min(grant, g);
            }
        }
        return grant == Long.MAX_VALUE ? Math.max(want, minimum) : grant;
    }

    void take(Measure measure, long amount) {
        for (Bucket b : all) {
            if (b.measure == measure) {
                b.take(amount);
            }
        }
    }

    void giveBack(Measure measure, long amount) {
        for (Bucket b : all) {
            if (b.measure == measure) {
                b.giveBack(amount);
            }
        }
    }

    /** After a 429: nothing is free until the buckets refill. */
    void exhaust() {
        for (Bucket b : all) {
            b.free = Math.min(b.free, 0);
        }
    }

    /** Whole calls of {@code minTokens} each that the free capacity holds (unlimited everywhere: any number). */
    long callsFree(long minTokens) {
        long calls = Long.MAX_VALUE;
        for (Bucket b : all) {
            if (b.limited()) {
                calls = Math.min(calls, b.callsFree(b.measure.perCall(minTokens)));
            }
        }
        return calls;
    }

    /** Calls of {@code minTokens} each that refill in {@code millis} (the tightest bucket decides). */
    double callsRefilledIn(long millis, long minTokens) {
        double calls = Double.MAX_VALUE;
        for (Bucket b : all) {
            if (b.limited()) {
                calls = Math.min(calls, b.callsRefilledIn(millis, b.measure.perCall(minTokens)));
            }
        }
        return calls == Double.MAX_VALUE ? 0 : calls;
    }

    /**
     * How soon {@code calls} calls (one: the asker's; more: the asker's after those waiting before it) may fit
     * in the buckets that refused: the slowest of them decides. When none of the measures is short (only the
     * concurrency slots were), a lease period.
     */
    long retryAfter(
            boolean noRequests, boolean noTokens, long calls, long minTokens, Leases leases, LedgerSettings settings) {
        long retry = 1;
        long capped = Math.min(settings.leaseMillis(), CAPPED_RETRY_MILLIS);
        for (Bucket b : all) {
            if (!b.limited()) {
                continue;
            }
            long needed;
            if (b.measure == Measure.REQUESTS && noRequests) {
                needed = calls == 1 ? 1 : Math.min(calls, b.limit());
            } else if (b.measure == Measure.TOKENS && noTokens) {
                long perCall = Math.max(1, minTokens);
                needed = calls == 1 ? minTokens : Math.min(calls * perCall, Math.max(perCall, b.limit()));
            } else {
                continue;
            }
            retry = Math.max(retry, b.timeToRefill(leases.leased(b.measure), needed, capped));
        }
        if (!noRequests && !noTokens) {
            retry = settings.leaseMillis();
        }
        return retry;
    }

    /**
     * The share of the tightest limit free at {@code now} for a node holding {@code heldRequests} and {@code
     * heldTokens} unspent (1 idle, 0 exhausted), projecting the refill since the last update.
     */
    double headroom(long now, Leases leases, long heldRequests, long heldTokens) {
        double elapsed = Math.max(0, now - refilledAt);
        double h = 1.0;
        for (Bucket b : all) {
            long limit = b.limit();
            if (limit > 0) {
                long held = b.measure == Measure.REQUESTS ? heldRequests : heldTokens;
                double free = b.projectedFree((long) elapsed, leases.leased(b.measure));
                h = Math.min(h, Math.max(0, free + Math.max(0, held)) / limit);
            }
        }
        return h;
    }

    /** The configured limits change; the window is the key's, for every bucket. */
    void reconfigure(KeyLimits limits, Leases leases) {
        first(Measure.REQUESTS).reconfigure(limits.requests(), limits.windowMillis(), leases.leased(Measure.REQUESTS));
        first(Measure.TOKENS).reconfigure(limits.tokens(), limits.windowMillis(), leases.leased(Measure.TOKENS));
    }

    /** Keeps the lower free count of each bucket: what either side of a split spent stays spent. */
    void mergeFrom(Buckets other) {
        for (int i = 0; i < all.length && i < other.all.length; i++) {
            all[i].free = Math.min(all[i].free, other.all[i].free);
        }
        refilledAt = Math.max(refilledAt, other.refilledAt);
    }
}
