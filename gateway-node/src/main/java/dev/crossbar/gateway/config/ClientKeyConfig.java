package dev.crossbar.gateway.config;

import java.util.List;

/**
 * A gateway credential a client sends instead of a provider key.
 *
 * @param models models this key may use; "*" (the default) allows all
 */
public record ClientKeyConfig(String name, String key, List<String> models, LimitsConfig limits) {
    public ClientKeyConfig {
        Check.required("name", name);
        Check.required("key", key);
        if (key.length() < 8) {
            throw new IllegalArgumentException("key must be at least 8 characters");
        }
        models = models == null || models.isEmpty() ? List.of("*") : List.copyOf(models);
        limits = limits == null ? LimitsConfig.unlimited() : limits;
    }
}
