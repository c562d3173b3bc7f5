package dev.crossbar.mock;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Wall time read once at start and advanced by {@link System#nanoTime()}, so buckets never see
 * time step backwards when the system clock is adjusted.
 */
final class MonotonicClock extends Clock {

    private final Instant base = Instant.now();
    private final long baseNanos = System.nanoTime();

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("MonotonicClock is UTC only");
    }

    @Override
    public Instant instant() {
        return base.plusNanos(System.nanoTime() - baseNanos);
    }
}
