package dev.crossbar.gateway.keys;

import dev.crossbar.cluster.ledger.KeyState;
import dev.crossbar.gateway.upstream.ProviderKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Orders a provider's keys for one request, best first. Keys that cannot be used now are left out. */
public enum Strategy {
    /**
     * Most headroom first, as this node sees it (what is free in the ledger plus what this node holds
     * unspent), so every call this node makes lowers its key's place at once and the next call goes to the
     * key with the most room: keys with equal limits take turns, a bigger limit takes more. Ties (unlimited
     * keys, a pool at rest) take turns too.
     */
    LEAST_UTILISED,
    /** Random, in proportion to weight times headroom. */
    WEIGHTED,
    /** Each request starts one key further along. */
    ROUND_ROBIN,
    /** The conversation's own key first while it has headroom (prompt caches keep hitting), then least utilised. */
    STICKY;

    /** A key's headroom as this node sees it (1 idle, 0 exhausted). */
    @FunctionalInterface
    public interface Headroom {
        double of(ProviderKey key, KeyState state);
    }

    private static final AtomicInteger TURN = new AtomicInteger();

    /**
     * True when the order itself is the point (turns, weights, a conversation's key): the first key is
     * waited for even if that costs a round trip. Least-utilised serves a call from another key's lease when
     * the first has no room at the moment.
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
     * @param headroom   each key's headroom as this node sees it
     */
    public List<ProviderKey> order(
            List<ProviderKey> keys, Map<String, KeyState> states, long nowMillis, long stickiness, Headroom headroom) {
        List<ProviderKey> usable = new ArrayList<>(keys.size());
        // The states as read here, beside their keys: the snapshot is live, and a key deleted meanwhile must not
        // be read again as null.
        List<KeyState> usableStates = new ArrayList<>(keys.size());
        for (ProviderKey k : keys) {
            KeyState s = states.get(k.id());
            if (s != null && !s.blockedAt(nowMillis)) {
                usable.add(k);
                usableStates.add(s);
            }
        }
        if (usable.size() < 2) {
            return usable;
        }
        switch (this) {
            case ROUND_ROBIN -> rotate(usable, Math.floorMod(TURN.getAndIncrement(), usable.size()));
            case WEIGHTED -> weightedShuffle(usable, usableStates, headroom);
            case STICKY -> {
                ProviderKey home = keys.get((int) Math.floorMod(stickiness, (long) keys.size()));
                int homeAt = usable.indexOf(home);
                KeyState homeState = homeAt < 0 ? null : usableStates.get(homeAt);
                byHeadroom(usable, usableStates, headroom);
                if (homeState != null) {
                    // Home first while it has room, else last: still usable, after the others.
                    usable.remove(home);
                    usable.add(headroom.of(home, homeState) > 0 ? 0 : usable.size(), home);
                }
            }
            default -> byHeadroom(usable, usableStates, headroom);
        }
        return usable;
    }

    /** Most headroom first; equal headroom in turns, starting one key further along with each request. */
    private static void byHeadroom(List<ProviderKey> keys, List<KeyState> states, Headroom headroom) {
        Map<ProviderKey, Double> room = new HashMap<>(keys.size() * 2);
        for (int i = 0; i < keys.size(); i++) {
            room.put(keys.get(i), headroom.of(keys.get(i), states.get(i)));
        }
        rotate(keys, Math.floorMod(TURN.getAndIncrement(), keys.size()));
        // A stable sort keeps the rotated order among equals.
        keys.sort(Comparator.comparingDouble((ProviderKey k) -> -Objects.requireNonNull(room.get(k))));
    }

    private static void rotate(List<ProviderKey> keys, int by) {
        Collections.rotate(keys, -by);
    }

    private static void weightedShuffle(List<ProviderKey> keys, List<KeyState> states, Headroom headroom) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Map<ProviderKey, Double> draw = new HashMap<>(keys.size() * 2);
        for (int i = 0; i < keys.size(); i++) {
            ProviderKey k = keys.get(i);
            // Efraimidis-Spirakis: sort by u^(1/w), which draws without replacement in proportion to w.
            double w = k.weight() * Math.max(0.01, headroom.of(k, states.get(i)));
            draw.put(k, Math.pow(random.nextDouble(), 1.0 / w));
        }
        keys.sort(Comparator.comparingDouble((ProviderKey k) -> -Objects.requireNonNull(draw.get(k))));
    }
}
