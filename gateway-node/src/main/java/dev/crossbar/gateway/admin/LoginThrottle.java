package dev.crossbar.gateway.admin;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Failed admin logins per client address: after {@link #MAX_FAILURES} within {@link #WINDOW_NANOS}, the
 * address is refused without a token check until the window ends, so a token cannot be guessed at the
 * speed of the network. Each burst of failures from one address is logged once, not once per try.
 */
final class LoginThrottle {

    static final int MAX_FAILURES = 10;
    static final long WINDOW_NANOS = 60_000_000_000L;
    /** Beyond this many addresses tracked at once, the expired ones are dropped (an attacker's spread of addresses). */
    private static final int MAX_TRACKED = 10_000;

    /** What a failure means: whether to log it, and whether the address is now refused. */
    enum Failure {
        FIRST_OF_BURST,
        COUNTED,
        NOW_REFUSED
    }

    private static final class Burst {
        final long startNanos;
        int failures;

        Burst(long startNanos) {
            this.startNanos = startNanos;
        }
    }

    private final ConcurrentHashMap<String, Burst> bursts = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    LoginThrottle(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Milliseconds until {@code address} may try again, or 0 when it may try now. */
    long refusedForMillis(String address) {
        Burst burst = bursts.get(address);
        if (burst == null) {
            return 0;
        }
        synchronized (burst) {
            long left = burst.startNanos + WINDOW_NANOS - nanoTime.getAsLong();
            if (left <= 0) {
                bursts.remove(address, burst);
                return 0;
            }
            return burst.failures >= MAX_FAILURES ? Math.max(1, left / 1_000_000) : 0;
        }
    }

    Failure failed(String address) {
        long now = nanoTime.getAsLong();
        if (bursts.size() >= MAX_TRACKED) {
            bursts.values().removeIf(b -> now - b.startNanos >= WINDOW_NANOS);
        }
        while (true) {
            Burst burst = bursts.computeIfAbsent(address, a -> new Burst(now));
            synchronized (burst) {
                if (now - burst.startNanos >= WINDOW_NANOS) {
                    bursts.remove(address, burst);
                    continue;
                }
                burst.failures++;
                if (burst.failures == 1) {
                    return Failure.FIRST_OF_BURST;
                }
                return burst.failures == MAX_FAILURES ? Failure.NOW_REFUSED : Failure.COUNTED;
            }
        }
    }
}
