package dev.crossbar.cluster.ledger;

/**
 * What one node has had of a saturated key since the saturation began, and whether it is waiting for more:
 * the owner's memory for sharing the key fairly. Kept apart from the node's lease, which a node gives back
 * whenever its demand pauses. Mutable; lives inside {@link KeyState}.
 */
final class NodeShare {
    /** Calls granted while some node was waiting, counted from where the node joined the waiting ones. */
    double calls;
    /**
     * Until when the node counts as waiting: its last refusal's retry-after plus a little, by when it asks
     * again if it still has calls (0: it never waited).
     */
    long waitingUntil;

    NodeShare() {}

    NodeShare(NodeShare other) {
        calls = other.calls;
        waitingUntil = other.waitingUntil;
    }

    boolean waitingAt(long now) {
        return waitingUntil > now;
    }

    /** True when the node waits now or did within the last {@code millis}. */
    boolean waitedWithin(long now, long millis) {
        return waitingUntil > 0 && waitingUntil + millis > now;
    }
}
