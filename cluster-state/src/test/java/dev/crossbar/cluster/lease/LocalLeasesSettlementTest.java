package dev.crossbar.cluster.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.crossbar.cluster.ledger.InMemoryLedger;
import dev.crossbar.cluster.ledger.KeyCommand;
import dev.crossbar.cluster.ledger.KeyLimits;
import dev.crossbar.cluster.ledger.KeyState;
import dev.crossbar.cluster.ledger.LedgerSettings;
import dev.crossbar.cluster.ledger.Outcome;
import org.junit.jupiter.api.Test;

/** A call settles to what the provider charged, above or below its estimate, on the node and on the owner. */
class LocalLeasesSettlementTest {

    private static final long LIMIT = 1_000;

    private final long[] clock = {0};
    private final InMemoryLedger ledger = new InMemoryLedger(() -> clock[0], LedgerSettings.DEFAULTS);
    private final LocalLeases node = new LocalLeases(ledger, "node-a", () -> clock[0] * 1_000_000L, null);

    LocalLeasesSettlementTest() {
        ledger.execute("k", new KeyCommand.Ensure("k", new KeyLimits(0, LIMIT, 0, 60_000)));
    }

    private Permit acquire(long tokens) {
        Acquisition a = node.acquire("k", tokens).toCompletableFuture().join();
        return assertInstanceOf(Permit.class, a, () -> "denied: " + a);
    }

    private KeyState reported() {
        node.releaseAll().toCompletableFuture().join();
        return ledger.snapshot().get("k");
    }

    @Test
    void shouldPayAnAnswerDearerThanItsEstimateFromTheNodesSliceAtOnce() {
        Permit call = acquire(100); // the node's slice: 200, of which 100 is left
        node.arrived(call);
        // The provider charged 150 for a call estimated at 100: the 50 more come out of the unspent slice now,
        // so the node cannot spend them on another call before it next reports.
        node.release(call, true, 150, Outcome.SUCCESS, 1, -1, null);
        assertNull(node.tryAcquire("k", 100), "only 50 of the slice is left");
        Permit rest = node.tryAcquire("k", 50);
        assertNotNull(rest);
        node.release(rest, false, 50, Outcome.NEUTRAL, 1, -1, null);
        KeyState state = reported();
        assertEquals(200, state.tokensConsumed(), "every token charged is counted");
        assertEquals(LIMIT - 200, (long) state.freeTokens(), "and none of it is free again");
        assertEquals(0, state.leasedTokens());
    }

    @Test
    void shouldCarryWhatTheSliceCannotCoverAsADebtOnTheKey() {
        Permit call = acquire(100);
        node.arrived(call);
        node.release(call, true, 1_500, Outcome.SUCCESS, 1, -1, null);
        KeyState state = reported();
        assertEquals(1_500, state.tokensConsumed());
        assertEquals(LIMIT - 1_500, (long) state.freeTokens(), "the key owes what the provider charged above it");
        assertNull(node.tryAcquire("k", 1), "nothing is granted while the key is in debt");
        clock[0] += 60_000; // a whole window refills the debt and the limit
        assertNotNull(acquire(1));
    }

    @Test
    void shouldGiveBackWhatACheaperAnswerDidNotUse() {
        Permit call = acquire(400);
        node.arrived(call);
        node.release(call, true, 50, Outcome.SUCCESS, 1, -1, null);
        KeyState state = reported();
        assertEquals(50, state.tokensConsumed());
        assertEquals(LIMIT - 50, (long) state.freeTokens());
    }
}
