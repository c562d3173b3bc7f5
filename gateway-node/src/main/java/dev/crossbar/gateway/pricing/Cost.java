package dev.crossbar.gateway.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * What one request cost: a known amount in US dollars, or unknown because its model target has no price.
 * An unpriced request is never counted as free: whoever sums costs must tell them apart.
 */
public sealed interface Cost {

    /** A request that reached no provider: nothing was spent. */
    Cost NONE = new Known(BigDecimal.ZERO, false);

    /** Decimals of the dollar amounts written to logs (nano-dollars: one token of the cheapest model is more). */
    int DISPLAY_SCALE = 9;

    /**
     * A cost in dollars.
     *
     * @param usd the exact amount, never rounded
     * @param estimated true when the provider reported no usage for the whole answer and the tokens were
     *     counted from what came back (docs/key-pool.md, token accounting)
     */
    record Known(BigDecimal usd, boolean estimated) implements Cost {

        /** The amount with {@link #DISPLAY_SCALE} decimals, rounded half up, e.g. {@code 0.000123450}. */
        public String display() {
            return usd.setScale(DISPLAY_SCALE, RoundingMode.HALF_UP).toPlainString();
        }
    }

    /** The provider (config id) and model that have no price in the config or the shipped table. */
    record Unpriced(String provider, String model) implements Cost {}
}
