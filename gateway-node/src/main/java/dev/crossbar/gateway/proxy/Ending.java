package dev.crossbar.gateway.proxy;

import dev.crossbar.cluster.ledger.Outcome;

/**
 * How an exchange whose answer had begun came to an end, and so what it says about the key (DESIGN.md 4):
 * only the provider's own fault counts against it. The first ending stands; what the upstream does after
 * the exchange cut it (its reset, a broken stream) is not another ending.
 */
enum Ending {
    /** The answer ran to its end. */
    ANSWERED(Outcome.SUCCESS, 200, "success"),
    /** The provider broke off or sent an error after bytes had reached the client. */
    PROVIDER_FAULT(Outcome.FAILED, 200, "upstream_error"),
    /** The client closed its connection, or stopped reading until {@code node.idleTimeout} cut it off. */
    CLIENT_GONE(Outcome.NEUTRAL, 499, "cancelled"),
    /** The node's drain timeout ran out while the answer was still coming. */
    DRAINED(Outcome.NEUTRAL, 503, "drained");

    final Outcome keyOutcome;
    /** For the access log and metrics; 499 is nginx's word for a client that left. */
    final int status;

    final String outcome;

    Ending(Outcome keyOutcome, int status, String outcome) {
        this.keyOutcome = keyOutcome;
        this.status = status;
        this.outcome = outcome;
    }
}
