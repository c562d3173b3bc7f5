package dev.crossbar.gateway.config;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * A spending limit in US dollars per UTC period, for a client key or a team.
 *
 * @param usd    dollars per period, 0 or more (0 refuses every priced call)
 * @param period {@code day} or {@code month} (the default), in UTC
 */
public record BudgetConfig(BigDecimal usd, String period) {

    public static final String DEFAULT_PERIOD = "month";

    // Not compact, so that a field left out (null) can be passed in for its default.
    public BudgetConfig(@Nullable BigDecimal usd, @Nullable String period) {
        if (usd == null) {
            throw new IllegalArgumentException("budget.usd is required (US dollars per period)");
        }
        if (usd.signum() < 0) {
            throw new IllegalArgumentException("budget.usd must be >= 0, was " + usd.toPlainString());
        }
        if (usd.stripTrailingZeros().scale() > 9) {
            throw new IllegalArgumentException(
                    "budget.usd has more than 9 decimals (a nano-dollar is the smallest amount), was "
                            + usd.toPlainString());
        }
        period = period == null ? DEFAULT_PERIOD : period;
        if (!period.equals("day") && !period.equals("month")) {
            throw new IllegalArgumentException("budget.period must be 'day' or 'month', was '" + period + "'");
        }
        this.usd = usd;
        this.period = period;
    }
}
