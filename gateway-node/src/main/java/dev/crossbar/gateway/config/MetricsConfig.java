package dev.crossbar.gateway.config;

import org.jspecify.annotations.Nullable;

/**
 * Bounds on the label values of the spend metrics ({@code crossbar_cost_usd_total} and
 * {@code crossbar_requests_unpriced_total}), whose client and team labels come from client keys that admins
 * create at runtime: the first {@code clientLabels} client keys (and {@code teamLabels} teams) a node sees get
 * their own series, later ones are counted together under {@code other}, so a node's series stay bounded.
 */
public record MetricsConfig(Integer clientLabels, Integer teamLabels) {

    public static final int DEFAULT_CLIENT_LABELS = 100;
    public static final int DEFAULT_TEAM_LABELS = 50;

    // Not compact, so that a field left out (null) can be passed in for its default.
    public MetricsConfig(@Nullable Integer clientLabels, @Nullable Integer teamLabels) {
        clientLabels = clientLabels == null ? DEFAULT_CLIENT_LABELS : clientLabels;
        Check.notNegative("clientLabels", clientLabels);
        teamLabels = teamLabels == null ? DEFAULT_TEAM_LABELS : teamLabels;
        Check.notNegative("teamLabels", teamLabels);
        this.clientLabels = clientLabels;
        this.teamLabels = teamLabels;
    }

    public static MetricsConfig defaults() {
        return new MetricsConfig(null, null);
    }
}
