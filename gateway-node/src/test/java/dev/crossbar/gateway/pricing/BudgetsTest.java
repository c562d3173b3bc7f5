package dev.crossbar.gateway.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.crossbar.cluster.records.BudgetRecord;
import dev.crossbar.cluster.records.InMemoryRecords;
import dev.crossbar.cluster.records.RecordCodec;
import dev.crossbar.cluster.records.SharedRecords;
import dev.crossbar.cluster.seal.ClusterKeyring;
import dev.crossbar.cluster.seal.Rejections;
import dev.crossbar.cluster.spend.InMemoryBudgetLedger;
import dev.crossbar.gateway.config.BudgetConfig;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Budgets on the in-memory ledger and a fake clock: reservation, settlement, reset at the boundary, restore. */
class BudgetsTest {

    private final AtomicLong clock =
            new AtomicLong(Instant.parse("2026-12-05T23:59:00Z").toEpochMilli());
    private final InMemoryBudgetLedger ledger = new InMemoryBudgetLedger("n1", clock::get);
    private final SharedRecords<BudgetRecord> records = new SharedRecords<>(
            new InMemoryRecords("crossbar.budgets"),
            new RecordCodec<>(BudgetRecord.FORMAT, ClusterKeyring.random()),
            new Rejections());
    private final Budgets budgets = new Budgets(records, ledger);

    private Budgets.Reservation reserve(String client, String team, String usd) {
        return budgets.reserve(client, team, new BigDecimal(usd))
                .toCompletableFuture()
                .join();
    }

    private void set(String subject, String usd, String period) {
        budgets.put(subject, new BudgetConfig(new BigDecimal(usd), period))
                .toCompletableFuture()
                .join();
    }

    @Test
    void shouldReserveOnTheClientKeyAndItsTeamAndSettleToTheActualCost() {
        set(BudgetRecord.client("app"), "1", "day");
        set(BudgetRecord.team("red"), "10", "month");
        Budgets.Held held = assertInstanceOf(Budgets.Granted.class, reserve("app", "red", "0.4"))
                .held();
        assertEquals(2, held.holds().size());
        assertEquals(0, new BigDecimal("0.6").compareTo(budgets.clientKey("app").remaining()));

        budgets.settle(held, new Cost.Known(new BigDecimal("0.25"), false));
        assertEquals(
                0, new BigDecimal("0.25").compareTo(budgets.clientKey("app").spent()));
        assertEquals(
                0, new BigDecimal("0.75").compareTo(budgets.clientKey("app").remaining()));
        assertEquals(0, new BigDecimal("9.75").compareTo(budgets.team("red").remaining()));
    }

    @Test
    void shouldRefuseNamingTheBudgetThatWouldBeCrossedAndGiveTheOtherBack() {
        set(BudgetRecord.client("app"), "5", "day");
        set(BudgetRecord.team("red"), "1", "day");
        Budgets.Over over = assertInstanceOf(Budgets.Over.class, reserve("app", "red", "2"));
        assertEquals("team", over.kind());
        assertEquals("red", over.name());
        assertEquals(Instant.parse("2026-12-06T00:00:00Z"), over.resetsAt());
        assertEquals(0, budgets.clientKey("app").reserved().signum(), "the client key's reservation was given back");
    }

    @Test
    void shouldStartADailyBudgetAfreshAtMidnightUtc() {
        set(BudgetRecord.client("app"), "1", "day");
        Budgets.Held held = assertInstanceOf(Budgets.Granted.class, reserve("app", null, "1"))
                .held();
        budgets.settle(held, new Cost.Known(BigDecimal.ONE, false));
        assertInstanceOf(Budgets.Over.class, reserve("app", null, "0.01"));

        clock.set(Instant.parse("2026-12-06T00:00:00Z").toEpochMilli());
        assertEquals(0, BigDecimal.ONE.compareTo(budgets.clientKey("app").remaining()));
        assertInstanceOf(Budgets.Granted.class, reserve("app", null, "0.5"));
    }

    @Test
    void shouldMeasureAProviderThatChargedMoreThanTheReservation() {
        set(BudgetRecord.client("app"), "1", "day");
        Budgets.Held held = assertInstanceOf(Budgets.Granted.class, reserve("app", null, "0.1"))
                .held();
        budgets.settle(held, new Cost.Known(new BigDecimal("0.13"), false));
        assertEquals(1, budgets.overruns().calls());
        assertEquals(0, new BigDecimal("0.03").compareTo(budgets.overruns().usd()));
    }

    @Test
    void shouldCountAnOverrunAgainstEachBudgetTheCallHeld() {
        set(BudgetRecord.client("app"), "1", "day");
        set(BudgetRecord.team("red"), "10", "day");
        set(BudgetRecord.client("other"), "1", "day");
        Budgets.Held held = assertInstanceOf(Budgets.Granted.class, reserve("app", "red", "0.1"))
                .held();
        budgets.settle(held, new Cost.Known(new BigDecimal("0.125"), false));
        Budgets.Held cheap = assertInstanceOf(Budgets.Granted.class, reserve("other", null, "0.1"))
                .held();
        budgets.settle(cheap, new Cost.Known(new BigDecimal("0.05"), false));

        for (String subject : new String[] {BudgetRecord.client("app"), BudgetRecord.team("red")}) {
            assertEquals(1, budgets.overruns(subject).calls(), subject);
            assertEquals(
                    0,
                    new BigDecimal("0.025").compareTo(budgets.overruns(subject).usd()),
                    subject);
        }
        assertEquals(0, budgets.overruns(BudgetRecord.client("other")).calls());
        assertEquals(java.util.Set.of("client:app", "team:red"), budgets.overrunSubjects());
        assertEquals(1, budgets.overruns().calls(), "one call over two budgets is one overrun in all");
    }

    @Test
    void shouldRestoreThePeriodsSpendOnceWhenTheClusterHoldsNone() {
        set(BudgetRecord.client("app"), "10", "day");
        set(BudgetRecord.team("red"), "100", "month");
        AtomicReference<Instant> dayAsked = new AtomicReference<>();
        AtomicReference<Instant> monthAsked = new AtomicReference<>();
        budgets.restore(from -> {
            (from.equals(Instant.parse("2026-12-05T00:00:00Z")) ? dayAsked : monthAsked).set(from);
            return CompletableFuture.completedFuture(
                    new SpendHistory.Spent(Map.of("app", new BigDecimal("4")), Map.of("red", new BigDecimal("60"))));
        });
        assertEquals(Instant.parse("2026-12-01T00:00:00Z"), monthAsked.get());
        assertEquals(0, new BigDecimal("4").compareTo(budgets.clientKey("app").spent()));
        assertEquals(0, new BigDecimal("60").compareTo(budgets.team("red").spent()));

        // A second node starting later finds the period's spend in the cluster and asks nothing.
        budgets.restore(from -> {
            throw new AssertionError("asked the history although the cluster holds the period's spend");
        });
    }

    @Test
    void shouldForgetAClearedBudget() {
        set(BudgetRecord.client("app"), "1", "day");
        budgets.clear(BudgetRecord.client("app")).toCompletableFuture().join();
        assertNull(budgets.clientKey("app"));
        assertInstanceOf(Budgets.Granted.class, reserve("app", null, "100"));
    }
}
