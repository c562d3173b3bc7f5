package dev.crossbar.gateway.metrics;

import dev.crossbar.cluster.ledger.KeyState;

/**
 * How a key's ledger state reads to people: its state in words and how much of each limit is in use
 * now. Shared by the admin API, the dashboard's data and the key gauges, so all three agree.
 */
public final class KeyUse {

    /** A key's state; {@link #word()} is the form the API, metrics and CLI use. */
    public enum State {
        ACTIVE("active"),
        COOLING_DOWN("cooling_down"),
        DISABLED("disabled"),
        PROBING("probing");

        private final String word;

        State(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    private KeyUse() {}

    /**
     * Disabled beats cooling down, which beats probing (the cooldown is over and one trial call must
     * succeed before the key takes full traffic again).
     */
    public static State state(KeyState s, long now) {
        if (s.disabled()) {
            return State.DISABLED;
        }
        if (now < s.cooldownUntil()) {
            return State.COOLING_DOWN;
        }
        if (s.probePending()) {
            return State.PROBING;
        }
        return State.ACTIVE;
    }

    /**
     * Requests in use of the window's limit at {@code now}: {@code limit - free}, with the refill since
     * the last update projected as {@link KeyState#headroom} does. Leased capacity counts as in use
     * (a node holds it). Zero when the dimension is unlimited.
     */
    public static double requestsUsed(KeyState s, long now) {
        return used(s.requestLimit(), s.freeRequests(), s.leasedRequests(), s, now);
    }

    public static double tokensUsed(KeyState s, long now) {
        return used(s.tokenLimit(), s.freeTokens(), s.leasedTokens(), s, now);
    }

    private static double used(long limit, double free, long leased, KeyState s, long now) {
        if (limit <= 0) {
            return 0;
        }
        double elapsed = Math.max(0, now - s.refilledAt());
        double projected = Math.min(
                (double) (limit - leased), free + elapsed * limit / s.limits().windowMillis());
        return Math.max(0, Math.min((double) limit, limit - Math.max(0, projected)));
    }

    /** The share of the tightest limit in use: {@code 1 - headroom}. */
    public static double utilisation(KeyState s, long now) {
        return 1.0 - s.headroom(now);
    }

    /** Mean latency of successful calls in milliseconds, or -1 before the first. */
    public static double meanLatencyMillis(KeyState s) {
        return s.successes() == 0 ? -1 : (double) s.latencyMillisTotal() / s.successes();
    }
}
