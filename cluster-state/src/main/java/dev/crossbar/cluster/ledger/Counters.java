package dev.crossbar.cluster.ledger;

/** What the nodes reported having done with a key, for the admin view and metrics. Mutable; in {@link KeyState}. */
final class Counters {

    long successes;
    long failures;
    long rateLimited;
    long latencyMillisTotal;
    long requestsConsumed;
    long tokensConsumed;

    Counters() {}

    Counters(Counters other) {
        successes = other.successes;
        failures = other.failures;
        rateLimited = other.rateLimited;
        latencyMillisTotal = other.latencyMillisTotal;
        requestsConsumed = other.requestsConsumed;
        tokensConsumed = other.tokensConsumed;
    }

    void add(LeaseRequest q) {
        requestsConsumed += q.consumedRequests();
        tokensConsumed += q.consumedTokens();
        successes += q.successes();
        failures += q.failures();
        latencyMillisTotal += q.latencyMillis();
    }

    /** Each counter at the larger of the two sides (the same calls are never counted twice). */
    void mergeFrom(Counters other) {
        successes = Math.max(successes, other.successes);
        failures = Math.max(failures, other.failures);
        rateLimited = Math.max(rateLimited, other.rateLimited);
        latencyMillisTotal = Math.max(latencyMillisTotal, other.latencyMillisTotal);
        requestsConsumed = Math.max(requestsConsumed, other.requestsConsumed);
        tokensConsumed = Math.max(tokensConsumed, other.tokensConsumed);
    }
}
