package dev.crossbar.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    static final long SECOND = 1_000_000;

    @Test
    void shouldStartFull() {
        TokenBucket b = new TokenBucket(10, SECOND, 0);
        assertEquals(10, b.available(0));
        assertEquals(0, b.waitMicros(10, 0));
        assertEquals(0, b.microsUntilFull(0));
    }

    @Test
    void shouldRefillContinuouslyAtLimitPerWindow() {
        TokenBucket b = new TokenBucket(10, SECOND, 0);
        b.take(10);
        assertEquals(0, b.available(0));
        assertEquals(100_000, b.waitMicros(1, 0));
        assertEquals(0, b.available(99_999));
        assertEquals(1, b.available(100_000));
        assertEquals(5, b.available(500_000));
        assertEquals(10, b.available(5 * SECOND), "never above capacity");
    }

    @Test
    void shouldAnswerTheExactWaitForACost() {
        TokenBucket b = new TokenBucket(100, SECOND, 0);
        b.take(60);
        assertEquals(200_000, b.waitMicros(60, 0));
        assertEquals(1, b.waitMicros(60, 199_999));
        assertEquals(0, b.waitMicros(60, 200_000));
    }

    @Test
    void shouldNeverAdmitACostAboveCapacity() {
        TokenBucket b = new TokenBucket(10, SECOND, 0);
        assertEquals(TokenBucket.NEVER, b.waitMicros(11, 0));
        assertThrows(IllegalStateException.class, () -> b.take(11));
    }

    @Test
    void shouldRefundWithoutExceedingCapacity() {
        TokenBucket b = new TokenBucket(10, SECOND, 0);
        b.take(4);
        b.refund(4);
        b.refund(4);
        assertEquals(10, b.available(0));
    }

    @Test
    void shouldIgnoreAClockThatStepsBackwards() {
        TokenBucket b = new TokenBucket(10, SECOND, 1_000 * SECOND);
        b.take(10);
        assertEquals(0, b.available(999 * SECOND));
        assertEquals(1, b.available(1_000 * SECOND + 100_000));
    }

    @Test
    void shouldReportTimeUntilFull() {
        TokenBucket b = new TokenBucket(2, 2 * SECOND, 0);
        b.take(1);
        assertEquals(SECOND, b.microsUntilFull(0));
        b.take(1);
        assertEquals(2 * SECOND, b.microsUntilFull(0));
    }
}
