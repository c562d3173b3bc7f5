package dev.crossbar.cluster.lease;

import dev.crossbar.cluster.ledger.KeyCommand;
import dev.crossbar.cluster.ledger.KeyLimits;
import dev.crossbar.cluster.ledger.KeyState;
import dev.crossbar.cluster.ledger.LeaseGrant;
import dev.crossbar.cluster.ledger.LeaseRequest;
import dev.crossbar.cluster.ledger.Ledger;
import dev.crossbar.cluster.ledger.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's side of the shared key pool: spends leased slices of each key's capacity locally, so
 * most calls need no cluster round trip, and trades with the {@link Ledger} (one round trip, shared by
 * every caller waiting on that key) when a slice runs low or expires. Thread-safe.
 */
public final class LocalLeases implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalLeases.class);
    /** Stop spending a lease this long before the owner's expiry, for clock drift and transit. */
    private static final long EXPIRY_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private static final long FAILED_EXCHANGE_BACKOFF_MILLIS = 100;
    /** The longest a refused or empty account holds a lease back while its report travels to the ledger. */
    private static final long FAILURE_HOLD_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final int INITIAL_WANT = 4;

    private final Ledger ledger;
    private final String nodeId;
    private final LongSupplier nanoClock;
    private final Map<String, LocalLease> leases = new ConcurrentHashMap<>();
    private final @Nullable ScheduledFuture<?> sweeper;
    /** Renew a lease this long before it runs out, so a busy key never waits on a round trip. */
    private final long renewAheadNanos;

    private volatile boolean closed;

    /**
     * @param timer runs the periodic {@link #sweep}; null when the caller drives it (tests)
     */
    public LocalLeases(Ledger ledger, String nodeId, LongSupplier nanoClock, @Nullable ScheduledExecutorService timer) {
        this.ledger = ledger;
        this.nodeId = nodeId;
        this.nanoClock = nanoClock;
        long period = Math.max(5, ledger.settings().leaseMillis() / 5);
        this.renewAheadNanos = TimeUnit.MILLISECONDS.toNanos(2 * period) + EXPIRY_MARGIN_NANOS;
        this.sweeper =
                timer == null ? null : timer.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    public String nodeId() {
        return nodeId;
    }

    /**
     * Spends one call's worth of the local lease on {@code keyId}, or returns null when the lease has no
     * room now (then {@link #acquire} asks the ledger). No round trip, no allocation beyond the permit.
     */
    public @Nullable Permit tryAcquire(String keyId, long estimatedTokens) {
        KeyState state = ledger.snapshot().get(keyId);
        if (state == null || state.blockedAt(ledger.now())) {
            releaseHold(keyId);
            return null;
        }
        LocalLease lease = leases.computeIfAbsent(keyId, LocalLease::new);
        Permit permit;
        boolean topUp;
        synchronized (lease) {
            long now = nanoClock.getAsLong();
            if (now < lease.heldUntilNanos) {
                return null;
            }
            lease.demandNow++;
            lease.tokenDemandNow += estimatedTokens;
            if ((lease.grantedUnlimitedRequests && state.requestLimit() > 0)
                    || (lease.grantedUnlimitedTokens && state.tokenLimit() > 0)) {
                // The provider announced a limit after this lease was sized without one: what is left of it
                // goes back at the next exchange, and only grants from the limited bucket are spent.
                lease.expiresAtNanos = 0;
                lease.grantedUnlimitedRequests = false;
                lease.grantedUnlimitedTokens = false;
            }
            if (!hasRoom(lease, state, estimatedTokens, now)) {
                return null;
            }
            lease.requestsLeft--;
            lease.tokensLeft -= estimatedTokens;
            lease.inFlight++;
            lease.peakInFlight = Math.max(lease.peakInFlight, lease.inFlight);
            permit = new Permit(keyId, estimatedTokens, lease.probe, lease.generation);
            lease.probe = false;
            topUp = lease.exchange == null && runningLow(lease, state) && now >= lease.deniedUntilNanos;
            if (topUp) {
                exchangeInBackground(lease, state, estimatedTokens, false);
            }
        }
        return permit;
    }

    /**
     * The limits in force decide, not the configured ones: a limit the provider announced in its headers
     * binds a key configured without one (the owner grants from it; spending must stop where the grant does).
     */
    private static boolean hasRoom(LocalLease lease, KeyState state, long tokens, long now) {
        if (now >= lease.expiresAtNanos) {
            return false;
        }
        if (state.requestLimit() > 0 && lease.requestsLeft < 1) {
            return false;
        }
        if (state.tokenLimit() > 0 && lease.tokensLeft < tokens) {
            return false;
        }
        return state.limits().concurrent() == 0 || lease.inFlight < lease.slots;
    }

    private static boolean runningLow(LocalLease lease, KeyState state) {
        if (state.requestLimit() > 0 && lease.requestsLeft * 2 < Math.max(1, lease.lastGrantRequests)) {
            return true;
        }
        if (state.tokenLimit() > 0 && lease.tokensLeft * 2 < lease.lastGrantTokens) {
            return true;
        }
        return state.limits().concurrent() > 0 && lease.inFlight >= lease.slots;
    }

    /**
     * Spends from the local lease, or else refreshes it with the ledger (sharing a round trip already
     * under way) and tries once more. Completes with a {@link Permit} or a {@link Acquisition.Denied}.
     */
    public CompletionStage<Acquisition> acquire(String keyId, long estimatedTokens) {
        Permit permit = tryAcquire(keyId, estimatedTokens);
        if (permit != null) {
            return CompletableFuture.completedFuture(permit);
        }
        KeyState state = ledger.snapshot().get(keyId);
        if (state == null) {
            return CompletableFuture.completedFuture(new Acquisition.Denied(Long.MAX_VALUE, "unknown key"));
        }
        long now = ledger.now();
        if (state.disabled()) {
            return CompletableFuture.completedFuture(new Acquisition.Denied(Long.MAX_VALUE, "disabled"));
        }
        if (state.blockedAt(now)) {
            return CompletableFuture.completedFuture(
                    new Acquisition.Denied(state.cooldownUntil() - now, "cooling down"));
        }
        if (state.tokenLimit() > 0 && estimatedTokens > state.tokenLimit()) {
            return CompletableFuture.completedFuture(
                    new Acquisition.Denied(Long.MAX_VALUE, "request larger than the key's token limit"));
        }
        LocalLease lease = leases.computeIfAbsent(keyId, LocalLease::new);
        CompletableFuture<LeaseGrant> exchange;
        synchronized (lease) {
            long nowNanos = nanoClock.getAsLong();
            if (nowNanos < lease.deniedUntilNanos
                    && lease.deniedForHealth
                    && state.blockedReason(nodeId, now) == null) {
                // A refusal for the key's health (disabled, cooling down, another node probing) lasts only while the
                // snapshot shows the ledger would still refuse this node: a disabled key enabled again, or one whose
                // probe succeeded, may be asked for at once (a day's hold for "disabled" kept a node from ever
                // asking to send the probe an enabled key waits for).
                lease.deniedUntilNanos = 0;
            }
            if (nowNanos < lease.deniedUntilNanos) {
                long wait = TimeUnit.NANOSECONDS.toMillis(lease.deniedUntilNanos - nowNanos) + 1;
                return CompletableFuture.completedFuture(new Acquisition.Denied(
                        wait, Objects.requireNonNull(lease.deniedReason, "set with deniedUntilNanos")));
            }
            exchange = lease.exchange != null ? lease.exchange : startExchange(lease, state, estimatedTokens, false);
        }
        return exchange.handle((grant, error) -> {
            Permit p = tryAcquire(keyId, estimatedTokens);
            if (p != null) {
                return p;
            }
            if (error != null) {
                return new Acquisition.Denied(FAILED_EXCHANGE_BACKOFF_MILLIS, "cluster state unavailable");
            }
            if (grant.retryAfterMillis() > 0) {
                return new Acquisition.Denied(grant.retryAfterMillis(), grant.refusal());
            }
            // Granted, but callers sharing the round trip spent it first: worth asking again soon.
            return new Acquisition.Denied(1, "saturated");
        });
    }

    /**
     * The provider has answered the call that spent {@code permit}, so it has certainly counted it. Only
     * now is the request reported as spent: until then it stays leased, because a call still travelling
     * to the provider has not yet been charged there, and refilling the ledger for it early would let
     * the ledger run ahead of the provider (docs/key-pool.md).
     */
    public void arrived(Permit permit) {
        LocalLease lease = leases.get(permit.keyId());
        if (lease == null) {
            return;
        }
        synchronized (lease) {
            if (permit.generation() == lease.generation) {
                lease.consumedRequests++;
                // Near the limit, unreported spending holds back the owner's refill for every node: say it now.
                if (lease.contended && lease.exchange == null) {
                    KeyState state = ledger.snapshot().get(permit.keyId());
                    if (state != null) {
                        exchangeInBackground(lease, state, 0, false);
                    }
                }
            }
        }
    }

    /**
     * Asks the ledger for a lease on {@code keyId} in the background, without taking a permit: for a key
     * chosen for a call that another key's lease served instead, so that it has room for the next one. Does
     * nothing while an exchange is under way, the last one was refused, or the lease has room.
     */
    public void prepare(String keyId, long estimatedTokens) {
        KeyState state = ledger.snapshot().get(keyId);
        if (state == null || state.blockedAt(ledger.now())) {
            return;
        }
        LocalLease lease = leases.computeIfAbsent(keyId, LocalLease::new);
        synchronized (lease) {
            long now = nanoClock.getAsLong();
            if (lease.exchange == null
                    && now >= lease.deniedUntilNanos
                    && !hasRoom(lease, state, estimatedTokens, now)) {
                exchangeInBackground(lease, state, estimatedTokens, false);
            }
        }
    }

    /**
     * The call that spent {@code permit} is over.
     *
     * @param arrived          true when {@link #arrived} was called for this permit
     * @param chargedTokens    what the provider charged (actual usage), or -1 when unknown (keep the estimate)
     * @param retryAfterMillis the provider's stated retry delay, or -1
     * @param reason           words for a cooldown or disabling ("429 from provider"), null on success
     */
    public void release(
            Permit permit,
            boolean arrived,
            long chargedTokens,
            Outcome outcome,
            long latencyMillis,
            long retryAfterMillis,
            @Nullable String reason) {
        LocalLease lease = leases.get(permit.keyId());
        if (lease == null) {
            return;
        }
        boolean giveBackSlot;
        synchronized (lease) {
            lease.inFlight = Math.max(0, lease.inFlight - 1);
            if (permit.generation() == lease.generation) {
                if (!arrived) {
                    // It may or may not have reached the provider: count it spent, which errs safe.
                    lease.consumedRequests++;
                }
                // Token use is reported only now, charge and refund together: an estimate still in flight
                // stays leased, so the owner's refill can never outrun the provider's (docs/key-pool.md).
                long charged = chargedTokens >= 0 ? chargedTokens : permit.estimatedTokens();
                // A call that cost more than its estimate is paid from this node's unspent slice first, at
                // once: the provider has charged it already, so the slice must not be spent again meanwhile.
                // What the slice cannot cover is a debt the owner takes from the free capacity.
                long covered = Math.min(Math.max(0, charged - permit.estimatedTokens()), Math.max(0, lease.tokensLeft));
                lease.tokensLeft -= covered;
                lease.settledTokens += charged;
                lease.refundedTokens += permit.estimatedTokens() - charged + covered;
            }
            if (outcome == Outcome.SUCCESS) {
                lease.successes++;
                lease.latencyMillis += latencyMillis;
            } else if (outcome != Outcome.NEUTRAL) {
                lease.failures++;
                if (outcome == Outcome.REJECTED
                        || outcome == Outcome.OUT_OF_CREDIT
                        || outcome == Outcome.RATE_LIMITED) {
                    // The ledger will block the key; until its snapshot shows that, this node must not spend
                    // the key again on the strength of a lease the provider has just refused.
                    lease.heldUntilNanos = nanoClock.getAsLong() + FAILURE_HOLD_NANOS;
                }
            }
            giveBackSlot = lease.contended && lease.exchange == null && lease.slots > lease.inFlight + 1;
        }
        // Anything that changes the key's health is told at once; a success only when it ends a probe.
        boolean reportNow = outcome != Outcome.NEUTRAL && (outcome != Outcome.SUCCESS || permit.probe());
        if (reportNow) {
            ledger.execute(permit.keyId(), new KeyCommand.Report(outcome, nodeId, retryAfterMillis, reason))
                    .whenComplete((ok, err) -> {
                        if (err != null) {
                            LOG.warn(
                                    "could not record the outcome of a call on key {}: {}",
                                    permit.keyId(),
                                    err.toString());
                        }
                    });
        }
        if (giveBackSlot) {
            KeyState state = ledger.snapshot().get(permit.keyId());
            if (state != null) {
                synchronized (lease) {
                    if (lease.exchange == null) {
                        exchangeInBackground(lease, state, 0, false);
                    }
                }
            }
        }
    }

    /**
     * Gives back a permit whose call was never made, because another bucket the call draws from refused it:
     * the lease is as if the permit had never been taken. Unlike a {@link #release} of a call not sent, the
     * request is not counted as spent (it is certain nobody sent it), so a refused shared bucket costs the
     * key nothing. A permit of a lease the owner has since forgotten (a fresh grant) is dropped with it.
     */
    public void cancel(Permit permit) {
        LocalLease lease = leases.get(permit.keyId());
        if (lease == null) {
            return;
        }
        synchronized (lease) {
            lease.inFlight = Math.max(0, lease.inFlight - 1);
            if (permit.generation() == lease.generation) {
                lease.requestsLeft++;
                lease.tokensLeft += permit.estimatedTokens();
                lease.probe |= permit.probe();
            }
        }
    }

    /** The snapshot shows the key blocked: a failure's hold has done its job. */
    private void releaseHold(String keyId) {
        LocalLease lease = leases.get(keyId);
        if (lease != null) {
            synchronized (lease) {
                lease.heldUntilNanos = 0;
            }
        }
    }

    /** Sends the provider's rate-limit headers to the ledger (values < 0 are unknown). */
    public void learn(String keyId, long requestLimit, long requestsRemaining, long tokenLimit, long tokensRemaining) {
        ledger.execute(keyId, new KeyCommand.Learn(requestLimit, requestsRemaining, tokenLimit, tokensRemaining));
    }

    /**
     * The share of the key's tightest limit this node could still use now (1 idle, 0 exhausted): what is
     * free in the ledger plus what this node holds unspent. It falls with every call this node makes, so
     * spreading by it needs no round trip to notice that a key is getting busier.
     */
    public double headroom(String keyId, KeyState state, long nowMillis) {
        LocalLease lease = leases.get(keyId);
        if (lease == null) {
            return state.headroom(nowMillis);
        }
        synchronized (lease) {
            long now = nanoClock.getAsLong();
            if (now < lease.heldUntilNanos) {
                return 0;
            }
            if (now >= lease.expiresAtNanos) {
                return state.headroom(nowMillis);
            }
            return state.headroom(nowMillis, lease.requestsLeft, lease.tokensLeft);
        }
    }

    /** Calls on {@code keyId} this node has running now. */
    public int inFlight(String keyId) {
        LocalLease lease = leases.get(keyId);
        if (lease == null) {
            return 0;
        }
        synchronized (lease) {
            return lease.inFlight;
        }
    }

    /** An exchange nobody waits for (lock held, as for startExchange): a failure is logged and backs the lease off. */
    private void exchangeInBackground(LocalLease lease, KeyState state, long minTokens, boolean release) {
        var unused = startExchange(lease, state, minTokens, release);
    }

    /** Must be called holding the lease's lock. */
    private CompletableFuture<LeaseGrant> startExchange(
            LocalLease lease, KeyState state, long minTokens, boolean release) {
        KeyLimits limits = state.limits();
        boolean requestsUnlimited = state.requestLimit() == 0;
        boolean tokensUnlimited = state.tokenLimit() == 0;
        long sentAt = nanoClock.getAsLong();
        boolean expired = sentAt >= lease.expiresAtNanos;
        long returnedRequests = 0;
        long returnedTokens = lease.refundedTokens;
        if (expired || release) {
            returnedRequests = Math.max(0, lease.requestsLeft);
            returnedTokens += Math.max(0, lease.tokensLeft);
            lease.requestsLeft = 0;
            lease.tokensLeft = 0;
        }
        long demand = Math.max(lease.demandNow, lease.demandBefore);
        long tokenDemand = Math.max(lease.tokenDemandNow, lease.tokenDemandBefore);
        long wantRequests =
                release ? 0 : Math.max(1, Math.max(INITIAL_WANT, 2 * demand) - Math.max(0, lease.requestsLeft));
        long wantTokens = release ? 0 : Math.max(minTokens, 2 * tokenDemand - Math.max(0, lease.tokensLeft));
        int wantSlots = release ? lease.inFlight : Math.max(lease.inFlight + 1, lease.peakInFlight + 1);
        if (lease.contended && !release && limits.concurrent() > 0) {
            wantSlots = lease.inFlight + 1;
        }
        LeaseRequest request = new LeaseRequest(
                nodeId,
                lease.epoch,
                lease.consumedRequests,
                lease.settledTokens,
                returnedRequests,
                returnedTokens,
                wantRequests,
                wantTokens,
                minTokens,
                lease.inFlight,
                wantSlots,
                lease.successes,
                lease.failures,
                lease.latencyMillis);
        // Slots being given back are not ours to use while the answer travels: the owner may hand them on.
        lease.slots = Math.min(lease.slots, wantSlots);
        lease.consumedRequests = 0;
        lease.settledTokens = 0;
        lease.refundedTokens = 0;
        lease.successes = 0;
        lease.failures = 0;
        lease.latencyMillis = 0;
        // Callers wait on the future that completes after the grant is applied, not on the bare answer
        // (dependents run in reverse order: they would look at the lease before it had the grant).
        CompletableFuture<LeaseGrant> applied = ledger.exchange(lease.keyId, request)
                .toCompletableFuture()
                .whenComplete((grant, error) -> {
                    synchronized (lease) {
                        lease.exchange = null;
                        if (error != null) {
                            // Whether the owner applied the report is unknown. Sending it again could count a
                            // return twice; dropping it can only leave capacity leased until the lease is
                            // reclaimed, which errs on the safe side.
                            lease.deniedUntilNanos = nanoClock.getAsLong()
                                    + TimeUnit.MILLISECONDS.toNanos(FAILED_EXCHANGE_BACKOFF_MILLIS);
                            lease.deniedReason = "cluster state unavailable";
                            LOG.warn("lease exchange for key {} failed: {}", lease.keyId, error.toString());
                            return;
                        }
                        applyGrant(lease, grant, sentAt);
                        lease.grantedUnlimitedRequests = requestsUnlimited;
                        lease.grantedUnlimitedTokens = tokensUnlimited;
                    }
                });
        if (!applied.isDone()) {
            lease.exchange = applied;
        }
        return applied;
    }

    private void applyGrant(LocalLease lease, LeaseGrant grant, long sentAt) {
        if (grant.fresh()) {
            // The owner forgot the old lease and counted all of it as spent: what is left of it, what was
            // spent from it while this answer travelled, and calls still running on it are no longer ours
            // to spend or settle.
            lease.requestsLeft = 0;
            lease.tokensLeft = 0;
            lease.consumedRequests = 0;
            lease.settledTokens = 0;
            lease.refundedTokens = 0;
            lease.generation++;
        }
        lease.epoch = grant.epoch();
        lease.requestsLeft += grant.requests();
        lease.tokensLeft += grant.tokens();
        lease.slots = grant.slots();
        lease.probe = grant.probe();
        lease.contended = grant.contended();
        lease.expiresAtNanos = sentAt + TimeUnit.MILLISECONDS.toNanos(grant.ttlMillis()) - EXPIRY_MARGIN_NANOS;
        if (grant.requests() > 0) {
            lease.lastGrantRequests = grant.requests();
            lease.lastGrantTokens = grant.tokens();
        }
        if (grant.retryAfterMillis() > 0) {
            long wait = Math.min(grant.retryAfterMillis(), TimeUnit.DAYS.toMillis(1));
            lease.deniedUntilNanos = nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(wait);
            lease.deniedReason = grant.refusal();
            lease.deniedForHealth = LeaseGrant.HEALTH_REFUSALS.contains(lease.deniedReason);
        } else {
            lease.deniedUntilNanos = 0;
        }
    }

    /** Reports and returns expiring leases and renews those still in demand. Runs every lease/5. */
    public void sweep() {
        if (closed) {
            return;
        }
        try {
            long now = nanoClock.getAsLong();
            for (LocalLease lease : leases.values()) {
                KeyState state = ledger.snapshot().get(lease.keyId);
                synchronized (lease) {
                    if (lease.exchange != null) {
                        continue;
                    }
                    boolean expiring = now >= lease.expiresAtNanos - renewAheadNanos;
                    if (!expiring) {
                        continue;
                    }
                    boolean inDemand = lease.demandNow > 0;
                    lease.demandBefore = lease.demandNow;
                    lease.tokenDemandBefore = lease.tokenDemandNow;
                    lease.demandNow = 0;
                    lease.tokenDemandNow = 0;
                    lease.peakInFlight = lease.inFlight;
                    if (state == null) {
                        continue;
                    }
                    if (lease.holdsCapacity() || lease.owesReport() || lease.inFlight > 0) {
                        exchangeInBackground(lease, state, 0, !inDemand);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("lease sweep failed", e);
        }
    }

    /** Gives every lease back (graceful shutdown); completes when the ledger has them. */
    public CompletionStage<Void> releaseAll() {
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (LocalLease lease : leases.values()) {
            KeyState state = ledger.snapshot().get(lease.keyId);
            synchronized (lease) {
                if (state != null && (lease.holdsCapacity() || lease.owesReport() || lease.inFlight > 0)) {
                    CompletableFuture<LeaseGrant> prior = lease.exchange;
                    if (prior != null) {
                        pending.add(prior);
                    }
                    pending.add(startExchange(lease, state, 0, true));
                }
            }
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .exceptionally(e -> null);
    }

    @Override
    public void close() {
        closed = true;
        if (sweeper != null) {
            sweeper.cancel(false);
        }
    }
}
