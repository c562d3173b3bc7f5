package dev.crossbar.gateway.config;

import java.util.List;

/**
 * A model name clients may ask for, and where it is served: targets in order, the first preferred and
 * the rest its fallbacks.
 */
public record ModelConfig(String name, List<String> aliases, List<TargetConfig> targets) {

    public ModelConfig {
        Check.required("name", name);
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        targets = targets == null ? List.of() : List.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("targets: model '" + name + "' needs at least one target");
        }
    }

    /** A provider and the model name it knows. */
    public record TargetConfig(String provider, String model) {
        public TargetConfig {
            Check.required("provider", provider);
            Check.required("model", model);
        }
    }
}
