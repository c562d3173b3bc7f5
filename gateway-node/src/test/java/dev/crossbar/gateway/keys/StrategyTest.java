package dev.crossbar.gateway.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.cluster.ledger.KeyLimits;
import dev.crossbar.cluster.ledger.KeyState;
import dev.crossbar.gateway.upstream.ProviderKey;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class StrategyTest {

    private static ProviderKey key(String id, long requests) {
        return new ProviderKey(id, "p", "secret-" + id, new KeyLimits(requests, 0, 0, 60_000), 1);
    }

    private static Map<String, KeyState> states(List<ProviderKey> keys) {
        Map<String, KeyState> states = new HashMap<>();
        keys.forEach(k -> states.put(k.id(), new KeyState(k.id(), k.limits(), 0)));
        return states;
    }

    /**
     * Picks {@code calls} times; each pick spends one request of the chosen key's room, and every
     * {@code refillEvery} picks each key gets one request back (a steady load below the pool's capacity).
     */
    private static Map<String, Integer> spend(
            Strategy strategy, List<ProviderKey> keys, int calls, int refillEvery, long stickiness) {
        Map<String, KeyState> states = states(keys);
        Map<String, Double> room = new HashMap<>();
        keys.forEach(k -> room.put(k.id(), (double) k.limits().requests()));
        Map<String, Integer> picks = new HashMap<>();
        for (int i = 1; i <= calls; i++) {
            ProviderKey chosen = strategy.order(
                            keys,
                            states,
                            0,
                            stickiness,
                            (k, s) -> k.limits().requests() == 0
                                    ? 1.0
                                    : room.get(k.id()) / k.limits().requests())
                    .get(0);
            picks.merge(chosen.id(), 1, Integer::sum);
            room.merge(chosen.id(), -1.0, Double::sum);
            if (i % refillEvery == 0) {
                keys.forEach(k -> room.merge(
                        k.id(), 1.0, (a, b) -> Math.min((double) k.limits().requests(), a + b)));
            }
        }
        return picks;
    }

    /** Regression: least-utilised gave one key of three the whole traffic of a node (30 of 30). */
    @Test
    void shouldGiveKeysWithEqualLimitsEqualSharesUnderLeastUtilised() {
        List<ProviderKey> keys = List.of(key("a", 20), key("b", 20), key("c", 20));
        Map<String, Integer> picks = spend(Strategy.LEAST_UTILISED, keys, 300, 2, 0);
        assertEquals(Map.of("a", 100, "b", 100, "c", 100), picks);
    }

    @Test
    void shouldGiveAKeyWithTwiceTheLimitTwiceTheShare() {
        List<ProviderKey> keys = List.of(key("small", 20), key("big", 40));
        Map<String, Integer> picks = spend(Strategy.LEAST_UTILISED, keys, 300, 1_000, 0);
        assertTrue(Math.abs(picks.get("big") - 2 * picks.get("small")) <= 2, picks.toString());
    }

    @Test
    void shouldTakeTurnsBetweenUnlimitedKeys() {
        List<ProviderKey> keys = List.of(key("a", 0), key("b", 0), key("c", 0));
        Map<String, Integer> picks = spend(Strategy.LEAST_UTILISED, keys, 30, 1, 0);
        assertEquals(Map.of("a", 10, "b", 10, "c", 10), picks);
    }

    @Test
    void shouldKeepAConversationOnItsKeyWhileItHasRoom() {
        List<ProviderKey> keys = List.of(key("a", 100), key("b", 100), key("c", 100));
        Map<String, Integer> picks = spend(Strategy.STICKY, keys, 50, 1_000, 4);
        assertEquals(Map.of("b", 50), picks, "4 mod 3 = 1: key b, every time");
    }

    @Test
    void shouldLeaveOutKeysThatAreCoolingDown() {
        List<ProviderKey> keys = List.of(key("a", 20), key("b", 20));
        Map<String, KeyState> states = states(keys);
        states.get("a")
                .recordOutcome(
                        dev.crossbar.cluster.ledger.Outcome.RATE_LIMITED,
                        "n",
                        5_000,
                        "429",
                        0,
                        dev.crossbar.cluster.ledger.LedgerSettings.DEFAULTS);
        assertEquals(List.of(keys.get(1)), Strategy.LEAST_UTILISED.order(keys, states, 10, 0, (k, s) -> 1.0));
    }

    /**
     * Regression: the snapshot is live, and a key deleted while a call was being routed was read again after
     * the usable keys were picked; its headroom was then asked of a null state (a NullPointerException on the
     * event loop).
     */
    @Test
    void shouldRankKeysByTheStatesItFoundUsableWhenOneIsDeletedMeanwhile() {
        List<ProviderKey> keys = List.of(key("a", 20), key("b", 20), key("c", 20));
        for (Strategy strategy : Strategy.values()) {
            Map<String, KeyState> live = new ConcurrentHashMap<>(states(keys));
            Map<String, KeyState> deletedAfterFirstRead = new AbstractMap<>() {
                @Override
                public KeyState get(Object keyId) {
                    return live.remove(keyId);
                }

                @Override
                public Set<Map.Entry<String, KeyState>> entrySet() {
                    return live.entrySet();
                }
            };
            List<ProviderKey> order = strategy.order(keys, deletedAfterFirstRead, 0, 1, (k, s) -> s.headroom(0));
            assertEquals(3, order.size(), strategy.name());
        }
    }
}
