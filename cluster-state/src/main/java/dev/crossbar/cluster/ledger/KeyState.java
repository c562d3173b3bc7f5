package dev.crossbar.cluster.ledger;

import java.util.Collections;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The cluster's one truth about one provider key, and the rules that change it: its {@link Buckets}, the
 * {@link Leases} nodes hold on them, its {@link Health}, how it is shared while saturated ({@link
 * FairShares}) and what was done with it ({@link Counters}). Plain Java: the Hazelcast layer only carries
 * these rules to the key's partition owner, and an in-memory ledger runs the same rules.
 *
 * <p>The invariant that keeps N nodes under the provider's limit: {@code free + leased <= limit} in each
 * bucket, where {@code leased} counts every granted unit not yet reported spent or returned. Refill stops at
 * that cap, so capacity a node holds, or has spent but not yet reported, can never be granted twice; see
 * docs/key-pool.md for the proof sketch. Time is passed in (the owner's clock).
 */
public final class KeyState {

    final String keyId;
    KeyLimits limits;
    final Buckets buckets;
    final Leases leases;
    final Health health;
    final FairShares shares;
    final Counters counters;

    public KeyState(String keyId, KeyLimits limits, long now) {
        this.keyId = keyId;
        this.limits = limits;
        this.buckets = new Buckets(limits, now);
        this.leases = new Leases();
        this.health = new Health();
        this.shares = new FairShares();
        this.counters = new Counters();
    }

    private KeyState(KeyState other) {
        keyId = other.keyId;
        limits = other.limits;
        buckets = new Buckets(other.buckets);
        leases = new Leases(other.leases);
        health = new Health(other.health);
        shares = new FairShares(other.shares);
        counters = new Counters(other.counters);
    }

    /** A deep copy, for snapshots handed to other threads. */
    public KeyState copy() {
        return new KeyState(this);
    }

    // ---- the lease exchange -----------------------------------------------------------------------

    /** Applies a node's report, then grants what fits. The one hot operation of the ledger. */
    public LeaseGrant exchange(LeaseRequest q, long now, LedgerSettings settings) {
        leases.reclaimExpired(now, settings.reclaimGraceMillis());
        buckets.refill(now, leases);
        boolean fresh = !applyReport(q);
        if (q.isRelease()) {
            leases.remove(q.nodeId());
            return new LeaseGrant(0, 0, 0, 0, settings.leaseMillis(), 0, null, false, shares.contended(now), true);
        }
        NodeLease lease = leases.renew(q.nodeId(), q.inFlight(), now, settings);
        String blocked = health.blockedReason(q.nodeId(), now);
        if (blocked != null) {
            lease.slots = Math.max(lease.inFlight, Math.min(lease.slots, q.wantSlots()));
            return refusal(lease, health.blockedRetryAfter(now, settings), blocked, fresh, settings);
        }
        int slots = leases.grantSlots(lease, q.wantSlots(), limits.concurrent());
        if (q.wantRequests() <= 0) {
            lease.slots = slots;
            return new LeaseGrant(
                    lease.epoch, 0, 0, slots, settings.leaseMillis(), 0, null, false, shares.contended(now), fresh);
        }
        int holders = leases.holders();
        long grantRequests = buckets.grant(Measure.REQUESTS, 1, q.wantRequests(), holders);
        long grantTokens = buckets.grant(Measure.TOKENS, q.minTokens(), q.wantTokens(), holders);
        boolean slotFree = limits.concurrent() == 0 || slots > q.inFlight();
        lease.slots = slots;
        if (grantRequests < 0 || grantTokens < 0 || !slotFree) {
            shares.contend(now, settings);
            long retry = buckets.retryAfter(grantRequests < 0, grantTokens < 0, 1, q.minTokens(), leases, settings);
            if (grantRequests < 0 || grantTokens < 0) {
                // Only the buckets are shared by counting; concurrency slots go back as calls end.
                shares.waiting(q.nodeId(), now, now + retry, settings);
            }
            return refusal(lease, retry, "saturated", fresh, settings);
        }
        FairShares.Behind behind = shares.behind(q.nodeId(), now, q.minTokens(), settings, buckets);
        if (behind.nodes() > 0) {
            // Waiting nodes have had fewer calls since the key became saturated: what they will need when
            // they are back waits for them, and this node takes at most one call of what is left over.
            if (buckets.callsFree(q.minTokens()) <= behind.reserved()) {
                shares.contend(now, settings);
                long retry = buckets.retryAfter(
                        requestLimit() > 0, tokenLimit() > 0, behind.reserved() + 1, q.minTokens(), leases, settings);
                shares.waiting(q.nodeId(), now, now + retry, settings);
                return refusal(lease, retry, "saturated", fresh, settings);
            }
            grantRequests = Math.min(grantRequests, 1);
            grantTokens = tokenLimit() > 0 ? Math.min(grantTokens, Math.max(1, q.minTokens())) : grantTokens;
        }
        boolean probe = health.startProbe(q.nodeId(), now, settings);
        if (probe) {
            grantRequests = 1;
        }
        lease.requests += grantRequests;
        lease.tokens += grantTokens;
        shares.granted(q.nodeId(), grantRequests, grantTokens, q.minTokens(), buckets);
        buckets.take(Measure.REQUESTS, grantRequests);
        buckets.take(Measure.TOKENS, grantTokens);
        return new LeaseGrant(
                lease.epoch,
                grantRequests,
                grantTokens,
                slots,
                settings.leaseMillis(),
                0,
                null,
                probe,
                shares.contended(now),
                fresh);
    }

    /** Applies a report; returns false when the reported lease is unknown (its numbers are then ignored). */
    private boolean applyReport(LeaseRequest q) {
        boolean known = leases.report(q);
        if (known) {
            buckets.giveBack(Measure.REQUESTS, q.returnedRequests());
            buckets.giveBack(Measure.TOKENS, q.returnedTokens());
        }
        buckets.cap(leases);
        counters.add(q);
        return known;
    }

    private LeaseGrant refusal(
            NodeLease lease, long retryAfter, String reason, boolean fresh, LedgerSettings settings) {
        return new LeaseGrant(
                lease.epoch, 0, 0, lease.slots, settings.leaseMillis(), retryAfter, reason, false, true, fresh);
    }

    /** Drops every lease and slot of a node that left the cluster. */
    public void reclaimNode(String nodeId, long now) {
        buckets.refill(now, leases);
        leases.remove(nodeId);
        shares.forget(nodeId);
        health.forgetProbe(nodeId);
    }

    // ---- health, limits, admin ----------------------------------------------------------------------

    /**
     * Records how a call ended. A later deadline never gives way to a sooner one.
     *
     * @param retryAfterMillis the provider's stated delay, or a negative number when it stated none
     */
    public void recordOutcome(
            Outcome outcome,
            String nodeId,
            long retryAfterMillis,
            @Nullable String reason,
            long now,
            LedgerSettings settings) {
        buckets.refill(now, leases);
        health.record(outcome, nodeId, retryAfterMillis, reason, now, settings);
        if (outcome == Outcome.RATE_LIMITED) {
            counters.rateLimited++;
            buckets.exhaust();
        }
    }

    public void setDisabled(boolean disable, @Nullable String reason) {
        health.setDisabled(disable, reason);
    }

    /** Claims the scheduled check of a key the provider refused: true when this caller is to make it now. */
    public boolean claimCheck(long now, long intervalMillis) {
        return health.claimCheck(now, intervalMillis);
    }

    /** Records what a scheduled check found; an accepted key comes back into rotation. */
    public void checked(boolean accepted, String result) {
        health.checked(accepted, result);
    }

    /** Changes the configured limits (config reload, admin), keeping what is in use. */
    public void updateLimits(KeyLimits newLimits, long now) {
        buckets.refill(now, leases);
        buckets.reconfigure(newLimits, leases);
        limits = newLimits;
    }

    /**
     * Tightens the state with what a provider's rate-limit headers say. Values below zero are unknown.
     * Only ever lowers: a provider's view that is tighter than ours wins, a looser one is ignored.
     */
    public void learn(
            long requestLimitSeen, long requestsRemaining, long tokenLimitSeen, long tokensRemaining, long now) {
        buckets.refill(now, leases);
        buckets.first(Measure.REQUESTS).learn(requestLimitSeen, requestsRemaining, leases.leased(Measure.REQUESTS));
        buckets.first(Measure.TOKENS).learn(tokenLimitSeen, tokensRemaining, leases.leased(Measure.TOKENS));
    }

    /**
     * Joins two copies of one key after a split brain healed: each side may have spent what the other
     * did not know about, so the result keeps the least free capacity, every lease, the latest cooldown
     * and any disabling. It errs towards using a key too little, never too much.
     */
    public KeyState mergedWith(KeyState other) {
        KeyState m = copy();
        m.buckets.mergeFrom(other.buckets);
        m.leases.mergeFrom(other.leases);
        m.shares.mergeFrom(other.shares);
        m.health.mergeFrom(other.health);
        m.counters.mergeFrom(other.counters);
        m.buckets.cap(m.leases);
        return m;
    }

    // ---- read access for snapshots, admin and tests -------------------------------------------------

    public String keyId() {
        return keyId;
    }

    public KeyLimits limits() {
        return limits;
    }

    /** The request limit in force: the configured one, tightened by what the provider told us. */
    public long requestLimit() {
        return buckets.limit(Measure.REQUESTS);
    }

    public long tokenLimit() {
        return buckets.limit(Measure.TOKENS);
    }

    public double freeRequests() {
        return buckets.first(Measure.REQUESTS).free;
    }

    public double freeTokens() {
        return buckets.first(Measure.TOKENS).free;
    }

    public long refilledAt() {
        return buckets.refilledAt;
    }

    public long leasedRequests() {
        return leases.leased(Measure.REQUESTS);
    }

    public long leasedTokens() {
        return leases.leased(Measure.TOKENS);
    }

    public int slotsHeld() {
        return leases.slotsHeld();
    }

    public int inFlight() {
        return leases.inFlight();
    }

    public Map<String, NodeLease> leases() {
        return Collections.unmodifiableMap(leases.byNode);
    }

    public long cooldownUntil() {
        return health.cooldownUntil;
    }

    public @Nullable String cooldownReason() {
        return health.cooldownReason;
    }

    public int failureStreak() {
        return health.failureStreak;
    }

    public boolean probePending() {
        return health.probePending;
    }

    public boolean disabled() {
        return health.disabled;
    }

    public @Nullable String disabledReason() {
        return health.disabledReason;
    }

    /** True when the provider refused the key (not an admin): scheduled checks may bring it back. */
    public boolean refusedByProvider() {
        return health.refusedByProvider;
    }

    /** When a node last claimed the key's scheduled check (0: never). */
    public long checkedAt() {
        return health.checkedAt;
    }

    /** What the last scheduled check found, or null. */
    public @Nullable String checkResult() {
        return health.checkResult;
    }

    public long successes() {
        return counters.successes;
    }

    public long failures() {
        return counters.failures;
    }

    public long rateLimited() {
        return counters.rateLimited;
    }

    public long latencyMillisTotal() {
        return counters.latencyMillisTotal;
    }

    public long requestsConsumed() {
        return counters.requestsConsumed;
    }

    public long tokensConsumed() {
        return counters.tokensConsumed;
    }

    public boolean contended(long now) {
        return shares.contended(now);
    }

    /** True when no node may use the key now (disabled or cooling down). */
    public boolean blockedAt(long now) {
        return health.blockedAt(now);
    }

    /**
     * Why the ledger would refuse {@code nodeId} the key now for its health ("disabled", "cooling down", "probing"
     * while another node sends the one probe), or null: the rule {@link #exchange} applies.
     */
    public @Nullable String blockedReason(String nodeId, long now) {
        return health.blockedReason(nodeId, now);
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
        double h = buckets.headroom(now, leases, heldRequests, heldTokens);
        int cl = limits.concurrent();
        if (cl > 0) {
            h = Math.min(h, Math.max(0, cl - inFlight()) / (double) cl);
        }
        return h;
    }
}
