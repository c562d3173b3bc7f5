package dev.crossbar.gateway.config;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A node's whole configuration, as read from YAML. Cross-references are checked here.
 *
 * @param prices prices of providers' models that override the table shipped with Crossbar
 * @param metrics bounds on the metrics' client and team labels
 * @param database where usage records are kept, or null for none
 * @param teams teams by name: their budgets and fair-share weights (a team that client keys name need not be listed)
 */
public record GatewayConfig(
        NodeConfig node,
        ClusterConfig cluster,
        AdminConfig admin,
        List<ClientKeyConfig> clientKeys,
        List<ProviderConfig> providers,
        List<ModelConfig> models,
        RoutingConfig routing,
        List<ModelPriceConfig> prices,
        MetricsConfig metrics,
        @Nullable DatabaseConfig database,
        Map<String, TeamConfig> teams) {

    // Not compact, so that a field left out (null) can be passed in for its default.
    public GatewayConfig(
            @Nullable NodeConfig node,
            @Nullable ClusterConfig cluster,
            @Nullable AdminConfig admin,
            @Nullable List<ClientKeyConfig> clientKeys,
            @Nullable List<ProviderConfig> providers,
            @Nullable List<ModelConfig> models,
            @Nullable RoutingConfig routing,
            @Nullable List<ModelPriceConfig> prices,
            @Nullable MetricsConfig metrics,
            @Nullable DatabaseConfig database,
            @Nullable Map<String, TeamConfig> teams) {
        node = node == null ? NodeConfig.defaults() : node;
        cluster = cluster == null ? ClusterConfig.defaults() : cluster;
        admin = admin == null ? AdminConfig.disabled() : admin;
        clientKeys = clientKeys == null ? List.of() : List.copyOf(clientKeys);
        providers = providers == null ? List.of() : List.copyOf(providers);
        models = models == null ? List.of() : List.copyOf(models);
        routing = routing == null ? RoutingConfig.defaults() : routing;
        prices = prices == null ? List.of() : List.copyOf(prices);
        metrics = metrics == null ? MetricsConfig.defaults() : metrics;
        teams = teams == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(teams));
        for (String team : teams.keySet()) {
            if (!ClientKeyConfig.TEAM.matcher(team).matches()) {
                throw new ConfigException(
                        "teams." + team,
                        "a team name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
            }
            if (teams.get(team) == null) {
                throw new ConfigException("teams." + team, "give the team a budget or a weight, or leave it out");
            }
        }
        checkReferences(clientKeys, providers, models);
        checkPrices(providers, prices);
        this.node = node;
        this.cluster = cluster;
        this.admin = admin;
        this.clientKeys = clientKeys;
        this.providers = providers;
        this.models = models;
        this.routing = routing;
        this.prices = prices;
        this.metrics = metrics;
        this.database = database;
        this.teams = teams;
    }

    /** A node built without prices in its config (the shipped table still applies). */
    public GatewayConfig(
            NodeConfig node,
            ClusterConfig cluster,
            AdminConfig admin,
            List<ClientKeyConfig> clientKeys,
            List<ProviderConfig> providers,
            List<ModelConfig> models,
            RoutingConfig routing) {
        this(node, cluster, admin, clientKeys, providers, models, routing, null, null, null, null);
    }

    private static void checkPrices(List<ProviderConfig> providers, List<ModelPriceConfig> prices) {
        Set<String> providerIds = new HashSet<>();
        providers.forEach(p -> providerIds.add(p.id()));
        Set<String> priced = new HashSet<>();
        for (int i = 0; i < prices.size(); i++) {
            ModelPriceConfig price = prices.get(i);
            if (!providerIds.contains(price.provider())) {
                throw new ConfigException(
                        "prices[" + i + "].provider",
                        "no provider with id '" + price.provider() + "'; known: " + providerIds);
            }
            if (!priced.add(price.provider() + "\n" + price.model())) {
                throw new ConfigException(
                        "prices[" + i + "]",
                        "'" + price.model() + "' of provider '" + price.provider() + "' is priced twice");
            }
        }
    }

    private static void checkReferences(
            List<ClientKeyConfig> clientKeys, List<ProviderConfig> providers, List<ModelConfig> models) {
        if (clientKeys.isEmpty()) {
            throw new ConfigException("clientKeys", "at least one client key is needed; clients authenticate with it");
        }
        Set<String> providerIds = new HashSet<>();
        Set<String> keyIds = new HashSet<>();
        for (int p = 0; p < providers.size(); p++) {
            ProviderConfig provider = providers.get(p);
            if (!providerIds.add(provider.id())) {
                throw new ConfigException("providers[" + p + "].id", "duplicate provider id '" + provider.id() + "'");
            }
            for (int k = 0; k < provider.keys().size(); k++) {
                String id = provider.keys().get(k).id();
                if (!keyIds.add(id)) {
                    throw new ConfigException(
                            "providers[" + p + "].keys[" + k + "].id",
                            "duplicate key id '" + id + "' (key ids are unique across providers)");
                }
            }
        }
        Set<String> modelNames = new HashSet<>();
        for (int m = 0; m < models.size(); m++) {
            ModelConfig model = models.get(m);
            if (!modelNames.add(model.name())) {
                throw new ConfigException("models[" + m + "].name", "duplicate model '" + model.name() + "'");
            }
            for (int a = 0; a < model.aliases().size(); a++) {
                if (!modelNames.add(model.aliases().get(a))) {
                    throw new ConfigException(
                            "models[" + m + "].aliases[" + a + "]",
                            "'" + model.aliases().get(a) + "' already names another model");
                }
            }
            for (int t = 0; t < model.targets().size(); t++) {
                String provider = model.targets().get(t).provider();
                if (!providerIds.contains(provider)) {
                    throw new ConfigException(
                            "models[" + m + "].targets[" + t + "].provider",
                            "no provider with id '" + provider + "'; known: " + providerIds);
                }
            }
        }
        Set<String> clientNames = new HashSet<>();
        for (int c = 0; c < clientKeys.size(); c++) {
            if (!clientNames.add(clientKeys.get(c).name())) {
                throw new ConfigException(
                        "clientKeys[" + c + "].name",
                        "duplicate client key name '" + clientKeys.get(c).name() + "'");
            }
        }
    }

    /** The team's config, or the defaults (no budget, weight 1) for a team the config does not list. */
    public TeamConfig team(@Nullable String name) {
        TeamConfig team = name == null ? null : teams.get(name);
        return team == null ? new TeamConfig(null, null) : team;
    }

    public @Nullable ProviderConfig provider(String id) {
        for (ProviderConfig p : providers) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        return null;
    }

    public GatewayConfig withNode(NodeConfig newNode) {
        return new GatewayConfig(
                newNode, cluster, admin, clientKeys, providers, models, routing, prices, metrics, database, teams);
    }

    public GatewayConfig withDatabase(DatabaseConfig newDatabase) {
        return new GatewayConfig(
                node, cluster, admin, clientKeys, providers, models, routing, prices, metrics, newDatabase, teams);
    }

    public GatewayConfig withCluster(ClusterConfig newCluster) {
        return new GatewayConfig(
                node, newCluster, admin, clientKeys, providers, models, routing, prices, metrics, database, teams);
    }
}
