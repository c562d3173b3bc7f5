package dev.crossbar.cluster.spend;

import org.jspecify.annotations.Nullable;

/**
 * A change to one subject's spend, applied atomically where the state lives, on that place's clock: the clock
 * decides which period is current, and a state of an earlier period starts over from zero. Plain arithmetic,
 * tested without a cluster.
 */
public sealed interface SpendCommand {

    /** The new state (null leaves the stored one as it is) and the answer. */
    record Applied(@Nullable SpendState state, @Nullable SpendAnswer answer) {}

    /** Applies the command to {@code state} (null when the subject has none) at {@code nowMillis}. */
    Applied apply(String subject, @Nullable SpendState state, long nowMillis);

    /**
     * Reserves {@code amountNanos} for {@code node} when settled spend plus every reservation plus the amount
     * stays within {@code limitNanos}, and the budget is not spent already.
     */
    record Reserve(String node, Period period, long amountNanos, long limitNanos) implements SpendCommand {
        @Override
        public Applied apply(String subject, @Nullable SpendState state, long nowMillis) {
            SpendState current = current(subject, state, period, nowMillis);
            long committed = current.spentNanos() + current.reservedNanos();
            boolean granted =
                    current.spentNanos() < limitNanos && amountNanos >= 0 && committed <= limitNanos - amountNanos;
            SpendState next = granted ? current.reserving(node, amountNanos) : current;
            return new Applied(next, answer(granted, next));
        }
    }

    /**
     * Ends one reservation {@code node} made in the period that started at {@code periodStart}: the reservation is
     * given back and {@code actualNanos} is added to the spend. A reservation of a period that has ended since
     * is no longer held and is charged to nobody (its period's spend is over).
     */
    record Settle(String node, Period period, long periodStart, long reservedNanos, long actualNanos)
            implements SpendCommand {
        @Override
        public Applied apply(String subject, @Nullable SpendState state, long nowMillis) {
            SpendState current = current(subject, state, period, nowMillis);
            if (current.periodStart() != periodStart) {
                return new Applied(current, answer(true, current));
            }
            SpendState next =
                    current.reserving(node, -reservedNanos).withSpent(current.spentNanos() + Math.max(0, actualNanos));
            return new Applied(next, answer(true, next));
        }
    }

    /**
     * Sets the current period's spend to what the usage records remember, only when the cluster holds nothing
     * for the period yet: after a full cluster restart, before budgets are enforced. Racing nodes restore the
     * same numbers once.
     */
    record Restore(Period period, long spentNanos) implements SpendCommand {
        @Override
        public Applied apply(String subject, @Nullable SpendState state, long nowMillis) {
            long start = period.start(nowMillis);
            if (state != null && state.period() == period && state.periodStart() == start) {
                return new Applied(state, answer(true, state));
            }
            SpendState next = new SpendState(subject, period, start, Math.max(0, spentNanos), java.util.Map.of());
            return new Applied(next, answer(true, next));
        }
    }

    /** Drops what a node that left the cluster held reserved: its calls died with it. */
    record ReclaimNode(String node) implements SpendCommand {
        @Override
        public Applied apply(String subject, @Nullable SpendState state, long nowMillis) {
            if (state == null || !state.reserved().containsKey(node)) {
                return new Applied(null, state == null ? null : answer(true, state));
            }
            SpendState next = state.without(node);
            return new Applied(next, answer(true, next));
        }
    }

    /** The subject's state in the period that holds {@code nowMillis}. */
    private static SpendState current(String subject, @Nullable SpendState state, Period period, long nowMillis) {
        long start = period.start(nowMillis);
        if (state == null || state.period() != period || state.periodStart() != start) {
            return SpendState.fresh(subject, period, start);
        }
        return state;
    }

    private static SpendAnswer answer(boolean granted, SpendState s) {
        return new SpendAnswer(
                granted, s.periodStart(), s.period().end(s.periodStart()), s.spentNanos(), s.reservedNanos());
    }
}
