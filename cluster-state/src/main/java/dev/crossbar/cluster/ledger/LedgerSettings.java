package dev.crossbar.cluster.ledger;

/**
 * Timing rules of the shared key pool, the same on every node.
 *
 * @param leaseMillis          how long a node may spend a lease before reporting back
 * @param reclaimGraceMillis   how long past its expiry an unreported lease is kept before it is
 *                             reclaimed as spent (a dead or partitioned node)
 * @param backoffBaseMillis    first cooldown after a provider failure; doubles per failure in a row
 * @param backoffMaxMillis     longest failure cooldown
 * @param rateLimitCooldownMillis cooldown after a 429 that names no retry delay
 * @param probeTimeoutMillis   how long the single probe after a cooldown may take before another node may probe
 * @param creditCooldownMillis how long a key whose account ran out of credit stays out of rotation before
 *                             one probe call asks again (topping up an account takes minutes, not seconds)
 * @param failuresToCoolDown   server errors within {@code failureWindowMillis} that cool a key down (1: every one)
 * @param failureWindowMillis  the window those server errors are counted in
 */
public record LedgerSettings(
        long leaseMillis,
        long reclaimGraceMillis,
        long backoffBaseMillis,
        long backoffMaxMillis,
        long rateLimitCooldownMillis,
        long probeTimeoutMillis,
        long creditCooldownMillis,
        int failuresToCoolDown,
        long failureWindowMillis) {

    public static final LedgerSettings DEFAULTS =
            new LedgerSettings(250, 2_000, 1_000, 60_000, 1_000, 30_000, 600_000, 3, 10_000);

    public LedgerSettings {
        positive("leaseMillis", leaseMillis);
        positive("reclaimGraceMillis", reclaimGraceMillis);
        positive("backoffBaseMillis", backoffBaseMillis);
        positive("backoffMaxMillis", backoffMaxMillis);
        positive("rateLimitCooldownMillis", rateLimitCooldownMillis);
        positive("probeTimeoutMillis", probeTimeoutMillis);
        positive("creditCooldownMillis", creditCooldownMillis);
        positive("failuresToCoolDown", failuresToCoolDown);
        positive("failureWindowMillis", failureWindowMillis);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
    }
}
