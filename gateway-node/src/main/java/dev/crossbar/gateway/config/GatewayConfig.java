package dev.crossbar.gateway.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A node's whole configuration, as read from YAML. Cross-references are checked here. */
public record GatewayConfig(
        NodeConfig node,
        ClusterConfig cluster,
        AdminConfig admin,
        List<ClientKeyConfig> clientKeys,
        List<ProviderConfig> providers,
        List<ModelConfig> models,
        RoutingConfig routing) {

    public GatewayConfig {
        node = node == null ? NodeConfig.defaults() : node;
        cluster = cluster == null ? ClusterConfig.defaults() : cluster;
        admin = admin == null ? AdminConfig.disabled() : admin;
        clientKeys = clientKeys == null ? List.of() : List.copyOf(clientKeys);
        providers = providers == null ? List.of() : List.copyOf(providers);
        models = models == null ? List.of() : List.copyOf(models);
        routing = routing == null ? RoutingConfig.defaults() : routing;
        checkReferences(clientKeys, providers, models);
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

    public ProviderConfig provider(String id) {
        for (ProviderConfig p : providers) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        return null;
    }

    public GatewayConfig withNode(NodeConfig newNode) {
        return new GatewayConfig(newNode, cluster, admin, clientKeys, providers, models, routing);
    }

    public GatewayConfig withCluster(ClusterConfig newCluster) {
        return new GatewayConfig(node, newCluster, admin, clientKeys, providers, models, routing);
    }
}
