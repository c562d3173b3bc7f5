package dev.crossbar.cluster.ledger;

/**
 * What a bucket counts. A lease hands a node an amount of each measure; every bucket of that measure must
 * have it free. More measures (input and output tokens apart, a budget in micro-dollars) are new constants
 * here, a lease amount each, and a new format version of {@link KeyStateFormat}.
 */
public enum Measure {
    REQUESTS,
    TOKENS;

    /** What one call of {@code minTokens} estimated tokens costs in this measure. */
    long perCall(long minTokens) {
        return this == REQUESTS ? 1 : Math.max(1, minTokens);
    }
}
