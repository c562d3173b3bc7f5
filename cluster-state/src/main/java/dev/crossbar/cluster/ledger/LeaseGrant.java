package dev.crossbar.cluster.ledger;

import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

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
 * @param fresh        true when the owner did not know the reported lease (first grant, or the old one was
 *                     reclaimed as spent): the node must drop what it still held and count only this grant
 */
public record LeaseGrant(
        long epoch,
        long requests,
        long tokens,
        int slots,
        long ttlMillis,
        long retryAfterMillis,
        @Nullable String blocked,
        boolean probe,
        boolean contended,
        boolean fresh) {

    /** Refusals for the key's health rather than its capacity: they end when the key is well again. */
    public static final Set<String> HEALTH_REFUSALS = Set.of("cooling down", "probing", "disabled");

    public boolean granted() {
        return requests > 0;
    }

    /** Why this grant refuses; every grant with a positive {@link #retryAfterMillis} names it. */
    public String refusal() {
        return Objects.requireNonNull(blocked, "a grant that asks to retry later says why");
    }
}
