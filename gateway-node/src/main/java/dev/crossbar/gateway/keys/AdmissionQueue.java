package dev.crossbar.gateway.keys;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Requests for one model that found every key saturated wait here for at most their deadline; bounded, so
 * it never grows without limit. Client keys take turns: when capacity comes back, the next waiter is the
 * oldest of the client key after the one served last, so a client that floods the queue gets no more
 * than any other client that is waiting too. Within a client key, first come first served. Lives on one
 * event loop (not thread-safe): one queue per model per event loop.
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

        /** Who is waiting: turns are taken by client key. */
        default String clientKey() {
            return "";
        }
    }

    private final Vertx vertx;
    private final int maxSize;
    /** Waiters per client key, oldest first; the map's order is the order of turns. */
    private final Map<String, ArrayDeque<Waiter>> byClient = new LinkedHashMap<>();

    private int size;
    private long timer = -1;
    private boolean draining;
    private long lastRetryAfter = MIN_POLL_MILLIS;

    public AdmissionQueue(Vertx vertx, int maxSize) {
        this.vertx = vertx;
        this.maxSize = maxSize;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    /** Queues {@code waiter}; false when the queue is full (the caller answers 429 at once). */
    public boolean offer(Waiter waiter, long retryAfterMillis) {
        if (size >= maxSize) {
            return false;
        }
        byClient.computeIfAbsent(waiter.clientKey(), k -> new ArrayDeque<>()).add(waiter);
        size++;
        lastRetryAfter = retryAfterMillis;
        schedule(retryAfterMillis);
        return true;
    }

    private void schedule(long delayMillis) {
        if (timer >= 0 || draining || size == 0) {
            return;
        }
        long soonestDeadline = Long.MAX_VALUE;
        for (ArrayDeque<Waiter> waiters : byClient.values()) {
            for (Waiter w : waiters) {
                soonestDeadline = Math.min(soonestDeadline, w.deadlineNanos());
            }
        }
        long untilDeadline = Math.max(1, (soonestDeadline - System.nanoTime()) / 1_000_000 + 1);
        long delay = Math.min(untilDeadline, Math.max(MIN_POLL_MILLIS, Math.min(MAX_POLL_MILLIS, delayMillis)));
        timer = vertx.setTimer(delay, id -> {
            timer = -1;
            drain();
        });
    }

    /** Retries the next in turn, then the next, until one is refused; expired waiters leave on the way. */
    private void drain() {
        if (size == 0) {
            draining = false;
            return;
        }
        draining = true;
        Map.Entry<String, ArrayDeque<Waiter>> turn =
                byClient.entrySet().iterator().next();
        String client = turn.getKey();
        Waiter head = turn.getValue().peek();
        if (System.nanoTime() >= head.deadlineNanos()) {
            remove(client, head);
            head.expire(lastRetryAfter);
            drain();
            return;
        }
        head.tryAdmit().onComplete(result -> {
            if (result.succeeded() && result.result()) {
                if (remove(client, head)) {
                    endTurn(client);
                }
                drain();
            } else {
                draining = false;
                expireOverdue();
                schedule(lastRetryAfter);
            }
        });
    }

    /** The client key that was served goes to the back of the turns (or leaves them with no one waiting). */
    private void endTurn(String client) {
        ArrayDeque<Waiter> waiters = byClient.remove(client);
        if (waiters != null && !waiters.isEmpty()) {
            byClient.put(client, waiters);
        }
    }

    private boolean remove(String client, Waiter waiter) {
        ArrayDeque<Waiter> waiters = byClient.get(client);
        if (waiters == null || !waiters.remove(waiter)) {
            return false;
        }
        size--;
        if (waiters.isEmpty()) {
            byClient.remove(client);
        }
        return true;
    }

    /** Tells the queue how soon the last refusal said capacity may return. */
    public void refusedFor(long retryAfterMillis) {
        lastRetryAfter = retryAfterMillis;
    }

    private void expireOverdue() {
        long now = System.nanoTime();
        for (Iterator<ArrayDeque<Waiter>> clients = byClient.values().iterator(); clients.hasNext(); ) {
            ArrayDeque<Waiter> waiters = clients.next();
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (now >= w.deadlineNanos()) {
                    it.remove();
                    size--;
                    w.expire(lastRetryAfter);
                }
            }
            if (waiters.isEmpty()) {
                clients.remove();
            }
        }
    }
}
