package dev.crossbar.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.crossbar.gateway.cli.Args;
import org.junit.jupiter.api.Test;

class BenchFloorTest {

    @Test
    void shouldFailOnlyBelowTheFloorWhenOneIsSet() {
        assertEquals(0, BenchCommand.floor(0.31, 0.3));
        assertEquals(0, BenchCommand.floor(0.3, 0.3));
        assertEquals(3, BenchCommand.floor(0.29, 0.3));
        assertEquals(3, BenchCommand.floor(Double.NaN, 0.3), "no figure is no pass");
        assertEquals(0, BenchCommand.floor(0.01, 0), "no floor, no verdict");
    }

    @Test
    void shouldRefuseAFloorWithoutThePlainScenario() {
        assertThrows(
                Args.UsageException.class,
                () -> BenchCommand.run(new String[] {"bench", "stream", "--min-ratio", "0.3"}, 1));
    }
}
