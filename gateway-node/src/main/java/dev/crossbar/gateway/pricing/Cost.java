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

        private static final long NANOS_PER_DOLLAR = 1_000_000_000L;

        /** The amount with {@link #DISPLAY_SCALE} decimals, rounded half up, e.g. {@code 0.000123450}. */
        public String display() {
            return appendDisplay(new StringBuilder(24)).toString();
        }

        /** Appends {@link #display()} to {@code b} without the strings {@code toPlainString} builds. */
        public StringBuilder appendDisplay(StringBuilder b) {
            BigDecimal scaled = usd.setScale(DISPLAY_SCALE, RoundingMode.HALF_UP);
            if (scaled.precision() > 18) {
                return b.append(scaled.toPlainString());
            }
            long units = scaled.movePointRight(DISPLAY_SCALE).longValue();
            if (units < 0) {
                b.append('-');
                units = -units;
            }
            b.append(units / NANOS_PER_DOLLAR).append('.');
            long nanos = units % NANOS_PER_DOLLAR;
            for (long digit = NANOS_PER_DOLLAR / 10; digit > 1 && nanos < digit; digit /= 10) {
                b.append('0');
            }
            return b.append(nanos);
        }
    }

    /** The provider (config id) and model that have no price in the config or the shipped table. */
    record Unpriced(String provider, String model) implements Cost {}
}
