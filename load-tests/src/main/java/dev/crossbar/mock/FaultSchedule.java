package dev.crossbar.mock;

/**
 * Deals the faults of one {@link FaultPlan} to successive requests, deterministically: each fault
 * kind accumulates its share per request in parts per million and fires when a whole request is
 * due, so share 1/N hits every Nth request. When two kinds are due on the same request the first
 * (in {@link Fault} order) fires and the other stays due for the next request.
 */
final class FaultSchedule {

    private static final long WHOLE = 1_000_000;
    private static final Fault[] KINDS = {
        Fault.SERVER_ERROR, Fault.OVERLOADED, Fault.RATE_LIMITED, Fault.DROP, Fault.GARBAGE, Fault.TRUNCATE, Fault.STALL
    };

    private final FaultPlan plan;
    private final long[] ppm = new long[KINDS.length];
    private final long[] due = new long[KINDS.length];
    private final boolean any;

    FaultSchedule(FaultPlan plan) {
        this.plan = plan;
        boolean some = false;
        for (int i = 0; i < KINDS.length; i++) {
            ppm[i] = Math.round(plan.share(KINDS[i]) * WHOLE);
            some |= ppm[i] > 0;
        }
        this.any = some;
    }

    FaultPlan plan() {
        return plan;
    }

    /** The fault for the next request of this scope. */
    synchronized Fault next() {
        if (!any) {
            return Fault.NONE;
        }
        Fault chosen = Fault.NONE;
        for (int i = 0; i < KINDS.length; i++) {
            // Capped so a kind that keeps losing ties cannot bank an unbounded backlog.
            due[i] = Math.min(due[i] + ppm[i], 2 * WHOLE);
            if (chosen == Fault.NONE && due[i] >= WHOLE) {
                due[i] -= WHOLE;
                chosen = KINDS[i];
            }
        }
        return chosen;
    }
}
