package dev.crossbar.cluster.ledger;

/**
 * One node's report and wish for one key, sent in a single round trip.
 *
 * @param epoch            the lease this report is about (0 when the node holds none)
 * @param consumedRequests requests spent from the lease since the last report
 * @param consumedTokens   tokens the provider charged for calls that finished since the last report
 * @param returnedRequests unspent requests given back
 * @param returnedTokens   unspent tokens given back, plus estimate minus charge of the calls that finished
 *                         (negative when a call cost more than its estimate)
 * @param wantRequests     requests the node would like to hold for the next lease period (0: none)
 * @param wantTokens       tokens the node would like to hold
 * @param minTokens        the smallest token amount worth granting (the waiting request's estimate)
 * @param inFlight         calls the node has running on this key now
 * @param wantSlots        concurrency slots the node would like to hold (>= inFlight)
 * @param successes        calls that succeeded since the last report (statistics)
 * @param failures         calls that failed since the last report (statistics)
 * @param latencyMillis    summed latency of those calls (statistics)
 */
public record LeaseRequest(
        String nodeId,
        long epoch,
        long consumedRequests,
        long consumedTokens,
        long returnedRequests,
        long returnedTokens,
        long wantRequests,
        long wantTokens,
        long minTokens,
        int inFlight,
        int wantSlots,
        long successes,
        long failures,
        long latencyMillis) {

    /** True when the node gives everything back and wants nothing. */
    public boolean isRelease() {
        return wantRequests == 0 && inFlight == 0 && wantSlots == 0;
    }
}
