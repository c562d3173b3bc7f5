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
    /** The calls each node has had since the key became saturated, for sharing it fairly (see nodesBehind). */
    final Map<String, NodeShare> shares;

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
        this.shares = new HashMap<>();
    }

    /** A deep copy, for snapshots handed to other threads. */
    public KeyState copy() {
        KeyState c = new KeyState(keyId, limits, refilledAt);
        c.learnedRequestLimit = learnedRequestLimit;
        c.learnedTokenLimit = learnedTokenLimit;
        c.freeRequests = freeRequests;
        c.freeTokens = freeTokens;
        leases.forEach((node, lease) -> c.leases.put(node, new NodeLease(lease)));
        shares.forEach((node, share) -> c.shares.put(node, new NodeShare(share)));
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
        shares.remove(nodeId);
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
            return refusal(lease, blockedRetryAfter(now, settings), blocked, fresh, settings);
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
            long retry = saturatedRetryAfter(q, grantRequests < 0, grantTokens < 0, 1, settings);
            if (grantRequests < 0 || grantTokens < 0) {
                // Only the buckets are shared by counting; concurrency slots go back as calls end.
                waiting(q.nodeId(), now, now + retry, settings);
            }
            return refusal(lease, retry, "saturated", fresh, settings);
        }
        Behind behind = nodesBehind(q.nodeId(), now, q.minTokens(), settings);
        if (behind.nodes() > 0) {
            // Waiting nodes have had fewer calls since the key became saturated: what they will need when
            // they are back waits for them, and this node takes at most one call of what is left over.
            if (callsFree(q.minTokens()) <= behind.reserved()) {
                contendedUntil = now + settings.leaseMillis();
                long retry =
                        saturatedRetryAfter(q, requestLimit() > 0, tokenLimit() > 0, behind.reserved() + 1, settings);
                waiting(q.nodeId(), now, now + retry, settings);
                return refusal(lease, retry, "saturated", fresh, settings);
            }
            grantRequests = Math.min(grantRequests, 1);
            grantTokens = tokenLimit() > 0 ? Math.min(grantTokens, Math.max(1, q.minTokens())) : grantTokens;
        }
        boolean probe = probePending && now >= cooldownUntil;
        if (probe) {
            grantRequests = 1;
            probeNode = q.nodeId();
            probeUntil = now + settings.probeTimeoutMillis();
        }
        lease.requests += grantRequests;
        lease.tokens += grantTokens;
        granted(q.nodeId(), grantRequests, grantTokens, q.minTokens());
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

    private long blockedRetryAfter(long now, LedgerSettings settings) {
        if (disabled) {
            return Long.MAX_VALUE;
        }
        if (now < cooldownUntil) {
            return cooldownUntil - now;
        }
        // A probe usually answers in well under a second; its timeout is only the bound for one that never
        // does. Ask again soon rather than sit out the whole timeout.
        return Math.max(1, Math.min(probeUntil - now, settings.leaseMillis()));
    }

    /**
     * Waiting nodes behind another: how many, and how many calls of the free capacity to keep for them now
     * (one each, less what refills before the first of them is due back).
     */
    private record Behind(int nodes, long reserved) {}

    private static final Behind NONE_BEHIND = new Behind(0, 0);

    /**
     * Other nodes waiting for capacity they were refused that have had fewer calls of this key than
     * {@code nodeId} since the key became saturated: the refill is theirs first. So whichever node asks the
     * owner first (the owner itself, a node renewing a busy lease, a node whose queue polls just after a
     * refill), nodes that keep asking get equal numbers of calls, as in start-time fair queueing. What will
     * have refilled by the time the first of them is back is not held for them: that would leave capacity
     * idle.
     */
    private Behind nodesBehind(String nodeId, long now, long minTokens, LedgerSettings settings) {
        boolean saturated = false;
        for (NodeShare share : shares.values()) {
            saturated |= share.waitedWithin(now, memory(settings));
        }
        if (!saturated) {
            // Nobody has waited for a while: the saturation is over, and what nodes had during it no longer
            // matters.
            shares.clear();
            return NONE_BEHIND;
        }
        NodeShare own = shares.get(nodeId);
        double mine = own == null ? 0 : own.calls;
        int behind = 0;
        long firstBack = Long.MAX_VALUE;
        for (Map.Entry<String, NodeShare> other : shares.entrySet()) {
            NodeShare share = other.getValue();
            if (share.waitingAt(now) && share.calls < mine && !other.getKey().equals(nodeId)) {
                behind++;
                firstBack = Math.min(firstBack, share.waitingUntil - waitingSlack(settings));
            }
        }
        if (behind == 0) {
            return NONE_BEHIND;
        }
        long refilled = (long) Math.floor(callsRefilledIn(Math.max(0, firstBack - now), minTokens));
        return new Behind(behind, Math.max(0, behind - refilled));
    }

    /**
     * How much longer than its retry-after a refused node counts as waiting: time to poll and travel. Short,
     * because capacity held for a node that does not come back (another key served it) stands idle.
     */
    private static long waitingSlack(LedgerSettings settings) {
        return settings.leaseMillis() / 5;
    }

    /**
     * How long after its last wait a node keeps its count: one that asks again within it (late, or served
     * by another key meanwhile) is still behind by what it was behind; one away longer starts level.
     */
    private static long memory(LedgerSettings settings) {
        return 4 * settings.leaseMillis();
    }

    /** Calls of {@code minTokens} each that refill in {@code millis} (the tighter limited dimension). */
    private double callsRefilledIn(long millis, long minTokens) {
        double calls = Double.MAX_VALUE;
        if (requestLimit() > 0) {
            calls = Math.min(calls, (double) millis * requestLimit() / limits.windowMillis());
        }
        if (tokenLimit() > 0) {
            calls = Math.min(calls, (double) millis * tokenLimit() / limits.windowMillis() / Math.max(1, minTokens));
        }
        return calls == Double.MAX_VALUE ? 0 : calls;
    }

    /**
     * A node refused for want of capacity waits until its retry-after, {@code back}, and a little longer.
     * One that starts waiting (not having waited lately) starts level with the least-served node already
     * waiting: it may not claim what it did not ask for before, and what it had before does not count
     * against it.
     */
    private void waiting(String nodeId, long now, long back, LedgerSettings settings) {
        NodeShare share = shares.computeIfAbsent(nodeId, n -> new NodeShare());
        if (!share.waitedWithin(now, memory(settings))) {
            double least = Double.MAX_VALUE;
            for (Map.Entry<String, NodeShare> other : shares.entrySet()) {
                if (other.getValue().waitingAt(now) && !other.getKey().equals(nodeId)) {
                    least = Math.min(least, other.getValue().calls);
                }
            }
            share.calls = least == Double.MAX_VALUE ? share.calls : Math.max(share.calls, least);
        }
        share.waitingUntil = Math.max(share.waitingUntil, back + waitingSlack(settings));
    }

    /** Counts a grant made while some node waits, in calls: requests when they are limited, else tokens per call. */
    private void granted(String nodeId, long grantRequests, long grantTokens, long minTokens) {
        if (shares.isEmpty() || (requestLimit() == 0 && tokenLimit() == 0)) {
            return;
        }
        double calls = requestLimit() > 0 ? grantRequests : (double) grantTokens / Math.max(1, minTokens);
        // Still counted as waiting until its refusal's time is up: it asks again at once if it has more calls.
        shares.computeIfAbsent(nodeId, n -> new NodeShare()).calls += calls;
    }

    /** Whole calls of {@code minTokens} each that the free capacity holds (unlimited dimensions: any number). */
    private long callsFree(long minTokens) {
        long calls = Long.MAX_VALUE;
        if (requestLimit() > 0) {
            calls = Math.min(calls, (long) Math.floor(freeRequests));
        }
        if (tokenLimit() > 0) {
            calls = Math.min(calls, (long) Math.floor(freeTokens / Math.max(1, minTokens)));
        }
        return calls;
    }

    /** How soon {@code calls} calls (one: the asker's; more: the asker's after those waiting before it) may fit. */
    private long saturatedRetryAfter(
            LeaseRequest q, boolean noRequests, boolean noTokens, long calls, LedgerSettings settings) {
        long retry = 1;
        long window = limits.windowMillis();
        if (noRequests) {
            long needed = calls == 1 ? 1 : Math.min(calls, requestLimit());
            retry = Math.max(
                    retry, timeToRefill(requestLimit(), freeRequests, leasedRequests(), needed, window, settings));
        }
        if (noTokens) {
            long perCall = Math.max(1, q.minTokens());
            long needed = calls == 1 ? q.minTokens() : Math.min(calls * perCall, Math.max(perCall, tokenLimit()));
            retry = Math.max(retry, timeToRefill(tokenLimit(), freeTokens, leasedTokens(), needed, window, settings));
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
            case OUT_OF_CREDIT ->
                // Out of rotation for long, not for good: an account can be topped up, and then the probe
                // after this cooldown brings the key back without an admin.
                coolDown(now + Math.max(settings.creditCooldownMillis(), retryAfterMillis), reason);
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
        boolean requestsWereUnlimited = requestLimit() == 0;
        boolean tokensWereUnlimited = tokenLimit() == 0;
        if (requestLimitSeen > 0 && (limits.requests() == 0 || requestLimitSeen < limits.requests())) {
            learnedRequestLimit = requestLimitSeen;
        }
        if (tokenLimitSeen > 0 && (limits.tokens() == 0 || tokenLimitSeen < limits.tokens())) {
            learnedTokenLimit = tokenLimitSeen;
        }
        // A bucket that was unlimited kept no free count: start it from what the provider says remains,
        // less everything nodes hold or have in flight (the provider has not counted all of that yet).
        if (requestsWereUnlimited && requestLimit() > 0) {
            freeRequests = requestsRemaining < 0 ? 0 : Math.max(0, requestsRemaining - leasedRequests());
        }
        if (tokensWereUnlimited && tokenLimit() > 0) {
            freeTokens = tokensRemaining < 0 ? 0 : Math.max(0, tokensRemaining - leasedTokens());
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
        other.shares.forEach((node, share) -> m.shares.merge(
                node, new NodeShare(share), (mine, theirs) -> mine.calls >= theirs.calls ? mine : theirs));
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
        return headroom(now, 0, 0);
    }

    /**
     * The headroom one node sees: what is free in the ledger plus {@code heldRequests} and {@code heldTokens}
     * that node holds unspent in its lease (the ledger counts them as used; for that node they are not).
     */
    public double headroom(long now, long heldRequests, long heldTokens) {
        double elapsed = Math.max(0, now - refilledAt);
        double h = 1.0;
        long rl = requestLimit();
        if (rl > 0) {
            double free =
                    Math.min((double) (rl - leasedRequests()), freeRequests + elapsed * rl / limits.windowMillis());
            h = Math.min(h, Math.max(0, free + Math.max(0, heldRequests)) / rl);
        }
        long tl = tokenLimit();
        if (tl > 0) {
            double free = Math.min((double) (tl - leasedTokens()), freeTokens + elapsed * tl / limits.windowMillis());
            h = Math.min(h, Math.max(0, free + Math.max(0, heldTokens)) / tl);
        }
        int cl = limits.concurrent();
        if (cl > 0) {
            h = Math.min(h, Math.max(0, cl - inFlight()) / (double) cl);
        }
        return h;
    }
}
