package dev.crossbar.gateway.routing;

import dev.crossbar.gateway.config.BuiltinToolPolicy;
import dev.crossbar.gateway.config.ModelConfig;
import dev.crossbar.gateway.upstream.Upstream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Resolves the model a client names (or an alias of it) to its targets, preferred first. */
public final class ModelRoutes {

    /** A model clients can ask for. */
    public record Route(String name, List<Target> targets, BuiltinToolPolicy builtinTools) {}

    private final Map<String, Route> byName = new HashMap<>();
    private final List<Route> routes = new ArrayList<>();

    public ModelRoutes(List<ModelConfig> models, Function<String, Upstream> upstreams) {
        for (ModelConfig m : models) {
            List<Target> targets = m.targets().stream()
                    .map(t -> new Target(upstreams.apply(t.provider()), t.model()))
                    .toList();
            Route route = new Route(m.name(), targets, m.builtinToolPolicy());
            routes.add(route);
            byName.put(m.name(), route);
            m.aliases().forEach(alias -> byName.put(alias, route));
        }
    }

    /** The route, or null when no model has that name. */
    public @Nullable Route resolve(@Nullable String model) {
        return model == null ? null : byName.get(model);
    }

    public List<Route> all() {
        return routes;
    }
}
