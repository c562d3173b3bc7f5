package dev.crossbar.cluster.ledger;

/** What one node holds of one key, as the key's owner sees it. Mutable; lives inside {@link KeyState}. */
public final class NodeLease {
    long epoch;
    /** Requests granted and not yet reported spent or returned. */
    long requests;

    long tokens;
    int slots;
    int inFlight;
    long expiresAt;

    NodeLease() {}

    NodeLease(NodeLease other) {
        epoch = other.epoch;
        requests = other.requests;
        tokens = other.tokens;
        slots = other.slots;
        inFlight = other.inFlight;
        expiresAt = other.expiresAt;
    }

    public long epoch() {
        return epoch;
    }

    public long requests() {
        return requests;
    }

    public long tokens() {
        return tokens;
    }

    public int slots() {
        return slots;
    }

    public int inFlight() {
        return inFlight;
    }

    public long expiresAt() {
        return expiresAt;
    }
}
