package dev.crossbar.gateway.config;

import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

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
        @Nullable String team,
        @Nullable BudgetConfig budget,
        Integer weight,
        @Nullable BodyFieldsConfig bodyFields) {

    /** Letters, digits, '.', '_' or '-', starting with a letter or digit: safe in metrics labels and URLs. */
    public static final Pattern TEAM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    // Not compact, so that a field left out (null) can be passed in for its default.
    public ClientKeyConfig(
            String name,
            String key,
            @Nullable List<String> models,
            @Nullable LimitsConfig limits,
            @Nullable String team,
            @Nullable BudgetConfig budget,
            @Nullable Integer weight,
            @Nullable BodyFieldsConfig bodyFields) {
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
        this.name = name;
        this.key = key;
        this.models = models;
        this.limits = limits;
        this.team = team;
        this.budget = budget;
        this.weight = weight;
        this.bodyFields = bodyFields;
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
