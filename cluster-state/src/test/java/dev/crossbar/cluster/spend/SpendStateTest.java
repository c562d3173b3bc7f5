package dev.crossbar.cluster.spend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two sides of a split brain made one: never the lower spend, never an ended period over the current one. */
class SpendStateTest {

    private static final long DEC_1 = 1_764_547_200_000L; // 2025-12-01T00:00:00Z
    private static final long DEC_2 = DEC_1 + 86_400_000L;

    @Test
    void shouldKeepTheLargerSpendAndEachNodesLargerReservationInTheSamePeriod() {
        SpendState big = new SpendState("team:red", Period.DAY, DEC_2, 700, Map.of("a", 50L, "b", 5L));
        SpendState small = new SpendState("team:red", Period.DAY, DEC_2, 300, Map.of("b", 20L, "c", 7L));
        SpendState merged = small.mergedWith(big);
        assertEquals(700, merged.spentNanos());
        assertEquals(Map.of("a", 50L, "b", 20L, "c", 7L), merged.reserved());
        assertEquals(merged, big.mergedWith(small), "the same whichever side merges into which");
    }

    @Test
    void shouldKeepTheLaterPeriodWhicheverSpentMore() {
        SpendState yesterday = new SpendState("team:red", Period.DAY, DEC_1, 9_000, Map.of());
        SpendState today = new SpendState("team:red", Period.DAY, DEC_2, 10, Map.of("a", 1L));
        assertSame(today, yesterday.mergedWith(today));
        assertSame(today, today.mergedWith(yesterday));
    }

    @Test
    void shouldKeepTheLargerSpendWhenTheSidesCountDifferentKindsOfPeriod() {
        // The budget's period changed on one side during the split; both states start on the 1st.
        SpendState month = new SpendState("client:app", Period.MONTH, DEC_1, 400, Map.of());
        SpendState day = new SpendState("client:app", Period.DAY, DEC_1, 900, Map.of());
        assertSame(day, month.mergedWith(day));
        assertSame(day, day.mergedWith(month));
    }

    @Test
    void shouldIgnoreAnotherSubjectsStateOrNone() {
        SpendState red = new SpendState("team:red", Period.DAY, DEC_2, 100, Map.of());
        assertSame(red, red.mergedWith(new SpendState("team:blue", Period.DAY, DEC_2, 999, Map.of())));
        assertSame(red, red.mergedWith(null));
    }
}
