package dev.crossbar.gateway.upstream;

import dev.crossbar.cluster.lease.LocalLeases;
import dev.crossbar.cluster.ledger.KeyState;
import dev.crossbar.cluster.ledger.Ledger;
import io.vertx.core.MultiMap;

/**
 * Learns a key's limits from the rate-limit headers its provider answers with ({@link RateLimitHeaders}), so a
 * key configured without limits gets them and every node spends by them. Thread-safe.
 */
public final class LimitLearner {

    private final LocalLeases leases;
    private final Ledger ledger;

    public LimitLearner(LocalLeases leases, Ledger ledger) {
        this.leases = leases;
        this.ledger = ledger;
    }

    public void learn(String keyId, MultiMap headers) {
        learn(keyId, RateLimitHeaders.read(headers));
    }

    /** Tells the ledger entry {@code entryId} (a key's, or a shared bucket's) what the provider said. */
    public void learn(String entryId, RateLimitHeaders.Seen seen) {
        if (seen.isEmpty()) {
            return;
        }
        // Compared with the limits in force, so a limit already learned is not sent again with every answer.
        KeyState inForce = ledger.snapshot().get(entryId);
        if (inForce != null && seen.worthTelling(inForce.requestLimit(), inForce.tokenLimit())) {
            leases.learn(
                    entryId, seen.requestLimit(), seen.requestsRemaining(), seen.tokenLimit(), seen.tokensRemaining());
        }
    }
}
