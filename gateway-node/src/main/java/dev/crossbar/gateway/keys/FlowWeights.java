package dev.crossbar.gateway.keys;

import dev.crossbar.gateway.config.ClientKeyConfig;
import dev.crossbar.gateway.config.GatewayConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Who shares a saturated pool, and at what weight: a client key's calls wait as its team ({@code team:<name>},
 * at the team's weight) or, with no team, as itself ({@code client:<name>}, at its own weight). Names the
 * config does not weigh (client keys created at run time, teams not listed) weigh 1.
 */
public final class FlowWeights implements ToIntFunction<String> {

    private final Map<String, Integer> weights = new HashMap<>();

    public FlowWeights(GatewayConfig config) {
        for (ClientKeyConfig key : config.clientKeys()) {
            weights.put("client:" + key.name(), key.weight());
        }
        config.teams().forEach((name, team) -> weights.put("team:" + name, team.weight()));
    }

    /** The flow a client key's calls wait in. */
    public static String flow(String clientKey, @Nullable String team) {
        return team != null ? "team:" + team : "client:" + clientKey;
    }

    @Override
    public int applyAsInt(String flow) {
        return weights.getOrDefault(flow, 1);
    }
}
