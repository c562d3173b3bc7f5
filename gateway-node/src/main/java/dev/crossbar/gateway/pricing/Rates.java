package dev.crossbar.gateway.pricing;

import dev.crossbar.codecs.model.Usage;
import java.math.BigDecimal;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

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
        // Kinds with no tokens add nothing: most answers have two of the six, so only those are multiplied.
        BigDecimal sum = plus(null, u.uncachedInputTokens(), input);
        sum = plus(sum, u.cacheReadTokens(), cacheRead);
        sum = plus(sum, u.cacheWrite5mTokens(), cacheWrite);
        sum = plus(sum, u.cacheWrite1hTokens(), cacheWrite1h);
        sum = plus(sum, u.visibleOutputTokens(), output);
        sum = plus(sum, u.reasoningTokens(), reasoning);
        return sum == null ? BigDecimal.ZERO.movePointLeft(PER_MILLION) : sum.movePointLeft(PER_MILLION);
    }

    /** {@code sum} (null: nothing yet) plus the tokens times their rate. */
    private static @Nullable BigDecimal plus(@Nullable BigDecimal sum, long tokens, BigDecimal rate) {
        if (tokens == 0) {
            return sum;
        }
        BigDecimal term = BigDecimal.valueOf(tokens).multiply(rate);
        if (sum != null) {
            return sum.add(term);
        }
        // As zero plus the term would be: the same value, at a scale of at least 0.
        return term.scale() < 0 ? term.setScale(0) : term;
    }
}
