package dev.crossbar.gateway.keys;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;

/**
 * Requests for one model that found every key saturated wait here, first come first served, for at most
 * their deadline; a bounded deque, so it never grows without limit. Lives on one event loop (not
 * thread-safe): one queue per model per event loop.
 */
public final class AdmissionQueue {

    private static final long MIN_POLL_MILLIS = 5;
    private static final long MAX_POLL_MILLIS = 500;

    /** A waiting request. */
    public interface Waiter {
        /** Tries to get capacity; completes with true when the request went on its way. */
        Future<Boolean> tryAdmit();

        /** The wait is over without capacity; {@code retryAfterMillis} is the soonest a key may free up. */
        void expire(long retryAfterMillis);

        long deadlineNanos();
    }

    private final Vertx vertx;
    private final int maxSize;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private long timer = -1;
    private boolean draining;
    private long lastRetryAfter = MIN_POLL_MILLIS;

    public AdmissionQueue(Vertx vertx, int maxSize) {
        this.vertx = vertx;
        this.maxSize = maxSize;
    }

    public boolean isEmpty() {
        return waiting.isEmpty();
    }

    public int size() {
        return waiting.size();
    }

    /** Queues {@code waiter}; false when the queue is full (the caller answers 429 at once). */
    public boolean offer(Waiter waiter, long retryAfterMillis) {
        if (waiting.size() >= maxSize) {
            return false;
        }
        waiting.add(waiter);
        lastRetryAfter = retryAfterMillis;
        schedule(retryAfterMillis);
        return true;
    }

    private void schedule(long delayMillis) {
        if (timer >= 0 || draining || waiting.isEmpty()) {
            return;
        }
        long soonestDeadline = Long.MAX_VALUE;
        for (Waiter w : waiting) {
            soonestDeadline = Math.min(soonestDeadline, w.deadlineNanos());
        }
        long untilDeadline = Math.max(1, (soonestDeadline - System.nanoTime()) / 1_000_000 + 1);
        long delay = Math.min(untilDeadline, Math.max(MIN_POLL_MILLIS, Math.min(MAX_POLL_MILLIS, delayMillis)));
        timer = vertx.setTimer(delay, id -> {
            timer = -1;
            drain();
        });
    }

    /** Retries the head, then the next, until one is refused; expired waiters leave on the way. */
    private void drain() {
        Waiter head = waiting.peek();
        if (head == null) {
            draining = false;
            return;
        }
        draining = true;
        if (System.nanoTime() >= head.deadlineNanos()) {
            waiting.poll();
            head.expire(lastRetryAfter);
            drain();
            return;
        }
        head.tryAdmit().onComplete(result -> {
            if (result.succeeded() && result.result()) {
                waiting.remove(head);
                drain();
            } else {
                draining = false;
                expireOverdue();
                schedule(lastRetryAfter);
            }
        });
    }

    /** Tells the queue how soon the last refusal said capacity may return. */
    public void refusedFor(long retryAfterMillis) {
        lastRetryAfter = retryAfterMillis;
    }

    private void expireOverdue() {
        long now = System.nanoTime();
        waiting.removeIf(w -> {
            if (now >= w.deadlineNanos()) {
                w.expire(lastRetryAfter);
                return true;
            }
            return false;
        });
    }
}
