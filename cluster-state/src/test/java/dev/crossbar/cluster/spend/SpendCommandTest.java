package dev.crossbar.cluster.spend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The budget arithmetic on an injected clock: reservations, settlement, periods, restore, reclaim. */
class SpendCommandTest {

    private static final long DOLLAR = 1_000_000_000L;
    private final AtomicLong clock =
            new AtomicLong(Instant.parse("2026-12-05T23:59:58Z").toEpochMilli());
    private final InMemoryBudgetLedger ledger = new InMemoryBudgetLedger("n1", clock::get);

    private SpendAnswer run(SpendCommand c) {
        return ledger.execute("team:red", c).toCompletableFuture().join();
    }

    @Test
    void shouldRefuseAReservationThatWouldCrossTheBudget() {
        assertTrue(run(new SpendCommand.Reserve("n1", Period.DAY, 6 * DOLLAR, 10 * DOLLAR))
                .granted());
        assertFalse(run(new SpendCommand.Reserve("n2", Period.DAY, 5 * DOLLAR, 10 * DOLLAR))
                .granted());
        SpendAnswer four = run(new SpendCommand.Reserve("n2", Period.DAY, 4 * DOLLAR, 10 * DOLLAR));
        assertTrue(four.granted());
        assertEquals(10 * DOLLAR, four.reservedNanos());
    }

    @Test
    void shouldSettleToTheActualCostAndFreeTheRestOfTheReservation() {
        SpendAnswer r = run(new SpendCommand.Reserve("n1", Period.DAY, 6 * DOLLAR, 10 * DOLLAR));
        SpendAnswer s = run(new SpendCommand.Settle("n1", Period.DAY, r.periodStart(), 6 * DOLLAR, 2 * DOLLAR));
        assertEquals(2 * DOLLAR, s.spentNanos());
        assertEquals(0, s.reservedNanos());
        assertTrue(run(new SpendCommand.Reserve("n1", Period.DAY, 8 * DOLLAR, 10 * DOLLAR))
                .granted());
    }

    @Test
    void shouldRefuseEvenAFreeCallOnceTheBudgetIsSpent() {
        SpendAnswer r = run(new SpendCommand.Reserve("n1", Period.DAY, DOLLAR, DOLLAR));
        run(new SpendCommand.Settle("n1", Period.DAY, r.periodStart(), DOLLAR, 2 * DOLLAR));
        assertFalse(run(new SpendCommand.Reserve("n1", Period.DAY, 0, DOLLAR)).granted());
    }

    @Test
    void shouldStartAgainFromZeroAtTheUtcDayBoundary() {
        SpendAnswer r = run(new SpendCommand.Reserve("n1", Period.DAY, 10 * DOLLAR, 10 * DOLLAR));
        run(new SpendCommand.Settle("n1", Period.DAY, r.periodStart(), 10 * DOLLAR, 10 * DOLLAR));
        assertFalse(run(new SpendCommand.Reserve("n1", Period.DAY, DOLLAR, 10 * DOLLAR))
                .granted());
        assertEquals(Instant.parse("2026-12-06T00:00:00Z").toEpochMilli(), r.periodEnd());

        clock.set(Instant.parse("2026-12-06T00:00:00Z").toEpochMilli());
        SpendAnswer next = run(new SpendCommand.Reserve("n1", Period.DAY, DOLLAR, 10 * DOLLAR));
        assertTrue(next.granted());
        assertEquals(0, next.spentNanos());
        assertEquals(Instant.parse("2026-12-07T00:00:00Z").toEpochMilli(), next.periodEnd());
    }

    @Test
    void shouldChargeALateSettlementToItsOwnPeriodNotTheNextOne() {
        SpendAnswer old = run(new SpendCommand.Reserve("n1", Period.DAY, 3 * DOLLAR, 10 * DOLLAR));
        clock.set(Instant.parse("2026-12-06T00:00:01Z").toEpochMilli());
        SpendAnswer settled = run(new SpendCommand.Settle("n1", Period.DAY, old.periodStart(), 3 * DOLLAR, 3 * DOLLAR));
        assertEquals(0, settled.spentNanos());
        assertEquals(0, settled.reservedNanos());
    }

    @Test
    void shouldResetAMonthlyBudgetOnTheFirstOfTheMonth() {
        clock.set(Instant.parse("2026-12-31T23:00:00Z").toEpochMilli());
        SpendAnswer r = run(new SpendCommand.Reserve("n1", Period.MONTH, 5 * DOLLAR, 5 * DOLLAR));
        assertEquals(Instant.parse("2026-12-01T00:00:00Z").toEpochMilli(), r.periodStart());
        assertEquals(Instant.parse("2027-01-01T00:00:00Z").toEpochMilli(), r.periodEnd());
        run(new SpendCommand.Settle("n1", Period.MONTH, r.periodStart(), 5 * DOLLAR, 5 * DOLLAR));
        clock.set(Instant.parse("2027-01-01T00:00:00Z").toEpochMilli());
        assertTrue(run(new SpendCommand.Reserve("n1", Period.MONTH, 5 * DOLLAR, 5 * DOLLAR))
                .granted());
    }

    @Test
    void shouldRestoreOnlyWhenTheClusterHoldsNothingForThePeriod() {
        assertEquals(
                7 * DOLLAR,
                run(new SpendCommand.Restore(Period.DAY, 7 * DOLLAR)).spentNanos());
        assertEquals(
                7 * DOLLAR,
                run(new SpendCommand.Restore(Period.DAY, 9 * DOLLAR)).spentNanos());
        assertFalse(run(new SpendCommand.Reserve("n1", Period.DAY, 4 * DOLLAR, 10 * DOLLAR))
                .granted());
    }

    @Test
    void shouldDropWhatALeftNodeHeldReserved() {
        run(new SpendCommand.Reserve("gone", Period.DAY, 10 * DOLLAR, 10 * DOLLAR));
        assertFalse(run(new SpendCommand.Reserve("n1", Period.DAY, DOLLAR, 10 * DOLLAR))
                .granted());
        run(new SpendCommand.ReclaimNode("gone"));
        assertTrue(run(new SpendCommand.Reserve("n1", Period.DAY, DOLLAR, 10 * DOLLAR))
                .granted());
    }
}
