package dev.crossbar.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.crossbar.gateway.cli.Args;
import org.junit.jupiter.api.Test;

class BenchFloorTest {

    @Test
    void shouldFailOnlyBelowTheFloorWhenOneIsSet() {
        assertEquals(0, BenchCommand.floor(0.31, 0.3, true));
        assertEquals(0, BenchCommand.floor(0.3, 0.3, true));
        assertEquals(3, BenchCommand.floor(0.29, 0.3, true));
        assertEquals(3, BenchCommand.floor(Double.NaN, 0.3, true), "no figure is no pass");
        assertEquals(0, BenchCommand.floor(0.01, 0, true), "no floor, no verdict");
        assertEquals(0, BenchCommand.floor(0.31, 0.3, false), "above the floor even on a busy box");
        assertEquals(BenchCommand.NOT_JUDGED, BenchCommand.floor(0.29, 0.3, false), "below it on a busy box");
    }

    @Test
    void shouldRefuseAFloorWithoutThePlainScenario() {
        assertThrows(
                Args.UsageException.class,
                () -> BenchCommand.run(new String[] {"bench", "stream", "--min-ratio", "0.3"}, 1));
    }
}
