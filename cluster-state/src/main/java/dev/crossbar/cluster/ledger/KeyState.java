package dev.crossbar.cluster.ledger;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The cluster's one truth about one provider key: two token buckets (requests, tokens), the leases
 * nodes hold on them, concurrency slots, cooldown and health. Plain Java: the Hazelcast layer only
 * carries these rules to the key's partition owner, and an in-memory ledger runs the same rules.
 *
 * <p>The invariant that keeps N nodes under the provider's limit: {@code free + leased <= limit} in
 * each bucket, where {@code leased} counts every granted unit not yet reported spent or returned.
 * Refill stops at that cap, so capacity a node holds, or has spent but not yet reported, can never be
 * granted twice; see docs/key-pool.md for the proof sketch. Time is passed in (owner's clock).
 */
public final class KeyState {

    /** How soon to ask again when only unreported spending holds the refill back. */
    private static final long CAPPED_RETRY_MILLIS = 20;

    final String keyId;
    KeyLimits limits;
    long learnedRequestLimit;
    long learnedTokenLimit;
    double freeRequests;
    double freeTokens;
    long refilledAt;
    final Map<String, NodeLease> leases;
    long lastEpoch;

    long cooldownUntil;
    String cooldownReason;
    int failureStreak;
    boolean probePending;
    String probeNode;
    long probeUntil;
    boolean disabled;
    String disabledReason;
    long contendedUntil;

    long successes;
    long failures;
    long rateLimited;
    long latencyMillisTotal;
    long requestsConsumed;
    long tokensConsumed;

    public KeyState(String keyId, KeyLimits limits, long now) {
        this.keyId = keyId;
        this.limits = limits;
        this.freeRequests = limits.requests();
        this.freeTokens = limits.tokens();
        this.refilledAt = now;
        this.leases = new HashMap<>();
    }

    /** A deep copy, for snapshots handed to other threads. */
    public KeyState copy() {
        KeyState c = new KeyState(keyId, limits, refilledAt);
        c.learnedRequestLimit = learnedRequestLimit;
        c.learnedTokenLimit = learnedTokenLimit;
        c.freeRequests = freeRequests;
        c.freeTokens = freeTokens;
        leases.forEach((node, lease) -> c.leases.put(node, new NodeLease(lease)));
        c.lastEpoch = lastEpoch;
        c.cooldownUntil = cooldownUntil;
        c.cooldownReason = cooldownReason;
        c.failureStreak = failureStreak;
        c.probePending = probePending;
        c.probeNode = probeNode;
        c.probeUntil = probeUntil;
        c.disabled = disabled;
        c.disabledReason = disabledReason;
        c.contendedUntil = contendedUntil;
        c.successes = successes;
        c.failures = failures;
        c.rateLimited = rateLimited;
        c.latencyMillisTotal = latencyMillisTotal;
        c.requestsConsumed = requestsConsumed;
        c.tokensConsumed = tokensConsumed;
        return c;
    }

    // ---- limits and buckets ---------------------------------------------------------------------

    /** The request limit in force: the configured one, tightened by what the provider told us. */
    public long requestLimit() {
        return tighter(limits.requests(), learnedRequestLimit);
    }

    public long tokenLimit() {
        return tighter(limits.tokens(), learnedTokenLimit);
    }

    private static long tighter(long configured, long learned) {
        if (learned <= 0) {
            return configured;
        }
        return configured == 0 ? learned : Math.min(configured, learned);
    }

    public long leasedRequests() {
        long sum = 0;
        for (NodeLease l : leases.values()) {
            sum += l.requests;
        }
        return sum;
    }

    public long leasedTokens() {
        long sum = 0;
        for (NodeLease l : leases.values()) {
            sum += l.tokens;
        }
        return sum;
    }

    public int slotsHeld() {
        int sum = 0;
        for (NodeLease l : leases.values()) {
            sum += l.slots;
        }
        return sum;
    }

    public int inFlight() {
        int sum = 0;
        for (NodeLease l : leases.values()) {
            sum += l.inFlight;
        }
        return sum;
    }

    /** Refills both buckets up to {@code limit - leased}. A clock that went backwards refills nothing. */
    void refill(long now) {
        if (now <= refilledAt) {
            return;
        }
        long elapsed = now - refilledAt;
        long window = limits.windowMillis();
        long rl = requestLimit();
        if (rl > 0) {
            freeRequests = Math.min((double) (rl - leasedRequests()), freeRequests + (double) elapsed * rl / window);
        }
        long tl = tokenLimit();
        if (tl > 0) {
            freeTokens = Math.min((double) (tl - leasedTokens()), freeTokens + (double) elapsed * tl / window);
        }
        refilledAt = now;
    }

    private void capFree() {
        long rl = requestLimit();
        if (rl > 0) {
            freeRequests = Math.min(freeRequests, (double) (rl - leasedRequests()));
        }
        long tl = tokenLimit();
        if (tl > 0) {
            freeTokens = Math.min(freeTokens, (double) (tl - leasedTokens()));
        }
    }

    /**
     * Drops leases whose node has not reported within the grace period, counting all they held as spent:
     * the node may have used it, so only the passing of time may return it (through refill).
     */
    void reclaimExpired(long now, long graceMillis) {
        leases.values().removeIf(l -> l.expiresAt + graceMillis < now);
    }

    /** Drops every lease and slot of a node that left the cluster. */
    public void reclaimNode(String nodeId, long now) {
        refill(now);
        leases.remove(nodeId);
        if (nodeId.equals(probeNode)) {
            probeNode = null;
        }
    }

    // ---- the lease exchange -----------------------------------------------------------------------

    /** Applies a node's report, then grants what fits. The one hot operation of the ledger. */
    public LeaseGrant exchange(LeaseRequest q, long now, LedgerSettings settings) {
        reclaimExpired(now, settings.reclaimGraceMillis());
        refill(now);
        boolean fresh = !applyReport(q);
        if (q.isRelease()) {
            leases.remove(q.nodeId());
            return new LeaseGrant(0, 0, 0, 0, settings.leaseMillis(), 0, null, false, now < contendedUntil, true);
        }
        NodeLease lease = leases.computeIfAbsent(q.nodeId(), n -> new NodeLease());
        lease.inFlight = q.inFlight();
        lease.epoch = ++lastEpoch;
        lease.expiresAt = now + settings.leaseMillis();
        String blocked = blockedReason(q.nodeId(), now);
        if (blocked != null) {
            lease.slots = Math.max(lease.inFlight, Math.min(lease.slots, q.wantSlots()));
            return refusal(lease, blockedRetryAfter(now), blocked, fresh, settings);
        }
        int slots = grantSlots(lease, q.wantSlots());
        boolean needsGrant = q.wantRequests() > 0;
        if (!needsGrant) {
            lease.slots = slots;
            return new LeaseGrant(
                    lease.epoch, 0, 0, slots, settings.leaseMillis(), 0, null, false, now < contendedUntil, fresh);
        }
        long grantRequests = grantFromBucket(requestLimit(), freeRequests, 1, q.wantRequests());
        long grantTokens = grantFromBucket(tokenLimit(), freeTokens, q.minTokens(), q.wantTokens());
        boolean slotFree = limits.concurrent() == 0 || slots > q.inFlight();
        lease.slots = slots;
        if (grantRequests < 0 || grantTokens < 0 || !slotFree) {
            contendedUntil = now + settings.leaseMillis();
            long retry = saturatedRetryAfter(q, grantRequests < 0, grantTokens < 0, settings);
            return refusal(lease, retry, "saturated", fresh, settings);
        }
        boolean probe = probePending && now >= cooldownUntil;
        if (probe) {
            grantRequests = 1;
            probeNode = q.nodeId();
            probeUntil = now + settings.probeTimeoutMillis();
        }
        lease.requests += grantRequests;
        lease.tokens += grantTokens;
        if (requestLimit() > 0) {
            freeRequests -= grantRequests;
        }
        if (tokenLimit() > 0) {
            freeTokens -= grantTokens;
        }
        return new LeaseGrant(
                lease.epoch,
                grantRequests,
                grantTokens,
                slots,
                settings.leaseMillis(),
                0,
                null,
                probe,
                now < contendedUntil,
                fresh);
    }

    /** Applies a report; returns false when the reported lease is unknown (its numbers are then ignored). */
    private boolean applyReport(LeaseRequest q) {
        NodeLease lease = leases.get(q.nodeId());
        boolean known = lease != null && lease.epoch == q.epoch();
        if (known) {
            lease.requests = Math.max(0, lease.requests - q.consumedRequests() - q.returnedRequests());
            lease.tokens = Math.max(0, lease.tokens - q.consumedTokens() - q.returnedTokens());
            if (requestLimit() > 0) {
                freeRequests += q.returnedRequests();
            }
            if (tokenLimit() > 0) {
                freeTokens += q.returnedTokens();
            }
        }
        capFree();
        requestsConsumed += q.consumedRequests();
        tokensConsumed += q.consumedTokens();
        successes += q.successes();
        failures += q.failures();
        latencyMillisTotal += q.latencyMillis();
        return known;
    }

    /**
     * What to grant from one bucket: at most the node's wish, at most a fair share of what is free, at
     * least {@code minimum}. Returns -1 when even the minimum is not free. An unlimited bucket grants the wish.
     */
    private long grantFromBucket(long limit, double free, long minimum, long want) {
        if (limit == 0) {
            return Math.max(want, minimum);
        }
        long available = (long) Math.floor(free);
        if (available < Math.max(1, minimum)) {
            return -1;
        }
        int holders = Math.max(1, leases.size());
        long fairShare = Math.max(minimum, available / holders);
        return Math.max(minimum, Math.min(Math.min(want, fairShare), available));
    }

    private int grantSlots(NodeLease lease, int want) {
        if (limits.concurrent() == 0) {
            return Math.max(want, lease.inFlight);
        }
        int others = slotsHeld() - lease.slots;
        int room = limits.concurrent() - others;
        return Math.max(lease.inFlight, Math.min(want, room));
    }

    private String blockedReason(String nodeId, long now) {
        if (disabled) {
            return "disabled";
        }
        if (now < cooldownUntil) {
            return "cooling down";
        }
        if (probePending && probeNode != null && now < probeUntil && !probeNode.equals(nodeId)) {
            return "probing";
        }
        return null;
    }

    private long blockedRetryAfter(long now) {
        if (disabled) {
            return Long.MAX_VALUE;
        }
        if (now < cooldownUntil) {
            return cooldownUntil - now;
        }
        return Math.max(1, probeUntil - now);
    }

    private long saturatedRetryAfter(LeaseRequest q, boolean noRequests, boolean noTokens, LedgerSettings settings) {
        long retry = 1;
        long window = limits.windowMillis();
        if (noRequests) {
            retry = Math.max(retry, timeToRefill(requestLimit(), freeRequests, leasedRequests(), 1, window, settings));
        }
        if (noTokens) {
            retry = Math.max(
                    retry, timeToRefill(tokenLimit(), freeTokens, leasedTokens(), q.minTokens(), window, settings));
        }
        if (!noRequests && !noTokens) {
            retry = settings.leaseMillis();
        }
        return retry;
    }

    private static long timeToRefill(
            long limit, double free, long leased, long needed, long window, LedgerSettings settings) {
        if (needed > limit) {
            return Long.MAX_VALUE;
        }
        if (free + leased >= limit || limit - leased < needed) {
            // Refill waits for spending to be reported; contended nodes report as soon as calls are answered.
            return Math.min(settings.leaseMillis(), CAPPED_RETRY_MILLIS);
        }
        double missing = needed - free;
        return Math.max(1, (long) Math.ceil(missing * window / limit));
    }

    private LeaseGrant refusal(
            NodeLease lease, long retryAfter, String reason, boolean fresh, LedgerSettings settings) {
        return new LeaseGrant(
                lease.epoch, 0, 0, lease.slots, settings.leaseMillis(), retryAfter, reason, false, true, fresh);
    }

    // ---- health -------------------------------------------------------------------------------------

    /**
     * Records how a call ended. A later deadline never gives way to a sooner one.
     *
     * @param retryAfterMillis the provider's stated delay, or a negative number when it stated none
     */
    public void recordOutcome(
            Outcome outcome, String nodeId, long retryAfterMillis, String reason, long now, LedgerSettings settings) {
        refill(now);
        switch (outcome) {
            case SUCCESS -> {
                failureStreak = 0;
                probePending = false;
                probeNode = null;
            }
            case RATE_LIMITED -> {
                rateLimited++;
                long delay = retryAfterMillis > 0 ? retryAfterMillis : settings.rateLimitCooldownMillis();
                coolDown(now + delay, reason);
                freeRequests = Math.min(freeRequests, 0);
                freeTokens = Math.min(freeTokens, 0);
            }
            case REJECTED -> {
                disabled = true;
                disabledReason = reason;
            }
            case FAILED -> {
                failureStreak++;
                int doublings = Math.min(failureStreak - 1, 30);
                long backoff = Math.min(settings.backoffMaxMillis(), settings.backoffBaseMillis() << doublings);
                coolDown(now + Math.max(backoff, retryAfterMillis), reason);
            }
            case NEUTRAL -> {
                if (nodeId.equals(probeNode)) {
                    probeNode = null;
                }
            }
        }
    }

    private void coolDown(long until, String reason) {
        if (until > cooldownUntil) {
            cooldownUntil = until;
            cooldownReason = reason;
        }
        probePending = true;
        probeNode = null;
    }

    public void setDisabled(boolean disable, String reason) {
        disabled = disable;
        disabledReason = disable ? reason : null;
        if (!disable) {
            failureStreak = 0;
            cooldownUntil = 0;
            cooldownReason = null;
            probePending = true;
            probeNode = null;
        }
    }

    /** Changes the configured limits (config reload, admin), keeping what is in use. */
    public void updateLimits(KeyLimits newLimits, long now) {
        refill(now);
        if (newLimits.requests() > 0 && limits.requests() == 0) {
            freeRequests = newLimits.requests() - leasedRequests();
        }
        if (newLimits.tokens() > 0 && limits.tokens() == 0) {
            freeTokens = newLimits.tokens() - leasedTokens();
        }
        limits = newLimits;
        capFree();
    }

    /**
     * Tightens the state with what a provider's rate-limit headers say. Values below zero are unknown.
     * Only ever lowers: a provider's view that is tighter than ours wins, a looser one is ignored. The
     * remaining count already includes calls this pool has made and not yet reported, so it caps the free
     * capacity directly; subtracting the leases too would count those calls twice.
     */
    public void learn(
            long requestLimitSeen, long requestsRemaining, long tokenLimitSeen, long tokensRemaining, long now) {
        refill(now);
        if (requestLimitSeen > 0 && (limits.requests() == 0 || requestLimitSeen < limits.requests())) {
            learnedRequestLimit = requestLimitSeen;
        }
        if (tokenLimitSeen > 0 && (limits.tokens() == 0 || tokenLimitSeen < limits.tokens())) {
            learnedTokenLimit = tokenLimitSeen;
        }
        if (requestsRemaining >= 0 && requestLimit() > 0) {
            freeRequests = Math.min(freeRequests, (double) requestsRemaining);
        }
        if (tokensRemaining >= 0 && tokenLimit() > 0) {
            freeTokens = Math.min(freeTokens, (double) tokensRemaining);
        }
        capFree();
    }

    /**
     * Joins two copies of one key after a split brain healed: each side may have spent what the other
     * did not know about, so the result keeps the least free capacity, every lease, the latest cooldown
     * and any disabling. It errs towards using a key too little, never too much.
     */
    public KeyState mergedWith(KeyState other) {
        KeyState m = copy();
        m.freeRequests = Math.min(freeRequests, other.freeRequests);
        m.freeTokens = Math.min(freeTokens, other.freeTokens);
        m.refilledAt = Math.max(refilledAt, other.refilledAt);
        other.leases.forEach((node, lease) -> m.leases.merge(
                node,
                new NodeLease(lease),
                (mine, theirs) -> mine.requests + mine.tokens >= theirs.requests + theirs.tokens ? mine : theirs));
        m.lastEpoch = Math.max(lastEpoch, other.lastEpoch);
        if (other.cooldownUntil > cooldownUntil) {
            m.cooldownUntil = other.cooldownUntil;
            m.cooldownReason = other.cooldownReason;
        }
        m.failureStreak = Math.max(failureStreak, other.failureStreak);
        m.probePending = probePending || other.probePending;
        if (other.disabled && !disabled) {
            m.disabled = true;
            m.disabledReason = other.disabledReason;
        }
        m.successes = Math.max(successes, other.successes);
        m.failures = Math.max(failures, other.failures);
        m.rateLimited = Math.max(rateLimited, other.rateLimited);
        m.latencyMillisTotal = Math.max(latencyMillisTotal, other.latencyMillisTotal);
        m.requestsConsumed = Math.max(requestsConsumed, other.requestsConsumed);
        m.tokensConsumed = Math.max(tokensConsumed, other.tokensConsumed);
        m.capFree();
        return m;
    }

    // ---- read access for snapshots, admin and tests -------------------------------------------------

    public String keyId() {
        return keyId;
    }

    public KeyLimits limits() {
        return limits;
    }

    public double freeRequests() {
        return freeRequests;
    }

    public double freeTokens() {
        return freeTokens;
    }

    public long refilledAt() {
        return refilledAt;
    }

    public Map<String, NodeLease> leases() {
        return Collections.unmodifiableMap(leases);
    }

    public long cooldownUntil() {
        return cooldownUntil;
    }

    public String cooldownReason() {
        return cooldownReason;
    }

    public int failureStreak() {
        return failureStreak;
    }

    public boolean probePending() {
        return probePending;
    }

    public boolean disabled() {
        return disabled;
    }

    public String disabledReason() {
        return disabledReason;
    }

    public long successes() {
        return successes;
    }

    public long failures() {
        return failures;
    }

    public long rateLimited() {
        return rateLimited;
    }

    public long latencyMillisTotal() {
        return latencyMillisTotal;
    }

    public long requestsConsumed() {
        return requestsConsumed;
    }

    public long tokensConsumed() {
        return tokensConsumed;
    }

    public boolean contended(long now) {
        return now < contendedUntil;
    }

    /** True when no node may use the key now (disabled or cooling down). */
    public boolean blockedAt(long now) {
        return disabled || now < cooldownUntil;
    }

    /**
     * The share of the tightest limit free at {@code now} (1 = idle, 0 = exhausted), projecting the
     * refill since the last update. Unlimited dimensions count as free.
     */
    public double headroom(long now) {
        double elapsed = Math.max(0, now - refilledAt);
        double h = 1.0;
        long rl = requestLimit();
        if (rl > 0) {
            double free =
                    Math.min((double) (rl - leasedRequests()), freeRequests + elapsed * rl / limits.windowMillis());
            h = Math.min(h, Math.max(0, free) / rl);
        }
        long tl = tokenLimit();
        if (tl > 0) {
            double free = Math.min((double) (tl - leasedTokens()), freeTokens + elapsed * tl / limits.windowMillis());
            h = Math.min(h, Math.max(0, free) / tl);
        }
        int cl = limits.concurrent();
        if (cl > 0) {
            h = Math.min(h, Math.max(0, cl - inFlight()) / (double) cl);
        }
        return h;
    }
}
