package dev.crossbar.gateway.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A gateway credential a client sends instead of a provider key.
 *
 * @param models models this key may use; "*" (the default) allows all
 * @param team   the team the key belongs to (its spend and metrics are counted under it too), or null
 * @param budget the key's own budget in dollars, or null for none
 * @param weight the key's share of a saturated model's admission queue when it has no team (default 1)
 * @param bodyFields narrows what every provider gets of this key's bodies forwarded unchanged, or null
 */
public record ClientKeyConfig(
        String name,
        String key,
        List<String> models,
        LimitsConfig limits,
        String team,
        BudgetConfig budget,
        Integer weight,
        BodyFieldsConfig bodyFields) {

    /** Letters, digits, '.', '_' or '-', starting with a letter or digit: safe in metrics labels and URLs. */
    public static final Pattern TEAM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public ClientKeyConfig {
        if (team != null && !TEAM.matcher(team).matches()) {
            throw new IllegalArgumentException("team must be 1 to 64 letters, digits, '.', '_' or '-', starting with a "
                    + "letter or digit, was '" + team + "'");
        }
        Check.required("name", name);
        Check.required("key", key);
        if (key.length() < 8) {
            throw new IllegalArgumentException("key must be at least 8 characters");
        }
        models = models == null || models.isEmpty() ? List.of("*") : List.copyOf(models);
        limits = limits == null ? LimitsConfig.unlimited() : limits;
        weight = weight == null ? 1 : weight;
        Weights.check("weight", weight);
    }

    /** A key of a team, with no budget of its own. */
    public ClientKeyConfig(String name, String key, List<String> models, LimitsConfig limits, String team) {
        this(name, key, models, limits, team, null, null, null);
    }

    /** A key of no team. */
    public ClientKeyConfig(String name, String key, List<String> models, LimitsConfig limits) {
        this(name, key, models, limits, null, null, null, null);
    }
}
