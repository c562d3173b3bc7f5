package dev.crossbar.codecs.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UsageTest {

    @Test
    void shouldSplitTheTotalsIntoDisjointKinds() {
        Usage u = new Usage(17_095, 503, 10_200, 4_800, 3_500, 410);
        assertEquals(2_095, u.uncachedInputTokens());
        assertEquals(1_300, u.cacheWrite5mTokens());
        assertEquals(93, u.visibleOutputTokens());
        assertEquals(17_598, u.totalTokens());
    }

    @Test
    void shouldNeverCountATotalBelowItsParts() {
        Usage u = new Usage(10, 1, 8, 5, 7, 4);
        assertEquals(7, u.cacheWriteTokens(), "writes cover the 1-hour writes");
        assertEquals(15, u.inputTokens(), "input covers reads and writes");
        assertEquals(4, u.outputTokens(), "output covers reasoning");
        assertEquals(0, u.uncachedInputTokens());
    }

    @Test
    void shouldReadNegativeCountsAsZero() {
        assertEquals(Usage.ZERO, new Usage(-1, -2, -3, -4, -5, -6));
    }

    @Test
    void shouldKeepTheInputSideWhenTheOutputIsReplaced() {
        Usage early = new Usage(100, 40, 60, 20, 5, 30).withOutput(0, 0);
        assertEquals(new Usage(100, 0, 60, 20, 5, 0), early);
    }
}
