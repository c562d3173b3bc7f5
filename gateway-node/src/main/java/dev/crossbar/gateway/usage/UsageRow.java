package dev.crossbar.gateway.usage;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One row of a usage report: the sums of the records in one period and group.
 *
 * @param period      the start of the period (ISO-8601, UTC), or null when the report is not per period
 * @param group       the group's value of each dimension it was split by (null values: records without one)
 * @param costUsd     the exact sum of the priced records' costs
 * @param unpriced    records whose target had no price (their cost is unknown, not in {@code costUsd})
 * @param estimated   records whose tokens were counted by the gateway, the provider reporting none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UsageRow(
        @Nullable String period,
        Map<String, @Nullable String> group,
        long requests,
        long inputTokens,
        long cacheReadTokens,
        long cacheWriteTokens,
        long cacheWrite1hTokens,
        long outputTokens,
        long reasoningTokens,
        BigDecimal costUsd,
        long unpriced,
        long estimated) {}
