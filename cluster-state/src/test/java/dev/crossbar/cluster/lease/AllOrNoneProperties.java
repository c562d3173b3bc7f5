package dev.crossbar.cluster.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.cluster.ledger.InMemoryLedger;
import dev.crossbar.cluster.ledger.KeyCommand;
import dev.crossbar.cluster.ledger.KeyLimits;
import dev.crossbar.cluster.ledger.KeyState;
import dev.crossbar.cluster.ledger.LedgerSettings;
import dev.crossbar.cluster.ledger.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Calls that draw from several entries at once (a key's own and shared buckets'): whatever mix of refusals,
 * the entries never hand out more than their limits and, once every call is settled or given back, the
 * ledger's counts are whole (a refused draw leaked nothing, a cancelled permit cost nothing).
 */
class AllOrNoneProperties {

    private static final LedgerSettings SETTINGS =
            new LedgerSettings(250, 2_000, 1_000, 8_000, 1_000, 30_000, 60_000, 1, 10_000);
    private static final Map<String, KeyLimits> ENTRIES = Map.of(
            "k1", new KeyLimits(9, 400, 0, 60_000),
            "k2", new KeyLimits(7, 0, 0, 60_000),
            "k3", new KeyLimits(12, 300, 0, 60_000),
            "bucket:p/org#1m", new KeyLimits(14, 700, 0, 60_000),
            "bucket:p/org#1d", new KeyLimits(20, 0, 0, 86_400_000),
            "bucket:p/m/gpt#1m:in", new KeyLimits(0, 250, 0, 60_000));

    private final AtomicLong millis = new AtomicLong(1_000_000);
    /** New for each try: jqwik runs every try on one instance. */
    private InMemoryLedger ledger = new InMemoryLedger(millis::get, SETTINGS);

    private record Held(LocalLeases node, List<Draw> draws, List<Permit> permits) {}

    private void ensureAll() {
        ENTRIES.forEach((id, limits) -> ledger.execute(id, new KeyCommand.Ensure(id, limits)));
    }

    private LocalLeases node(String id) {
        return new LocalLeases(ledger, id, () -> TimeUnit.MILLISECONDS.toNanos(millis.get()), null);
    }

    private static List<Draw> drawsOf(Random random) {
        String key = "k" + (1 + random.nextInt(3));
        long tokens = 5L + random.nextInt(60);
        List<Draw> draws = new ArrayList<>();
        draws.add(new Draw(key, tokens));
        if (!key.equals("k3")) {
            draws.add(new Draw("bucket:p/org#1m", tokens));
            draws.add(new Draw("bucket:p/org#1d", tokens));
        }
        if (random.nextBoolean()) {
            draws.add(new Draw("bucket:p/m/gpt#1m:in", tokens / 2));
        }
        return draws;
    }

    @Property(tries = 200)
    void refusalsNeverLeakAndNoEntryIsOverspent(@ForAll long seed) {
        ledger = new InMemoryLedger(millis::get, SETTINGS);
        ensureAll();
        Random random = new Random(seed);
        List<LocalLeases> nodes = List.of(node("a"), node("b"));
        List<Held> held = new ArrayList<>();
        Map<String, Long> spentRequests = new HashMap<>();
        Map<String, Long> spentTokens = new HashMap<>();
        for (int step = 0; step < 120; step++) {
            int op = random.nextInt(10);
            LocalLeases node = nodes.get(random.nextInt(nodes.size()));
            if (op < 6) {
                List<Draw> draws = drawsOf(random);
                AllOrNone.Result result = random.nextBoolean()
                        ? AllOrNone.tryTake(node, draws)
                        : AllOrNone.take(node, draws).toCompletableFuture().join();
                if (result instanceof AllOrNone.Taken taken) {
                    assertEquals(draws.size(), taken.permits().size());
                    held.add(new Held(node, draws, taken.permits()));
                }
            } else if (!held.isEmpty()) {
                Held h = held.remove(random.nextInt(held.size()));
                if (op < 8) {
                    for (int i = 0; i < h.permits().size(); i++) {
                        Permit p = h.permits().get(i);
                        h.node().arrived(p);
                        h.node().release(p, true, p.estimatedTokens(), Outcome.NEUTRAL, 1, -1, null);
                        spentRequests.merge(p.keyId(), 1L, Long::sum);
                        spentTokens.merge(p.keyId(), p.estimatedTokens(), Long::sum);
                    }
                } else {
                    AllOrNone.cancel(h.node(), h.permits());
                }
            }
            assertWithinLimits(held, spentRequests);
        }
        for (Held h : held) {
            AllOrNone.cancel(h.node(), h.permits());
        }
        for (LocalLeases node : nodes) {
            node.releaseAll().toCompletableFuture().join();
        }
        ENTRIES.forEach((id, limits) -> {
            KeyState state = ledger.snapshot().get(id);
            assertEquals(0, state.leasedRequests(), id + ": nothing stays leased");
            assertEquals(0, state.leasedTokens(), id + ": no tokens stay leased");
            if (limits.requests() > 0) {
                assertEquals(
                        (double) (limits.requests() - spentRequests.getOrDefault(id, 0L)),
                        state.freeRequests(),
                        1e-6,
                        id + ": free = limit - what calls spent (no time passed)");
            }
            if (limits.tokens() > 0) {
                assertEquals(
                        (double) (limits.tokens() - spentTokens.getOrDefault(id, 0L)),
                        state.freeTokens(),
                        1e-6,
                        id + ": tokens");
            }
        });
    }

    private static void assertWithinLimits(List<Held> held, Map<String, Long> spentRequests) {
        Map<String, Long> inFlight = new HashMap<>();
        for (Held h : held) {
            for (Permit p : h.permits()) {
                inFlight.merge(p.keyId(), 1L, Long::sum);
            }
        }
        ENTRIES.forEach((id, limits) -> {
            if (limits.requests() > 0) {
                long used = inFlight.getOrDefault(id, 0L) + spentRequests.getOrDefault(id, 0L);
                assertTrue(used <= limits.requests(), id + " over its limit: " + used);
            }
        });
    }

    @Test
    void aSharedBucketWithoutRoomGivesBackTheKeysPermit() {
        ensureAll();
        LocalLeases a = node("a");
        List<Draw> draws = List.of(new Draw("k3", 10), new Draw("bucket:p/m/gpt#1m:in", 260));
        AllOrNone.Refused refused = assertInstanceOf(
                AllOrNone.Refused.class,
                AllOrNone.take(a, draws).toCompletableFuture().join());
        assertEquals(1, refused.index(), "the shared bucket refused");
        assertEquals(0, a.inFlight("k3"), "the key's permit went back");
        a.releaseAll().toCompletableFuture().join();
        assertEquals(12, ledger.snapshot().get("k3").freeRequests(), 1e-6, "and cost the key nothing");
    }
}
