package dev.crossbar.cluster.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What every ledger must do, whatever carries it. Implementations supply the ledger. */
public abstract class LedgerContract {

    protected abstract Ledger ledger();

    private static LeaseRequest want(String node, long epoch, long requests) {
        return new LeaseRequest(node, epoch, 0, 0, 0, 0, requests, 100, 1, 0, 1, 0, 0, 0);
    }

    private Object run(String key, KeyCommand command) throws Exception {
        return ledger().execute(key, command).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldGrantNoMoreThanTheLimitToAllNodes() throws Exception {
        run("contract-a", new KeyCommand.Ensure("contract-a", new KeyLimits(10, 0, 0, 60_000)));
        long total = 0;
        for (int i = 0; i < 8; i++) {
            total += ledger().exchange("contract-a", want("n" + i, 0, 4))
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS)
                    .requests();
        }
        assertEquals(10, total);
    }

    @Test
    void shouldRefuseUnknownKeys() throws Exception {
        LeaseGrant grant = ledger().exchange("contract-missing", want("n", 0, 1))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertEquals("unknown key", grant.blocked());
    }

    @Test
    void shouldShowCooldownsInTheSnapshot() throws Exception {
        run("contract-b", new KeyCommand.Ensure("contract-b", new KeyLimits(10, 0, 0, 60_000)));
        run("contract-b", new KeyCommand.Report(Outcome.RATE_LIMITED, "n", 30_000, "429 from provider"));
        awaitSnapshot("contract-b", s -> s.blockedAt(ledger().now()));
        assertEquals("429 from provider", ledger().snapshot().get("contract-b").cooldownReason());
    }

    @Test
    void shouldDisableAndEnable() throws Exception {
        run("contract-c", new KeyCommand.Ensure("contract-c", new KeyLimits(0, 0, 0, 60_000)));
        assertEquals(true, run("contract-c", new KeyCommand.SetDisabled(true, "by admin")));
        awaitSnapshot("contract-c", KeyState::disabled);
        run("contract-c", new KeyCommand.SetDisabled(false, null));
        awaitSnapshot("contract-c", s -> !s.disabled());
    }

    @Test
    void shouldDeleteKeys() throws Exception {
        run("contract-d", new KeyCommand.Ensure("contract-d", new KeyLimits(0, 0, 0, 60_000)));
        assertEquals(true, run("contract-d", new KeyCommand.Delete()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ledger().snapshot().containsKey("contract-d") && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(!ledger().snapshot().containsKey("contract-d"));
    }

    @Test
    void shouldReclaimADepartedNodesLeases() throws Exception {
        run("contract-e", new KeyCommand.Ensure("contract-e", new KeyLimits(5, 0, 0, 600_000)));
        assertEquals(
                5,
                ledger().exchange("contract-e", want("gone", 0, 5))
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS)
                        .requests());
        ledger().executeOnAll(new KeyCommand.ReclaimNode("gone"))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        awaitSnapshot("contract-e", s -> !s.leases().containsKey("gone"));
    }

    protected void awaitSnapshot(String key, java.util.function.Predicate<KeyState> condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            KeyState s = ledger().snapshot().get(key);
            if (s != null && condition.test(s)) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("snapshot of " + key + " never met the condition (the key is "
                + (ledger().snapshot().containsKey(key) ? "there" : "not there") + ")");
    }
}
