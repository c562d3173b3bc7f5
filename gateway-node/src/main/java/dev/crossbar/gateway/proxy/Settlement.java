package dev.crossbar.gateway.proxy;

import dev.crossbar.cluster.lease.LocalLeases;
import dev.crossbar.cluster.lease.Permit;
import dev.crossbar.cluster.ledger.Outcome;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.gateway.keys.SharedPermit;
import dev.crossbar.gateway.pricing.Budgets;
import dev.crossbar.gateway.pricing.Cost;
import dev.crossbar.gateway.pricing.Prices;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What a call settles (DESIGN.md 4): each attempt's key permit with the tokens it cost (nothing for a call never
 * sent, since the provider never saw it), the client key's permit with what the last call that reached a
 * provider settled to, the budget reservations with what the call cost, and one {@link RequestRecord} for metrics and the access log, with what that last call
 * cost at its target's price. Each permit once, the record
 * once. One per exchange, on its event loop.
 */
final class Settlement {

    private final LocalLeases leases;
    private final RequestObserver observer;
    private final Supplier<Prices> prices;
    private final Budgets budgets;
    private final String requestId;
    private final String protocol;
    private final String clientKey;
    private final @Nullable String team;
    private final long startNanos;

    private @Nullable String model;
    private boolean stream;
    private @Nullable Permit clientPermit;
    /** What the call holds reserved in its budgets, settled once as the exchange ends. */
    private Budgets.Held held = Budgets.Held.NONE;
    /** The exchange was cut while a call was with the provider and before it answered: what it billed is unknown. */
    private boolean costUnknown;
    /** Tokens the client key is charged: what the last call that reached a provider settled to. */
    private long clientCharge;

    private @Nullable UpstreamCall last;
    private long upstreamNanos;
    private long firstByteNanos = -1;

    /**
     * @param prices    the prices in force when the record is made
     * @param clientKey the client key's name
     * @param team      the client key's team, or null
     */
    Settlement(
            LocalLeases leases,
            RequestObserver observer,
            Supplier<Prices> prices,
            Budgets budgets,
            String requestId,
            String protocol,
            String clientKey,
            @Nullable String team,
            long startNanos) {
        this.leases = leases;
        this.observer = observer;
        this.prices = prices;
        this.budgets = budgets;
        this.requestId = requestId;
        this.protocol = protocol;
        this.clientKey = clientKey;
        this.team = team;
        this.startNanos = startNanos;
    }

    /** What the record says the request asked for, as far as intake read it. */
    void asked(@Nullable String model, boolean stream) {
        this.model = model;
        this.stream = stream;
    }

    /** The client key's permit, or null when it has no limits of its own. */
    void clientAdmitted(@Nullable Permit permit) {
        this.clientPermit = permit;
    }

    /** The call's budget reservations, settled by {@link #record}. */
    void budgetHeld(Budgets.Held held) {
        this.held = held;
    }

    /** Budget reservations that came when the exchange was over already: nothing was spent. */
    void unused(Budgets.Held late) {
        if (!late.holds().isEmpty()) {
            budgets.settle(late, Cost.NONE);
        }
    }

    /** A permit that came when the exchange was over already: nothing was sent with it. */
    void unused(Permit permit) {
        leases.release(permit, false, 0, Outcome.NEUTRAL, 0, -1, null);
    }

    /** A key granted when nothing will be sent with it: its permit, and its shared buckets' given back whole. */
    void unused(Attempts.Granted granted) {
        unused(granted.permit());
        for (SharedPermit shared : granted.shared()) {
            leases.cancel(shared.permit());
        }
    }

    /** {@code attempt} is the call the record and the next {@link #releaseKey} are about. */
    void attempting(UpstreamCall attempt) {
        this.last = attempt;
    }

    /** The provider's answer to the current attempt began. */
    void answered(UpstreamCall attempt) {
        firstByteNanos = attempt.firstByteNanos();
    }

    /**
     * Gives the current attempt's permit back, once.
     *
     * @param charged tokens to settle to, or -1 for the estimate; a call never sent settles to none
     */
    void releaseKey(Outcome outcome, long charged, long retryAfterMillis, @Nullable String reason) {
        UpstreamCall attempt = last;
        if (attempt == null || !attempt.settle()) {
            return;
        }
        release(attempt, outcome, charged, retryAfterMillis, reason);
    }

