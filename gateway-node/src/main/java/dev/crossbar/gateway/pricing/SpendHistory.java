package dev.crossbar.gateway.pricing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** What was spent since a moment, as the usage records remember it: restores budgets when the cluster starts from nothing. */
public interface SpendHistory {

    /** Dollars spent since {@code from}, by client key name and by team name. */
    CompletionStage<Spent> since(Instant from);

    record Spent(Map<String, BigDecimal> byClientKey, Map<String, BigDecimal> byTeam) {}

    SpendHistory NONE = from -> java.util.concurrent.CompletableFuture.completedFuture(new Spent(Map.of(), Map.of()));
}
