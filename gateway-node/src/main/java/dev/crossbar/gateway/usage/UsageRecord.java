package dev.crossbar.gateway.usage;

import dev.crossbar.codecs.model.Usage;
import dev.crossbar.gateway.pricing.Cost;
import dev.crossbar.gateway.proxy.RequestRecord;
import java.math.BigDecimal;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One row of {@code usage_records}: what a finished request used and cost, as the database keeps it.
 *
 * @param costUsd the exact cost, or null when the target has no price ({@code priced} false)
 */
public record UsageRecord(
        Instant at,
        String requestId,
        String node,
        String clientKey,
        @Nullable String team,
        @Nullable String model,
        @Nullable String provider,
        @Nullable String keyId,
        String protocol,
        boolean stream,
        int status,
        String outcome,
        Usage usage,
        @Nullable BigDecimal costUsd,
        boolean costEstimated,
        boolean priced,
        int latencyMs) {

    /** The record of a request that finished at {@code at} on {@code node}. */
    public static UsageRecord of(RequestRecord r, String node, Instant at) {
        BigDecimal usd = null;
        boolean estimated = false;
        boolean priced = false;
        if (r.cost() instanceof Cost.Known known) {
            usd = known.usd();
            estimated = known.estimated();
            priced = true;
        }
        return new UsageRecord(
                at,
                r.requestId(),
                node,
                r.clientKey(),
                r.team(),
                r.model(),
                r.provider(),
                r.keyId(),
                r.clientProtocol(),
                r.stream(),
                r.status(),
                r.outcome(),
                r.usage(),
                usd,
                estimated,
                priced,
                (int) Math.min(Integer.MAX_VALUE, r.totalNanos() / 1_000_000));
    }
}
