package dev.crossbar.cluster.ledger;

import java.util.HashMap;
import java.util.Map;

/**
 * How a saturated key is shared between nodes: the calls each node has had since the saturation began,
 * which nodes wait for a refill, and until when the key counts as contended. While some node waits, the
 * refill goes first to the waiting node that has had fewest calls (start-time fair queueing), so whichever
 * node asks the owner first (the owner itself, a node renewing a busy lease, a node whose queue polls just
 * after a refill), nodes that keep asking get equal numbers of calls. Mutable; lives inside {@link KeyState}.
 */
final class FairShares {

    final Map<String, NodeShare> byNode;
    long contendedUntil;

    FairShares() {
        byNode = new HashMap<>();
    }

    FairShares(FairShares other) {
        byNode = new HashMap<>();
        other.byNode.forEach((node, share) -> byNode.put(node, new NodeShare(share)));
        contendedUntil = other.contendedUntil;
    }

    /** Waiting nodes behind another: how many, and how many calls of the free capacity to keep for them now. */
    record Behind(int nodes, long reserved) {}

    static final Behind NONE_BEHIND = new Behind(0, 0);

    boolean contended(long now) {
        return now < contendedUntil;
    }

    /** Some node was refused: nodes give idle capacity back early for a lease period. */
    void contend(long now, LedgerSettings settings) {
        contendedUntil = now + settings.leaseMillis();
    }

    void forget(String nodeId) {
        byNode.remove(nodeId);
    }

    /**
     * Other nodes waiting for capacity they were refused that have had fewer calls of this key than
     * {@code nodeId} since the key became saturated: the refill is theirs first. What will have refilled by
     * the time the first of them is back is not held for them: that would leave capacity idle.
     */
    Behind behind(String nodeId, long now, long minTokens, LedgerSettings settings, Buckets buckets) {
        boolean saturated = false;
        for (NodeShare share : byNode.values()) {
            saturated |= share.waitedWithin(now, memory(settings));
        }
        if (!saturated) {
            // Nobody has waited for a while: the saturation is over, and what nodes had during it no longer
            // matters.
            byNode.clear();
            return NONE_BEHIND;
        }
        NodeShare own = byNode.get(nodeId);
        double mine = own == null ? 0 : own.calls;
        int behind = 0;
        long firstBack = Long.MAX_VALUE;
        for (Map.Entry<String, NodeShare> other : byNode.entrySet()) {
            NodeShare share = other.getValue();
            if (share.waitingAt(now) && share.calls < mine && !other.getKey().equals(nodeId)) {
                behind++;
                firstBack = Math.min(firstBack, share.waitingUntil - waitingSlack(settings));
            }
        }
        if (behind == 0) {
            return NONE_BEHIND;
        }
        long refilled = (long) Math.floor(buckets.callsRefilledIn(Math.max(0, firstBack - now), minTokens));
        return new Behind(behind, Math.max(0, behind - refilled));
    }

    /**
     * A node refused for want of capacity waits until its retry-after, {@code back}, and a little longer.
     * One that starts waiting (not having waited lately) starts level with the least-served node already
     * waiting: it may not claim what it did not ask for before, and what it had before does not count
     * against it.
     */
    void waiting(String nodeId, long now, long back, LedgerSettings settings) {
        NodeShare share = byNode.computeIfAbsent(nodeId, n -> new NodeShare());
        if (!share.waitedWithin(now, memory(settings))) {
            double least = Double.MAX_VALUE;
            for (Map.Entry<String, NodeShare> other : byNode.entrySet()) {
                if (other.getValue().waitingAt(now) && !other.getKey().equals(nodeId)) {
                    least = Math.min(least, other.getValue().calls);
                }
            }
            share.calls = least == Double.MAX_VALUE ? share.calls : Math.max(share.calls, least);
        }
        share.waitingUntil = Math.max(share.waitingUntil, back + waitingSlack(settings));
    }

    /** Counts a grant made while some node waits, in calls: requests when they are limited, else tokens per call. */
    void granted(String nodeId, long grantRequests, long grantTokens, long minTokens, Buckets buckets) {
        boolean requestsLimited = buckets.limit(Measure.REQUESTS) > 0;
        if (byNode.isEmpty() || (!requestsLimited && buckets.limit(Measure.TOKENS) == 0)) {
            return;
        }
        double calls = requestsLimited ? grantRequests : (double) grantTokens / Math.max(1, minTokens);
        // Still counted as waiting until its refusal's time is up: it asks again at once if it has more calls.
        byNode.computeIfAbsent(nodeId, n -> new NodeShare()).calls += calls;
    }

    /** For each node, the larger count of the two sides of a split. */
    void mergeFrom(FairShares other) {
        other.byNode.forEach((node, share) ->
                byNode.merge(node, new NodeShare(share), (mine, theirs) -> mine.calls >= theirs.calls ? mine : theirs));
    }

    /**
     * How much longer than its retry-after a refused node counts as waiting: time to poll and travel. Short,
     * because capacity held for a node that does not come back (another key served it) stands idle.
     */
    private static long waitingSlack(LedgerSettings settings) {
        return settings.leaseMillis() / 5;
    }

    /**
     * How long after its last wait a node keeps its count: one that asks again within it (late, or served
     * by another key meanwhile) is still behind by what it was behind; one away longer starts level.
     */
    private static long memory(LedgerSettings settings) {
        return 4 * settings.leaseMillis();
    }
}
