package dev.crossbar.gateway.keys;

import dev.crossbar.cluster.ledger.KeyState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Orders a provider's keys for one request, best first. Keys that cannot be used now are left out. */
public enum Strategy {
    /** Most headroom in its tightest limit first; ties keep configuration order. */
    LEAST_UTILISED,
    /** Random, in proportion to weight times headroom. */
    WEIGHTED,
    /** Each request starts one key further along. */
    ROUND_ROBIN,
    /** The conversation's own key first while it has headroom (prompt caches keep hitting), then least utilised. */
    STICKY;

    private static final AtomicInteger TURN = new AtomicInteger();

    /**
     * True when the order itself is the point (turns, weights, a conversation's key): the first key is
     * asked even if that costs a round trip. Least-utilised takes any key with local room first.
     */
    public boolean firstChoiceMatters() {
        return this != LEAST_UTILISED;
    }

    public static Strategy byName(String name) {
        return switch (name) {
            case "weighted" -> WEIGHTED;
            case "round-robin" -> ROUND_ROBIN;
            case "sticky" -> STICKY;
            default -> LEAST_UTILISED;
        };
    }

    /**
     * The usable keys in the order this strategy tries them.
     *
     * @param stickiness a hash of the conversation (or the client's session header); used by STICKY only
     */
    public List<ProviderKey> order(
            List<ProviderKey> keys, Map<String, KeyState> states, long nowMillis, long stickiness) {
        List<ProviderKey> usable = new ArrayList<>(keys.size());
        for (ProviderKey k : keys) {
            KeyState s = states.get(k.id());
            if (s != null && !s.blockedAt(nowMillis)) {
                usable.add(k);
            }
        }
        if (usable.size() < 2) {
            return usable;
        }
        switch (this) {
            case ROUND_ROBIN -> rotate(usable, Math.floorMod(TURN.getAndIncrement(), usable.size()));
            case WEIGHTED -> weightedShuffle(usable, states, nowMillis);
            case STICKY -> {
                ProviderKey home = keys.get((int) Math.floorMod(stickiness, (long) keys.size()));
                byHeadroom(usable, states, nowMillis);
                KeyState homeState = states.get(home.id());
                if (usable.remove(home) && homeState.headroom(nowMillis) > 0) {
                    usable.add(0, home);
                } else if (homeState != null && !homeState.blockedAt(nowMillis)) {
                    usable.add(home);
                }
            }
            default -> byHeadroom(usable, states, nowMillis);
        }
        return usable;
    }

    private static void byHeadroom(List<ProviderKey> keys, Map<String, KeyState> states, long now) {
        keys.sort(Comparator.comparingDouble(
                (ProviderKey k) -> -states.get(k.id()).headroom(now)));
    }

    private static void rotate(List<ProviderKey> keys, int by) {
        Collections.rotate(keys, -by);
    }

    private static void weightedShuffle(List<ProviderKey> keys, Map<String, KeyState> states, long now) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        // Efraimidis-Spirakis: sort by u^(1/w), which draws without replacement in proportion to w.
        keys.sort(Comparator.comparingDouble((ProviderKey k) -> {
            double w = k.weight() * Math.max(0.01, states.get(k.id()).headroom(now));
            return -Math.pow(random.nextDouble(), 1.0 / w);
        }));
    }
}
