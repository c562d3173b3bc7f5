package dev.crossbar.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void shouldFormatResetsLikeGoDurations() {
        assertEquals("0s", Durations.goStyle(0));
        assertEquals("1ms", Durations.goStyle(1));
        assertEquals("250ms", Durations.goStyle(250_000));
        assertEquals("1s", Durations.goStyle(1_000_000));
        assertEquals("1.5s", Durations.goStyle(1_500_000));
        assertEquals("6m0s", Durations.goStyle(360_000_000));
        assertEquals("1m30.25s", Durations.goStyle(90_250_000));
        assertEquals("1h0m0s", Durations.goStyle(3_600_000_000L));
    }

    @Test
    void shouldFormatRfc3339RoundedUpToTheSecond() {
        long start = FakeClock.START.getEpochSecond() * 1_000_000;
        assertEquals("2030-01-01T00:00:00Z", Durations.rfc3339(start));
        assertEquals("2030-01-01T00:00:01Z", Durations.rfc3339(start + 1));
    }
}
