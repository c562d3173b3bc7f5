package dev.crossbar.cluster.ledger;

import java.util.HashMap;
import java.util.Map;

/**
 * What each node holds of a key, as the key's owner sees it: granted amounts not yet reported spent or
 * returned, concurrency slots, calls in flight, and each lease's epoch and expiry. Mutable; lives inside
 * {@link KeyState}.
 */
final class Leases {

    final Map<String, NodeLease> byNode;
    long lastEpoch;

    Leases() {
        this.byNode = new HashMap<>();
    }

    Leases(Leases other) {
        byNode = new HashMap<>();
        other.byNode.forEach((node, lease) -> byNode.put(node, new NodeLease(lease)));
        lastEpoch = other.lastEpoch;
    }

    /** Every unit of {@code measure} granted to some node and not yet reported spent or returned. */
    long leased(Measure measure) {
        long sum = 0;
        for (NodeLease l : byNode.values()) {
            sum += measure == Measure.REQUESTS ? l.requests : l.tokens;
        }
        return sum;
    }

    int slotsHeld() {
        int sum = 0;
        for (NodeLease l : byNode.values()) {
            sum += l.slots;
        }
        return sum;
    }

    int inFlight() {
        int sum = 0;
        for (NodeLease l : byNode.values()) {
            sum += l.inFlight;
        }
        return sum;
    }

    int holders() {
        return Math.max(1, byNode.size());
    }

    /** The node's lease, renewed: a new epoch and a new expiry. */
    NodeLease renew(String nodeId, int inFlight, long now, LedgerSettings settings) {
        NodeLease lease = byNode.computeIfAbsent(nodeId, n -> new NodeLease());
        lease.inFlight = inFlight;
        lease.epoch = ++lastEpoch;
        lease.expiresAt = now + settings.leaseMillis();
        return lease;
    }

    void remove(String nodeId) {
        byNode.remove(nodeId);
    }

    /**
     * Drops leases whose node has not reported within the grace period, counting all they held as spent:
     * the node may have used it, so only the passing of time may return it (through refill).
     */
    void reclaimExpired(long now, long graceMillis) {
        byNode.values().removeIf(l -> l.expiresAt + graceMillis < now);
    }

    /**
     * Takes a node's report off its lease. Returns false when the reported lease is unknown (the first
     * report, or the lease was reclaimed): its numbers then change nothing here.
     */
    boolean report(LeaseRequest q) {
        NodeLease lease = byNode.get(q.nodeId());
        if (lease == null || lease.epoch != q.epoch()) {
            return false;
        }
        lease.requests = Math.max(0, lease.requests - q.consumedRequests() - q.returnedRequests());
        lease.tokens = Math.max(0, lease.tokens - q.consumedTokens() - q.returnedTokens());
        return true;
    }

    /** Slots for {@code lease} within the key's limit (0: unlimited), never fewer than its calls in flight. */
    int grantSlots(NodeLease lease, int want, int concurrentLimit) {
        if (concurrentLimit == 0) {
            return Math.max(want, lease.inFlight);
        }
        int others = slotsHeld() - lease.slots;
        int room = concurrentLimit - others;
        return Math.max(lease.inFlight, Math.min(want, room));
    }

    /** Every lease of both sides of a split; where both know a node, the one holding more. */
    void mergeFrom(Leases other) {
        other.byNode.forEach((node, lease) -> byNode.merge(
                node,
                new NodeLease(lease),
                (mine, theirs) -> mine.requests + mine.tokens >= theirs.requests + theirs.tokens ? mine : theirs));
        lastEpoch = Math.max(lastEpoch, other.lastEpoch);
    }
}
