package dev.crossbar.mock;

import java.util.concurrent.atomic.AtomicLong;

/** Response and tool-call ids from one counter: unique per mock instance and reproducible. */
final class Ids {

    private final AtomicLong counter = new AtomicLong();

    String next(String prefix) {
        return prefix + "mock" + counter.incrementAndGet();
    }
}
