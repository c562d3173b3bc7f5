package dev.crossbar.gateway.config;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A model name clients may ask for, and where it is served: targets in order, the first preferred and
 * the rest its fallbacks.
 *
 * @param builtinTools what to do with provider-run tools (web search, code execution...) a request carries
 *     when the target cannot run them: {@code drop} them and say so (the default), or {@code refuse} the
 *     request; targets of the client's own protocol get them unchanged either way
 */
public record ModelConfig(String name, List<String> aliases, List<TargetConfig> targets, String builtinTools) {

    // Not compact, so that a field left out (null) can be passed in for its default.
    public ModelConfig(
            String name,
            @Nullable List<String> aliases,
            @Nullable List<TargetConfig> targets,
            @Nullable String builtinTools) {
        Check.required("name", name);
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        targets = targets == null ? List.of() : List.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("targets: model '" + name + "' needs at least one target");
        }
        builtinTools = builtinTools == null ? BuiltinToolPolicy.DROP.configName() : builtinTools;
        if (BuiltinToolPolicy.byName(builtinTools) == null) {
            throw new IllegalArgumentException(
                    "builtinTools must be drop or refuse, was '" + builtinTools + "' (model '" + name + "')");
        }
        this.name = name;
        this.aliases = aliases;
        this.targets = targets;
        this.builtinTools = builtinTools;
    }

    public BuiltinToolPolicy builtinToolPolicy() {
        return Objects.requireNonNull(BuiltinToolPolicy.byName(builtinTools), "checked in the constructor");
    }

    /**
     * A provider and the model name it knows.
     *
     * @param price what this target costs, overriding the config's {@code prices:} section and the shipped table, or null
     */
    public record TargetConfig(
            String provider, String model, @Nullable PriceConfig price) {
        public TargetConfig {
            Check.required("provider", provider);
            Check.required("model", model);
        }

        public TargetConfig(String provider, String model) {
            this(provider, model, null);
        }
    }
}
