package dev.crossbar.gateway.config;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * What a model costs, in US dollars per million tokens of each kind and per request. {@code input} and
 * {@code output} are required (a free model says 0); a kind left out costs what it is part of: cache reads
 * and writes the input price, one-hour writes the (5-minute) write price, reasoning the output price.
 *
 * @param input uncached input
 * @param cacheRead input read from the provider's prompt cache
 * @param cacheWrite input written to the cache at the standard lifetime (Anthropic's 5 minutes, OpenAI's)
 * @param cacheWrite1h input written to Anthropic's one-hour cache
 * @param output generated tokens that are not reasoning
 * @param reasoning generated tokens spent reasoning
 * @param request a charge per request the provider answered, or null for none
 * @param longContext other rates for a request whose input is above a threshold, or null
 */
public record PriceConfig(
        BigDecimal input,
        @Nullable BigDecimal cacheRead,
        @Nullable BigDecimal cacheWrite,
        @Nullable BigDecimal cacheWrite1h,
        BigDecimal output,
        @Nullable BigDecimal reasoning,
        @Nullable BigDecimal request,
        @Nullable LongContextConfig longContext) {

    public PriceConfig {
        required("input", input);
        required("output", output);
        notNegative("cacheRead", cacheRead);
        notNegative("cacheWrite", cacheWrite);
        notNegative("cacheWrite1h", cacheWrite1h);
        notNegative("reasoning", reasoning);
        notNegative("request", request);
        if (longContext != null) {
            // Long prompts cost more, never less: a request must not get cheaper by growing.
            BigDecimal write = cacheWrite != null ? cacheWrite : input;
            atLeast("input", longContext.input(), input);
            atLeast("cacheRead", longContext.cacheRead(), cacheRead != null ? cacheRead : input);
            atLeast("cacheWrite", longContext.cacheWrite(), write);
            atLeast("cacheWrite1h", longContext.cacheWrite1h(), cacheWrite1h != null ? cacheWrite1h : write);
            atLeast("output", longContext.output(), output);
            atLeast("reasoning", longContext.reasoning(), reasoning != null ? reasoning : output);
        }
    }

    private static void atLeast(String field, @Nullable BigDecimal longRate, BigDecimal base) {
        if (longRate != null && longRate.compareTo(base) < 0) {
            throw new IllegalArgumentException("longContext." + field + " must be >= the base " + field + " ("
                    + base.toPlainString() + "), was " + longRate.toPlainString());
        }
    }

    /** Input and output only. */
    public static PriceConfig of(BigDecimal input, BigDecimal output) {
        return new PriceConfig(input, null, null, null, output, null, null, null);
    }

    static void required(String field, @Nullable BigDecimal value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required (US dollars per million tokens; 0 for free)");
        }
        notNegative(field, value);
    }

    static void notNegative(String field, @Nullable BigDecimal value) {
        if (value != null && value.signum() < 0) {
            throw new IllegalArgumentException(field + " must be >= 0, was " + value.toPlainString());
        }
    }

    /**
     * The rates of requests whose input tokens (cached or not) are more than {@code aboveInputTokens}, as
     * Gemini, Anthropic and OpenAI price long prompts: the whole request at the higher rates. A kind left out
     * costs its base rate.
     */
    public record LongContextConfig(
            Long aboveInputTokens,
            @Nullable BigDecimal input,
            @Nullable BigDecimal cacheRead,
            @Nullable BigDecimal cacheWrite,
            @Nullable BigDecimal cacheWrite1h,
            @Nullable BigDecimal output,
            @Nullable BigDecimal reasoning) {

        // Not compact, so that a field left out (null) can be passed in for its default.
        public LongContextConfig(
                @Nullable Long aboveInputTokens,
                @Nullable BigDecimal input,
                @Nullable BigDecimal cacheRead,
                @Nullable BigDecimal cacheWrite,
                @Nullable BigDecimal cacheWrite1h,
                @Nullable BigDecimal output,
                @Nullable BigDecimal reasoning) {
            if (aboveInputTokens == null || aboveInputTokens <= 0) {
                throw new IllegalArgumentException(
                        "aboveInputTokens must be a number of input tokens > 0, was " + aboveInputTokens);
            }
            notNegative("input", input);
            notNegative("cacheRead", cacheRead);
            notNegative("cacheWrite", cacheWrite);
            notNegative("cacheWrite1h", cacheWrite1h);
            notNegative("output", output);
            notNegative("reasoning", reasoning);
            this.aboveInputTokens = aboveInputTokens;
            this.input = input;
            this.cacheRead = cacheRead;
            this.cacheWrite = cacheWrite;
            this.cacheWrite1h = cacheWrite1h;
            this.output = output;
            this.reasoning = reasoning;
        }
    }
}
