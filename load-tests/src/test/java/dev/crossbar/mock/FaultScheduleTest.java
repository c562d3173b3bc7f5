package dev.crossbar.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {

    static List<Fault> deal(FaultPlan plan, int n) {
        FaultSchedule s = new FaultSchedule(plan);
        List<Fault> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(s.next());
        }
        return out;
    }

    @Test
    void shouldHitEveryNthRequestForShareOneOverN() {
        List<Fault> faults = deal(FaultPlan.builder().serverErrorShare(0.2).build(), 20);
        for (int i = 0; i < 20; i++) {
            assertEquals((i + 1) % 5 == 0 ? Fault.SERVER_ERROR : Fault.NONE, faults.get(i), "request " + (i + 1));
        }
    }

    @Test
    void shouldHitEveryRequestForShareOne() {
        assertTrue(deal(FaultPlan.builder().stallShare(1).build(), 5).stream().allMatch(f -> f == Fault.STALL));
    }

    @Test
    void shouldDealExactSharesWhenKindsCollide() {
        List<Fault> faults = deal(
                FaultPlan.builder().serverErrorShare(0.5).overloadShare(0.5).build(), 101);
        assertEquals(Fault.NONE, faults.get(0));
        long server = faults.stream().filter(f -> f == Fault.SERVER_ERROR).count();
        long overload = faults.stream().filter(f -> f == Fault.OVERLOADED).count();
        assertEquals(50, server);
        assertEquals(50, overload);
    }

    @Test
    void shouldDealNothingWithoutShares() {
        assertTrue(deal(FaultPlan.NONE, 10).stream().allMatch(f -> f == Fault.NONE));
    }

    @Test
    void shouldRejectSharesAboveOneInTotal() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> FaultPlan.builder().dropShare(0.6).garbageShare(0.6).build());
        assertTrue(e.getMessage().contains("sum"), e.getMessage());
    }
}
