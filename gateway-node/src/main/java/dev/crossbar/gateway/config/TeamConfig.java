package dev.crossbar.gateway.config;

import org.jspecify.annotations.Nullable;

/**
 * A team of client keys: what they may spend together and their share of a saturated pool.
 *
 * @param budget the team's budget, or null for none
 * @param weight the team's share of a model's admission queue when keys are saturated, against other teams and
 *     client keys of no team (default 1)
 */
public record TeamConfig(@Nullable BudgetConfig budget, Integer weight) {

    // Not compact, so that a field left out (null) can be passed in for its default.
    public TeamConfig(@Nullable BudgetConfig budget, @Nullable Integer weight) {
        weight = weight == null ? 1 : weight;
        Weights.check("weight", weight);
        this.budget = budget;
        this.weight = weight;
    }
}
