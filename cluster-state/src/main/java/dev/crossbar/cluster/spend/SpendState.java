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

    /**
     * This state and {@code other}, two sides of a split brain, as one: the later period's state, since an earlier
     * period's spend is over; in the same period the larger spend (each side started from the same spend before the
     * split, so the larger loses nothing of the side it came from: never the lower) and each node's larger
     * reservation. The spend of the smaller side's calls during the split is not added: the state does not say
     * what each side spent since the split, only where each stands (docs/spend.md, Split brain).
     */
    public SpendState mergedWith(SpendState other) {
        if (other == null || !subject.equals(other.subject)) {
            return this;
        }
        if (periodStart != other.periodStart) {
            return periodStart > other.periodStart ? this : other;
        }
        if (period != other.period) {
            return spentNanos >= other.spentNanos ? this : other;
        }
        Map<String, Long> both = new TreeMap<>(reserved);
        other.reserved.forEach((node, nanos) -> both.merge(node, nanos, Math::max));
        return new SpendState(subject, period, periodStart, Math.max(spentNanos, other.spentNanos), both);
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
