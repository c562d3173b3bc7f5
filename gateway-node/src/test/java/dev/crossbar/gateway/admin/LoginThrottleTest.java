package dev.crossbar.gateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final LoginThrottle throttle = new LoginThrottle(now::get);

    @Test
    void shouldRefuseAnAddressAfterTooManyWrongTokensUntilTheWindowEnds() {
        assertEquals(LoginThrottle.Failure.FIRST_OF_BURST, throttle.failed("10.0.0.1"));
        for (int i = 2; i < LoginThrottle.MAX_FAILURES; i++) {
            assertEquals(LoginThrottle.Failure.COUNTED, throttle.failed("10.0.0.1"));
            assertEquals(0, throttle.refusedForMillis("10.0.0.1"));
        }
        assertEquals(LoginThrottle.Failure.NOW_REFUSED, throttle.failed("10.0.0.1"));
        assertEquals(60_000, throttle.refusedForMillis("10.0.0.1"));
        assertEquals(0, throttle.refusedForMillis("10.0.0.2"), "another address is not held for it");
        now.addAndGet(LoginThrottle.WINDOW_NANOS - 1_000_000_000L);
        assertEquals(1_000, throttle.refusedForMillis("10.0.0.1"));
        now.addAndGet(1_000_000_000L);
        assertEquals(0, throttle.refusedForMillis("10.0.0.1"), "the window ended");
        assertEquals(LoginThrottle.Failure.FIRST_OF_BURST, throttle.failed("10.0.0.1"), "a new burst, logged once");
    }

    @Test
    void shouldLogOncePerBurstNotOncePerTry() {
        int logged = 0;
        for (int i = 0; i < 100; i++) {
            if (throttle.failed("10.0.0.3") != LoginThrottle.Failure.COUNTED) {
                logged++;
            }
        }
        assertEquals(2, logged, "the burst's first failure and the moment the address is refused");
        assertTrue(throttle.refusedForMillis("10.0.0.3") > 0);
    }
}
