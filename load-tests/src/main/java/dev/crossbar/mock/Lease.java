package dev.crossbar.mock;

import java.util.concurrent.atomic.AtomicBoolean;

/** One admitted request's hold on its key: released exactly once, refunded at most once. */
final class Lease {

    private final KeyState key;
    private final long tokens;
    private final AtomicBoolean released = new AtomicBoolean();
    private final AtomicBoolean refunded = new AtomicBoolean();
    private final AtomicBoolean settled = new AtomicBoolean();

    Lease(KeyState key, long tokens) {
        this.key = key;
        this.tokens = tokens;
    }

    /** Frees the concurrency slot; later calls do nothing. */
    void release() {
        if (released.compareAndSet(false, true)) {
            key.release();
        }
    }

    /** Settles the token charge to {@code finalTokens} once the answer has ended; later calls do nothing. */
    void settle(long finalTokens) {
        if (!refunded.get() && settled.compareAndSet(false, true)) {
            key.settle(finalTokens - tokens);
        }
    }

    /** Gives the request and its tokens back to the buckets (an injected error costs nothing). */
    void refund() {
        if (!settled.get() && refunded.compareAndSet(false, true)) {
            key.refund(tokens);
        }
    }
}
