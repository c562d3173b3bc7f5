package dev.crossbar.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PortSpaceTest {

    @Test
    void shouldTakeThePortsBelowAndAboveTheEphemeralRange() {
        PortSpace space = PortSpace.outside(32_768, 60_999);

        assertEquals(List.of(new PortSpace.Range(10_000, 32_767), new PortSpace.Range(61_000, 65_535)), space.ranges());
    }

    /** CI once ran where the ephemeral range left little room below it, and a run of five was not found. */
    @Test
    void shouldTakeEveryPortWhenTheEphemeralRangeLeavesTooFewOutsideIt() {
        for (int[] range : new int[][] {{1_024, 65_535}, {10_500, 65_535}, {12_000, 64_000}, {19_000, 65_535}}) {
            PortSpace space = PortSpace.outside(range[0], range[1]);

            assertEquals(List.of(new PortSpace.Range(10_000, 65_535)), space.ranges(), range[0] + "-" + range[1]);
        }
    }

    @Test
    void shouldFindTheOnlyUsableRunFromAnyStart() {
        PortSpace space = PortSpace.outside(32_768, 60_999);
        for (int start : new int[] {0, 1, 17, 22_767, 22_768, space.size() - 1, space.size() + 5}) {
            int base = space.findRun(5, start, p -> p >= 62_000 && p < 62_005);

            assertEquals(62_000, base, "from " + start);
        }
    }

    @Test
    void shouldNotCountARunAcrossTheGapBetweenRanges() {
        PortSpace space = PortSpace.outside(32_768, 60_999);

        IllegalStateException none = assertThrows(
                IllegalStateException.class,
                () -> space.findRun(4, 0, p -> (p >= 32_766 && p <= 32_767) || (p >= 61_000 && p <= 61_001)));
        assertTrue(none.getMessage().contains("no run of 4 free ports"), none.getMessage());
    }

    @Test
    void shouldFindARunEndingOnTheLastPortOfARange() {
        PortSpace space = PortSpace.outside(32_768, 60_999);

        assertEquals(32_765, space.findRun(3, 100, p -> p >= 32_765 && p <= 32_767));
        assertEquals(65_533, space.findRun(3, 100, p -> p >= 65_533));
    }
}
