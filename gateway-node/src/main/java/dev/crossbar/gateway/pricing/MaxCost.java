package dev.crossbar.gateway.pricing;

import dev.crossbar.codecs.model.Usage;
import java.math.BigDecimal;

/**
 * The most a call can cost at a price before anyone knows how the provider will count it: every input token at
 * the dearest input rate (uncached, or written to either cache) and every output token at the dearer of the
 * output and reasoning rates, plus the per-request charge.
 */
public final class MaxCost {

    private MaxCost() {}

    public static BigDecimal of(Price price, long inputTokens, long outputTokens) {
        long in = Math.max(0, inputTokens);
        long out = Math.max(0, outputTokens);
        BigDecimal max = BigDecimal.ZERO;
        for (Usage u : new Usage[] {
            new Usage(in, out, 0, 0, 0, 0),
            new Usage(in, out, 0, in, 0, 0),
            new Usage(in, out, 0, in, in, 0),
            new Usage(in, out, 0, 0, 0, out),
            new Usage(in, out, 0, in, in, out),
            new Usage(in, out, 0, in, 0, out)
        }) {
            max = max.max(price.cost(u));
        }
        return max;
    }
}
