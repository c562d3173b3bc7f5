package dev.crossbar.gateway.keys;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Whose turn it is among flows (teams, or client keys of no team) that share a saturated pool, by weight:
 * start-time fair queueing. Each flow carries a virtual time that grows by {@code 1 / weight} each time it is
 * served; the next turn goes to the waiting flow with the smallest, so over any stretch in which flows keep
 * waiting, each is served in proportion to its weight. A flow that starts waiting joins at the virtual time of
 * the last turn, so an idle flow builds no credit. Plain arithmetic; not thread-safe.
 */
public final class FairTurns {

    private final Map<String, Double> tags = new HashMap<>();
    /** The waiting flows in the order they began waiting: equal times go to the one waiting longest. */
    private final Map<String, Integer> weights = new LinkedHashMap<>();

    private double now;

    /** {@code flow} has someone waiting, at {@code weight} (1 or more). */
    public void waiting(String flow, int weight) {
        if (!weights.containsKey(flow)) {
            weights.put(flow, Math.max(1, weight));
        }
        tags.merge(flow, now, Math::max);
    }

    /** {@code flow} has nobody waiting any more. */
    public void idle(String flow) {
        weights.remove(flow);
    }

    /** The waiting flow whose turn it is, or null when none waits. */
    public @Nullable String next() {
        String best = null;
        double bestTag = Double.MAX_VALUE;
        for (String flow : weights.keySet()) {
            double tag = Objects.requireNonNull(tags.get(flow), "a waiting flow has a tag");
            if (tag < bestTag) {
                best = flow;
                bestTag = tag;
            }
        }
        return best;
    }

    /** {@code flow} was served once. */
    public void served(String flow) {
        double tag = tags.getOrDefault(flow, now);
        now = Math.max(now, tag);
        tags.put(flow, tag + 1.0 / weights.getOrDefault(flow, 1));
    }

    /** The flows waiting now. */
    public java.util.Set<String> waitingFlows() {
        return weights.keySet();
    }

    /** The flow's weight while it waits, else 1. */
    public int weight(String flow) {
        return weights.getOrDefault(flow, 1);
    }
}
