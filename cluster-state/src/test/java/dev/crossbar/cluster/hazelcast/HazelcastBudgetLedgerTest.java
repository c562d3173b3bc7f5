package dev.crossbar.cluster.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import dev.crossbar.cluster.spend.Period;
import dev.crossbar.cluster.spend.SpendAnswer;
import dev.crossbar.cluster.spend.SpendCommand;
import dev.crossbar.cluster.spend.SpendStateCodec;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The budget ledger on two real members: concurrent reservations never pass a budget; forgeries change nothing. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HazelcastBudgetLedgerTest {

    private static final long CENT = 10_000_000L;
    private final TestMembers members = new TestMembers();
    private HazelcastInstance a;
    private HazelcastBudgetLedger first;
    private HazelcastBudgetLedger second;

    @BeforeAll
    void startMembers() {
        a = members.start();
        HazelcastInstance b = members.start();
        first = new HazelcastBudgetLedger(a);
        second = new HazelcastBudgetLedger(b);
    }

    @AfterAll
    void stopMembers() {
        first.close();
        second.close();
        members.close();
    }

    @Test
    void shouldNeverGrantPastTheBudgetWhenTwoMembersReserveAtOnce() {
        List<CompletableFuture<SpendAnswer>> answers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            HazelcastBudgetLedger node = i % 2 == 0 ? first : second;
            answers.add(
                    node.execute("team:race", new SpendCommand.Reserve(node.nodeId(), Period.DAY, 7 * CENT, 100 * CENT))
                            .toCompletableFuture());
        }
        long granted = answers.stream()
                .map(CompletableFuture::join)
                .filter(SpendAnswer::granted)
                .count();
        assertEquals(14, granted);
    }

    @Test
    void shouldKeepEveryMembersViewCurrentAndSettleExactly() throws Exception {
        SpendAnswer r = first.execute(
                        "client:view", new SpendCommand.Reserve(first.nodeId(), Period.MONTH, 5 * CENT, 100 * CENT))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        second.execute(
                        "client:view",
                        new SpendCommand.Settle(first.nodeId(), Period.MONTH, r.periodStart(), 5 * CENT, 3 * CENT))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline
                && (second.snapshot().get("client:view") == null
                        || second.snapshot().get("client:view").spentNanos() != 3 * CENT)) {
            Thread.onSpinWait();
        }
        assertNotNull(second.snapshot().get("client:view"));
        assertEquals(3 * CENT, second.snapshot().get("client:view").spentNanos());
        assertEquals(0, second.snapshot().get("client:view").reservedNanos());
    }

    @Test
    void shouldIgnoreAForgedSpendAndKeepTheLastAuthenticOne() throws Exception {
        SpendAnswer r = first.execute(
                        "team:forged", new SpendCommand.Reserve(first.nodeId(), Period.DAY, 50 * CENT, 100 * CENT))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        first.execute(
                        "team:forged",
                        new SpendCommand.Settle(first.nodeId(), Period.DAY, r.periodStart(), 50 * CENT, 90 * CENT))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        // At once, before any member's listener need have heard of the settle (the owner's own view lagged it by
        // that event, and a forged value in between found no authentic state: a flaky failure of this test in CI):
        // someone on the member port writes a state with nothing spent.
        a.getMap(SpendStateCodec.MAP).set("team:forged", new byte[] {(byte) 0xCB, 7, 1, 0});
        SpendAnswer after = second.execute(
                        "team:forged", new SpendCommand.Reserve(second.nodeId(), Period.DAY, 20 * CENT, 100 * CENT))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertFalse(after.granted());
        assertTrue(after.spentNanos() >= 90 * CENT);
    }

    /**
     * The owner's own write is the last authentic state at once, not when its listener hears of it: the processor
     * runs as the owner runs it, on an entry of its own (no map write, so no event ever comes), and a value forged
     * after the settle finds the settled spend, not nothing.
     */
    @Test
    void shouldKeepWhatTheOwnerWroteBeforeAnyListenerHearsOfIt() {
        Map.Entry<String, Object> entry = new AbstractMap.SimpleEntry<>("team:unheard", null);
        SpendAnswer reserved = Objects.requireNonNull(
                runAsOwner(entry, new SpendCommand.Reserve(first.nodeId(), Period.DAY, 50 * CENT, 100 * CENT)));
        runAsOwner(
                entry,
                new SpendCommand.Settle(first.nodeId(), Period.DAY, reserved.periodStart(), 50 * CENT, 90 * CENT));
        entry.setValue(new byte[] {(byte) 0xCB, 7, 1, 0});
        SpendAnswer after = Objects.requireNonNull(
                runAsOwner(entry, new SpendCommand.Reserve(first.nodeId(), Period.DAY, 20 * CENT, 100 * CENT)));
        assertFalse(after.granted());
        assertEquals(90 * CENT, after.spentNanos());
    }

    /** The processor's answer to {@code command} on {@code entry}, run on member a. */
    private @Nullable SpendAnswer runAsOwner(Map.Entry<String, Object> entry, SpendCommand command) {
        BudgetEntryProcessor processor = new BudgetEntryProcessor(command);
        processor.setHazelcastInstance(a);
        Object answer = processor.process(entry);
        return answer == null ? null : ((BudgetEntryProcessor.Answer) answer).answer;
    }

    @Test
    void shouldKeepTheSpendWhenSomeoneRemovesTheEntry() throws Exception {
        SpendAnswer r = first.execute(
                        "team:removed", new SpendCommand.Reserve(first.nodeId(), Period.DAY, 60 * CENT, 100 * CENT))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        first.execute(
                        "team:removed",
                        new SpendCommand.Settle(first.nodeId(), Period.DAY, r.periodStart(), 60 * CENT, 60 * CENT))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline
                && (first.snapshot().get("team:removed") == null
                        || second.snapshot().get("team:removed") == null
                        || first.snapshot().get("team:removed").spentNanos() != 60 * CENT
                        || second.snapshot().get("team:removed").spentNanos() != 60 * CENT)) {
            Thread.onSpinWait();
        }
        // Someone on the member port removes the entry, as if nothing had been spent.
        a.getMap(SpendStateCodec.MAP).remove("team:removed");
        SpendAnswer after = second.execute(
                        "team:removed", new SpendCommand.Reserve(second.nodeId(), Period.DAY, 50 * CENT, 100 * CENT))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertFalse(after.granted(), "the removed spend still counts");
        assertEquals(60 * CENT, after.spentNanos());
    }
}
