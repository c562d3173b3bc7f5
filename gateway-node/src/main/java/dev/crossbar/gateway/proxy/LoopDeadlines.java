package dev.crossbar.gateway.proxy;

import io.vertx.core.Vertx;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Deadlines on one event loop kept with one Vert.x timer, not one timer each: a deadline is an entry in a list
 * ordered by when it is due, and the timer waits for the earliest. An entry dropped before it is due is only
 * unlinked; the timer, when it fires, runs the entries whose time has passed and waits again for the next one,
 * or lapses when none is left. An entry's action never runs before its deadline and runs at the first firing
 * after it. Deadlines of one duration arrive in order, so adding one is constant time. On its loop only.
 */
final class LoopDeadlines {

    /** A deadline: {@link #expired} runs once it passes, unless it was {@link #drop}ped first. */
    abstract static class Entry {
        private long dueNanos;
        private @Nullable Entry previous;
        private @Nullable Entry next;
        private boolean waiting;

        /** Runs on the loop when the deadline passed. */
        abstract void expired();
    }

    private final Vertx vertx;
    private @Nullable Entry first;
    private @Nullable Entry last;
    private long timer = -1;
    private long timerDueNanos;

    LoopDeadlines(Vertx vertx) {
        this.vertx = vertx;
    }

    /** {@code entry} expires {@code timeoutMillis} from now unless dropped first; an entry waits once at a time. */
    void add(Entry entry, long timeoutMillis) {
        drop(entry);
        entry.dueNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        entry.waiting = true;
        Entry before = last;
        while (before != null && before.dueNanos - entry.dueNanos > 0) {
            before = before.previous;
        }
        entry.previous = before;
        entry.next = before == null ? first : before.next;
        if (entry.next == null) {
            last = entry;
        } else {
            entry.next.previous = entry;
        }
        if (before == null) {
            first = entry;
        } else {
            before.next = entry;
        }
        Entry head = Objects.requireNonNull(first);
        if (timer < 0) {
            armFor(head);
        } else if (timerDueNanos - head.dueNanos > 0) {
            // Only a shorter duration than the ones waiting can come before the timer's.
            vertx.cancelTimer(timer);
            armFor(head);
        }
    }

    /** The entry no longer expires; nothing happens if it already did or never waited. */
    void drop(Entry entry) {
        if (!entry.waiting) {
            return;
        }
        entry.waiting = false;
        if (entry.previous == null) {
            first = entry.next;
        } else {
            entry.previous.next = entry.next;
        }
        if (entry.next == null) {
            last = entry.previous;
        } else {
            entry.next.previous = entry.previous;
        }
        entry.previous = null;
        entry.next = null;
    }

    /** How many entries wait (for tests). */
    int waiting() {
        int count = 0;
        for (Entry e = first; e != null; e = e.next) {
            count++;
        }
        return count;
    }

    /** Waits for the first entry, {@code head}: at least until it is due (whole milliseconds, rounded up). */
    private void armFor(Entry head) {
        long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(head.dueNanos - System.nanoTime() + 999_999));
        timerDueNanos = head.dueNanos;
        timer = vertx.setTimer(millis, id -> fire());
    }

    private void fire() {
        timer = -1;
        long now = System.nanoTime();
        Entry due = first;
        while (due != null && due.dueNanos - now <= 0) {
            drop(due);
            due.expired();
            due = first;
        }
        if (due != null && timer < 0) {
            armFor(due);
        }
    }
}
