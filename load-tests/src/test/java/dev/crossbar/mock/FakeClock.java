package dev.crossbar.mock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when a test advances it; safe to read from event loops. */
final class FakeClock extends Clock {

    static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    private final AtomicLong nanos = new AtomicLong();

    void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    void advanceMillis(long ms) {
        advance(Duration.ofMillis(ms));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return START.plusNanos(nanos.get());
    }
}
