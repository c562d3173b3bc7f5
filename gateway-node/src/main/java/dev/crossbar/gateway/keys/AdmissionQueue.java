package dev.crossbar.gateway.keys;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * Requests for one model that found every key saturated wait here for at most their deadline; bounded, so
 * it never grows without limit. Flows (a team, or a client key of no team) take turns by weight ({@link
 * FairTurns}): when capacity comes back, the next waiter is the oldest of the flow whose turn it is, so with
 * teams at weights 3 and 1 both waiting, they are served 3 to 1, and a client that floods the queue gets no
 * more than its share. A full queue makes room for a flow holding less than its weighted share by turning
 * away the newest waiter of the flow holding the most, so no flow can keep the others out. Within a flow,
 * first come first served. Lives on one event loop (not thread-safe): one queue per model per event loop.
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

        /** Who is waiting: turns are taken by flow (a team, or a client key of no team). */
        default String clientKey() {
            return "";
        }
    }

    private final Vertx vertx;
    private final int maxSize;
    /** Waiters per flow, oldest first. */
    private final Map<String, ArrayDeque<Waiter>> byClient = new LinkedHashMap<>();

    private final FairTurns turns = new FairTurns();

    private int size;
    private long timer = -1;
    private boolean draining;
    private long lastRetryAfter = MIN_POLL_MILLIS;

    private final ToIntFunction<String> weights;

    /** A queue where every flow weighs the same. */
    public AdmissionQueue(Vertx vertx, int maxSize) {
        this(vertx, maxSize, flow -> 1);
    }

    /** @param weights each flow's weight (1 or more) */
    public AdmissionQueue(Vertx vertx, int maxSize, ToIntFunction<String> weights) {
        this.vertx = vertx;
        this.maxSize = maxSize;
        this.weights = weights;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    /** Queues {@code waiter}; false when the queue is full (the caller answers 429 at once). */
    public boolean offer(Waiter waiter, long retryAfterMillis) {
        if (size >= maxSize && !makeRoomFor(waiter)) {
            return false;
        }
        byClient.computeIfAbsent(waiter.clientKey(), k -> new ArrayDeque<>()).add(waiter);
        turns.waiting(waiter.clientKey(), weights.applyAsInt(waiter.clientKey()));
        size++;
        lastRetryAfter = retryAfterMillis;
        schedule(retryAfterMillis);
        return true;
    }

    /**
     * Turns away the newest waiter of the flow holding most for its weight, if that is more than the newcomer's
     * flow would hold with it: true when there is room now.
     */
    private boolean makeRoomFor(Waiter newcomer) {
        String crowded = null;
        double most = -1;
        for (var e : byClient.entrySet()) {
            double held = (double) e.getValue().size() / turns.weight(e.getKey());
            if (held > most) {
                most = held;
                crowded = e.getKey();
            }
        }
        ArrayDeque<Waiter> own = byClient.get(newcomer.clientKey());
        double mine =
                (double) ((own == null ? 0 : own.size()) + 1) / Math.max(1, weights.applyAsInt(newcomer.clientKey()));
        if (crowded == null || crowded.equals(newcomer.clientKey()) || most <= mine) {
            return false;
        }
        Waiter evicted = Objects.requireNonNull(byClient.get(crowded), "crowded was read from byClient")
                .peekLast();
        remove(crowded, evicted);
        evicted.expire(lastRetryAfter);
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
        String client = Objects.requireNonNull(turns.next(), "someone waits while size > 0");
        Waiter head = Objects.requireNonNull(byClient.get(client), "turns name clients that wait")
                .peek();
        if (System.nanoTime() >= head.deadlineNanos()) {
            remove(client, head);
            head.expire(lastRetryAfter);
            drain();
            return;
        }
        head.tryAdmit().onComplete(result -> {
            if (result.succeeded() && result.result()) {
                if (remove(client, head)) {
                    turns.served(client);
                }
                drain();
            } else {
                draining = false;
                expireOverdue();
                schedule(lastRetryAfter);
            }
        });
    }

    private boolean remove(String client, Waiter waiter) {
        ArrayDeque<Waiter> waiters = byClient.get(client);
        if (waiters == null || !waiters.remove(waiter)) {
            return false;
        }
        size--;
        if (waiters.isEmpty()) {
            byClient.remove(client);
            turns.idle(client);
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
        for (String flow : new java.util.ArrayList<>(turns.waitingFlows())) {
            if (!byClient.containsKey(flow)) {
                turns.idle(flow);
            }
        }
    }
}
