package dev.crossbar.gateway.config;

/**
 * A team of client keys: what they may spend together and their share of a saturated pool.
 *
 * @param budget the team's budget, or null for none
 * @param weight the team's share of a model's admission queue when keys are saturated, against other teams and
 *     client keys of no team (default 1)
 */
public record TeamConfig(BudgetConfig budget, Integer weight) {

    public TeamConfig {
        weight = weight == null ? 1 : weight;
        Weights.check("weight", weight);
    }
}
