package dev.crossbar.cluster.lease;

import dev.crossbar.cluster.ledger.LeaseGrant;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** What this node holds of one key, and what it owes the ledger in its next report. Guarded by itself. */
final class LocalLease {
    final String keyId;

    long epoch;
    long requestsLeft;
    long tokensLeft;
    int slots;
    int inFlight;
    long expiresAtNanos;
    boolean probe;
    boolean contended;
    long lastGrantRequests;
    long lastGrantTokens;

    /**
     * Bumped whenever the owner forgets this node's lease: calls admitted under an older generation were
     * counted as spent by the owner and must not be settled again.
     */
    long generation;

    long consumedRequests;
    /** Tokens charged by calls that finished since the last report. */
    long settledTokens;
    /** Estimate minus charge of calls that finished since the last report. */
    long refundedTokens;

    long successes;
    long failures;
    long latencyMillis;

    /**
     * A call found the key refused or its account empty, which takes it out of rotation for long, and the
     * ledger's snapshot may not show it yet: the lease is not spent until the snapshot does or this time
     * passes, so the next call cannot go to the same key meanwhile. (Rate limits and server errors cool a
     * key down briefly; a failover already skips the key within its own call.)
     */
    long heldUntilNanos;

    /** Acquisitions in the current and the previous lease period: the demand a grant is sized by. */
    long demandNow;

    long demandBefore;
    long tokenDemandNow;
    long tokenDemandBefore;
    int peakInFlight;

    @Nullable
    CompletableFuture<LeaseGrant> exchange;

    long deniedUntilNanos;

    @Nullable
    String deniedReason;
    /** The limit in force was none when this lease was asked for (a limit learned later voids it). */
    boolean grantedUnlimitedRequests;

    boolean grantedUnlimitedTokens;

    /** The refusal was for the key's health, not its capacity: the snapshot may lift it early. */
    boolean deniedForHealth;

    LocalLease(String keyId) {
        this.keyId = keyId;
    }

    boolean owesReport() {
        return consumedRequests != 0 || settledTokens != 0 || refundedTokens != 0 || successes != 0 || failures != 0;
    }

    boolean holdsCapacity() {
        return requestsLeft > 0 || tokensLeft > 0 || slots > inFlight;
    }
}
