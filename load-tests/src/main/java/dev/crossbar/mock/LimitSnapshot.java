package dev.crossbar.mock;

/**
 * A key's bucket levels at one instant, for the rate-limit headers. A null limit means that
 * dimension is unlimited and gets no headers.
 *
 * @param nowMicros the clock at the snapshot, epoch microseconds
 */
record LimitSnapshot(
        Long requestLimit,
        long requestsRemaining,
        long requestsResetMicros,
        Long tokenLimit,
        long tokensRemaining,
        long tokensResetMicros,
        long nowMicros) {}
