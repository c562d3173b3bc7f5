package dev.crossbar.cluster.ledger;

/**
 * The answer to a {@link LeaseRequest}: what the node now holds on top of its unspent lease.
 *
 * @param epoch        the lease to name in the next report
 * @param requests     newly granted requests
 * @param tokens       newly granted tokens
 * @param slots        concurrency slots the node now holds in total (0 = unlimited when the key has no limit)
 * @param ttlMillis    how long the lease may be spent, counted from when the request was sent
 * @param retryAfterMillis when nothing could be granted: the soonest time worth asking again, else 0
 * @param blocked      why nothing was granted ("cooling down", "disabled", "probing", "saturated"), or null
 * @param probe        true when this grant is the one probe request allowed after a cooldown
 * @param contended    true when some node was refused recently: give idle capacity back early
 */
public record LeaseGrant(
        long epoch,
        long requests,
        long tokens,
        int slots,
        long ttlMillis,
        long retryAfterMillis,
        String blocked,
        boolean probe,
        boolean contended) {

    public boolean granted() {
        return requests > 0;
    }
}
