package dev.crossbar.gateway.pricing;

import dev.crossbar.codecs.model.Usage;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * US dollars per million tokens of each disjoint kind of a {@link Usage}, every one resolved (none missing).
 */
public record Rates(
        BigDecimal input,
        BigDecimal cacheRead,
        BigDecimal cacheWrite,
        BigDecimal cacheWrite1h,
        BigDecimal output,
        BigDecimal reasoning) {

    private static final int PER_MILLION = 6;

    public Rates {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(cacheRead, "cacheRead");
        Objects.requireNonNull(cacheWrite, "cacheWrite");
        Objects.requireNonNull(cacheWrite1h, "cacheWrite1h");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(reasoning, "reasoning");
    }

    /**
     * What the tokens cost, exactly: each kind's count times its rate, summed, over a million. No rounding
     * happens here (a BigDecimal product and a shift of the decimal point are exact).
     */
    BigDecimal cost(Usage u) {
        return times(u.uncachedInputTokens(), input)
                .add(times(u.cacheReadTokens(), cacheRead))
                .add(times(u.cacheWrite5mTokens(), cacheWrite))
                .add(times(u.cacheWrite1hTokens(), cacheWrite1h))
                .add(times(u.visibleOutputTokens(), output))
                .add(times(u.reasoningTokens(), reasoning))
                .movePointLeft(PER_MILLION);
    }

    private static BigDecimal times(long tokens, BigDecimal rate) {
        return tokens == 0 ? BigDecimal.ZERO : BigDecimal.valueOf(tokens).multiply(rate);
    }
}
