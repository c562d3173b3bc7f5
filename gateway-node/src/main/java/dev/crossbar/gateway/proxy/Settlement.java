package dev.crossbar.gateway.proxy;

import dev.crossbar.cluster.lease.LocalLeases;
import dev.crossbar.cluster.lease.Permit;
import dev.crossbar.cluster.ledger.Outcome;
import dev.crossbar.codecs.model.Usage;

/**
 * What a call settles (DESIGN.md 4): each attempt's key permit with the tokens it cost (nothing for a call never
 * sent, since the provider never saw it), the client key's permit with what the last call that reached a
 * provider settled to, and one {@link RequestRecord} for metrics and the access log. Each permit once, the record
 * once. One per exchange, on its event loop.
 */
final class Settlement {

    private final LocalLeases leases;
    private final RequestObserver observer;
    private final String requestId;
    private final String protocol;
    private final String clientKey;
    private final long startNanos;

    private String model;
    private boolean stream;
    private Permit clientPermit;
    /** Tokens the client key is charged: what the last call that reached a provider settled to. */
    private long clientCharge;

    private UpstreamCall last;
    private long upstreamNanos;
    private long firstByteNanos = -1;

    Settlement(
            LocalLeases leases,
            RequestObserver observer,
            String requestId,
            String protocol,
            String clientKey,
            long startNanos) {
        this.leases = leases;
        this.observer = observer;
        this.requestId = requestId;
        this.protocol = protocol;
        this.clientKey = clientKey;
        this.startNanos = startNanos;
    }

    /** What the record says the request asked for, as far as intake read it. */
    void asked(String model, boolean stream) {
        this.model = model;
        this.stream = stream;
    }

    /** The client key's permit, or null when it has no limits of its own. */
    void clientAdmitted(Permit permit) {
        this.clientPermit = permit;
    }

    /** A permit that came when the exchange was over already: nothing was sent with it. */
    void unused(Permit permit) {
        leases.release(permit, false, 0, Outcome.NEUTRAL, 0, -1, null);
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
    void releaseKey(Outcome outcome, long charged, long retryAfterMillis, String reason) {
        UpstreamCall attempt = last;
        if (attempt == null || !attempt.settle()) {
            return;
        }
        long settled =
                !attempt.sent() ? 0 : charged >= 0 ? charged : attempt.permit().estimatedTokens();
        if (attempt.sent()) {
            clientCharge = settled;
        }
        long took = System.nanoTime() - attempt.startNanos();
        upstreamNanos += took;
        leases.release(
                attempt.permit(), attempt.arrived(), settled, outcome, took / 1_000_000, retryAfterMillis, reason);
    }

    /**
     * Gives the client key's permit back with what reached a provider (a request that never did gives its
     * estimate back) and tells the observer. Once, as the exchange ends.
     */
    void record(int status, String outcome, int attempts, long queueNanos, String droppedTools) {
        if (clientPermit != null) {
            leases.release(clientPermit, false, clientCharge, Outcome.NEUTRAL, 0, -1, null);
            clientPermit = null;
        }
        Usage usage = last == null ? null : last.meter().usage();
        observer.completed(new RequestRecord(
                requestId,
                protocol,
                clientKey,
                model,
                last == null ? null : last.target().upstream().id(),
                last == null ? null : last.key().id(),
                last == null ? null : last.key().fingerprint(),
                status,
                outcome,
                attempts,
                stream,
                usage == null ? 0 : usage.inputTokens(),
                usage == null ? 0 : usage.outputTokens(),
                System.nanoTime() - startNanos,
                upstreamNanos,
                firstByteNanos,
                queueNanos,
                droppedTools));
    }
}
