package dev.crossbar.mock;

/**
 * The tokens of one call, for its key's token bucket.
 *
 * @param input the prompt's tokens
 * @param max the max tokens the request asked for, or null
 * @param output the reply's tokens (already cut to {@code max})
 */
record TokenCost(long input, Long max, long output) {

    /** A reply's cost on a provider's bucket: the input that provider counts, every output token. */
    static TokenCost of(Reply reply, Long max, String provider) {
        return new TokenCost(reply.kinds().limitedInput(provider, reply.inputTokens()), max, reply.allOutputTokens());
    }

    /** What admission takes from the bucket (and needs room for). */
    long atAdmission(Billing billing) {
        long reserved = max != null ? max : billing == Billing.UPFRONT ? output : 0;
        return input + reserved;
    }

    /** The final charge of an answer that sent {@code share} (0 to 1) of its reply. */
    long produced(double share) {
        return input + (long) Math.ceil(output * Math.min(1, Math.max(0, share)));
    }
}
