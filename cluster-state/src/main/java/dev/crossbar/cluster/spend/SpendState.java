package dev.crossbar.cluster.spend;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one budget's subject (a client key or a team) spent in its current period, in nano-dollars: what settled
 * and what nodes hold reserved for calls still running. A value: every change makes a new state.
 *
 * @param subject     {@code client:<name>} or {@code team:<name>}
 * @param period      the kind of period the spend counts in
 * @param periodStart the start of the period the spend belongs to, epoch milliseconds
 * @param spentNanos  what settled calls cost in that period
 * @param reserved    what each node (member id) holds reserved for calls still running
 */
public record SpendState(String subject, Period period, long periodStart, long spentNanos, Map<String, Long> reserved) {

    public SpendState {
        reserved = Map.copyOf(reserved);
    }

    /** A period with nothing spent yet. */
    public static SpendState fresh(String subject, Period period, long periodStart) {
        return new SpendState(subject, period, periodStart, 0, Map.of());
    }

    /** Everything reserved, by every node. */
    public long reservedNanos() {
        long total = 0;
        for (long r : reserved.values()) {
            total += r;
        }
        return total;
    }

    SpendState withSpent(long spent) {
        return new SpendState(subject, period, periodStart, spent, reserved);
    }

    /** The same state with {@code node}'s reservation changed by {@code delta} (dropped at zero). */
    SpendState reserving(String node, long delta) {
        Map<String, Long> next = new TreeMap<>(reserved);
        long now = Math.max(0, next.getOrDefault(node, 0L) + delta);
        if (now == 0) {
            next.remove(node);
        } else {
            next.put(node, now);
        }
        return new SpendState(subject, period, periodStart, spentNanos, next);
    }

    SpendState without(String node) {
        Map<String, Long> next = new TreeMap<>(reserved);
        next.remove(node);
        return new SpendState(subject, period, periodStart, spentNanos, next);
    }
}