    /**
     * The exchange is cut (the client left, the drain ran out) with the current attempt maybe still with the
     * provider: its permit goes back with {@code charged}, and when the call was sent but nothing of an answer
     * came, the budgets keep the whole reservation (the provider may bill it; nobody can say how much).
     */
    void cut(long charged) {
        UpstreamCall attempt = last;
        if (attempt == null || !attempt.settle()) {
            return;
        }
        costUnknown = attempt.sent() && attempt.meter().billable() == null;
        release(attempt, Outcome.NEUTRAL, charged, -1, null);
    }

    private void release(
            UpstreamCall attempt, Outcome outcome, long charged, long retryAfterMillis, @Nullable String reason) {
        long settled =
                !attempt.sent() ? 0 : charged >= 0 ? charged : attempt.permit().estimatedTokens();
        if (attempt.sent()) {
            clientCharge = settled;
        }
        long took = System.nanoTime() - attempt.startNanos();
        upstreamNanos += took;
        leases.release(
                attempt.permit(), attempt.arrived(), settled, outcome, took / 1_000_000, retryAfterMillis, reason);
        if (!attempt.shared().isEmpty()) {
            releaseShared(attempt, outcome, settled);
        }
    }

    /**
     * The shared buckets settle the call in their own token part. What the call says about the key's health is
     * the key's alone, except a probe's success; a provider's 429 says the real bucket may be empty, so the
     * shortest window of each shared bucket drawn from is emptied too (it refills as usual: no cooldown).
     */
    private void releaseShared(UpstreamCall attempt, Outcome outcome, long settled) {
        long input = attempt.sent() ? attempt.meter().chargedInput() : 0;
        for (SharedPermit shared : attempt.shared()) {
            Outcome forBucket = outcome == Outcome.SUCCESS ? Outcome.SUCCESS : Outcome.NEUTRAL;
            leases.release(
                    shared.permit(),
                    attempt.arrived(),
                    shared.entry().part().settled(settled, input),
                    forBucket,
                    0,
                    -1,
                    null);
            if (outcome == Outcome.RATE_LIMITED && shared.entry().shortest()) {
                leases.learn(shared.entry().id(), -1, 0, -1, 0);
            }
        }
    }

    /**
     * Gives the client key's permit back with what reached a provider (a request that never did gives its
     * estimate back) and tells the observer. Once, as the exchange ends.
     */
    void record(
            int status,
            String outcome,
            int attempts,
            long queueNanos,
            @Nullable String droppedTools,
            @Nullable String droppedFields) {
        if (clientPermit != null) {
            leases.release(clientPermit, false, clientCharge, Outcome.NEUTRAL, 0, -1, null);
            clientPermit = null;
        }
        Usage usage = last == null ? null : last.meter().usage();
        Cost cost = costOfLastCall();
        if (!held.holds().isEmpty()) {
            if (costUnknown) {
                budgets.settleInFull(held);
            } else {
                budgets.settle(held, cost);
            }
            held = Budgets.Held.NONE;
        }
        observer.completed(new RequestRecord(
                requestId,
                protocol,
                clientKey,
                team,
                model,
                last == null ? null : last.target().upstream().id(),
                last == null ? null : last.key().id(),
                last == null ? null : last.key().fingerprint(),
                status,
                outcome,
                attempts,
                stream,
                usage == null ? Usage.ZERO : usage,
                System.nanoTime() - startNanos,
                upstreamNanos,
                firstByteNanos,
                queueNanos,
                droppedTools,
                droppedFields,
                cost));
    }

    /** What the last call that reached a provider cost at its target's price; nothing when none answered. */
    private Cost costOfLastCall() {
        UpstreamCall answered = last;
        Usage billable = answered == null ? null : answered.meter().billable();
        if (answered == null || billable == null) {
            return Cost.NONE;
        }
        return prices.get()
                .lookup(
                        Objects.requireNonNull(model, "a call reached a provider only after its route was named"),
                        answered.target().upstream().id(),
                        answered.target().model())
                .cost(billable, answered.meter().billableIsEstimate());
    }
}
