package dev.crossbar.cluster.ledger;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The binary form of a {@link KeyState}, by format version. Version 1 is the layout nodes wrote since the
 * ledger began (two buckets, requests and tokens, over the key's window); version 2 adds the key health's
 * failure window and scheduled checks. A change of layout gets a new version here and the old one stays
 * readable, so a state written by an older node is read by a newer one. docs/architecture.md says how a
 * cluster is upgraded across a format change.
 */
public final class KeyStateFormat {

    /** The version this code writes. */
    public static final int WRITTEN = 2;

    private KeyStateFormat() {}

    /** True when this code reads {@code version}. */
    public static boolean reads(int version) {
        return version == 1 || version == 2;
    }

    public static void write(DataOutput out, KeyState s) throws IOException {
        writeV1(out, s);
        Health h = s.health;
        KeyStateIo.writeNullable(out, h.checkResult);
        out.writeBoolean(h.refusedByProvider);
        out.writeInt(h.windowFailures);
        out.writeLong(h.failureWindowStart);
        out.writeLong(h.checkedAt);
    }

    /**
     * Reads a state written in format {@code version}.
     *
     * @throws IOException when the bytes are not a state of {@code version}
     */
    public static KeyState read(DataInput in, int version) throws IOException {
        if (!reads(version)) {
            throw new IOException("key state format " + version + " is not known here");
        }
        KeyState s = readV1(in);
        if (version == 2) {
            Health h = s.health;
            h.checkResult = KeyStateIo.readNullable(in);
            h.refusedByProvider = in.readBoolean();
            h.windowFailures = in.readInt();
            h.failureWindowStart = in.readLong();
            h.checkedAt = in.readLong();
        }
        return s;
    }

    private static void writeV1(DataOutput out, KeyState s) throws IOException {
        Bucket requests = s.buckets.first(Measure.REQUESTS);
        Bucket tokens = s.buckets.first(Measure.TOKENS);
        if (s.buckets.all.length != 2) {
            throw new IOException("format 1 holds two buckets, the key has " + s.buckets.all.length);
        }
        out.writeUTF(s.keyId);
        KeyStateIo.writeLimits(out, s.limits);
        out.writeLong(requests.learned);
        out.writeLong(tokens.learned);
        out.writeDouble(requests.free);
        out.writeDouble(tokens.free);
        out.writeLong(s.buckets.refilledAt);
        out.writeInt(s.leases.byNode.size());
        for (var e : s.leases.byNode.entrySet()) {
            NodeLease l = e.getValue();
            out.writeUTF(e.getKey());
            out.writeLong(l.epoch);
            out.writeLong(l.requests);
            out.writeLong(l.tokens);
            out.writeInt(l.slots);
            out.writeInt(l.inFlight);
            out.writeLong(l.expiresAt);
        }
        out.writeLong(s.leases.lastEpoch);
        Health h = s.health;
        out.writeLong(h.cooldownUntil);
        KeyStateIo.writeNullable(out, h.cooldownReason);
        out.writeInt(h.failureStreak);
        out.writeBoolean(h.probePending);
        KeyStateIo.writeNullable(out, h.probeNode);
        out.writeLong(h.probeUntil);
        out.writeBoolean(h.disabled);
        KeyStateIo.writeNullable(out, h.disabledReason);
        out.writeLong(s.shares.contendedUntil);
        Counters c = s.counters;
        out.writeLong(c.successes);
        out.writeLong(c.failures);
        out.writeLong(c.rateLimited);
        out.writeLong(c.latencyMillisTotal);
        out.writeLong(c.requestsConsumed);
        out.writeLong(c.tokensConsumed);
        out.writeInt(s.shares.byNode.size());
        for (var e : s.shares.byNode.entrySet()) {
            NodeShare share = e.getValue();
            out.writeUTF(e.getKey());
            out.writeDouble(share.calls);
            out.writeLong(share.waitingUntil);
        }
    }

    private static KeyState readV1(DataInput in) throws IOException {
        String keyId = in.readUTF();
        KeyLimits limits = KeyStateIo.readLimits(in);
        KeyState s = new KeyState(keyId, limits, 0);
        Bucket requests = s.buckets.first(Measure.REQUESTS);
        Bucket tokens = s.buckets.first(Measure.TOKENS);
        requests.learned = in.readLong();
        tokens.learned = in.readLong();
        requests.free = in.readDouble();
        tokens.free = in.readDouble();
        s.buckets.refilledAt = in.readLong();
        int leases = count(in.readInt());
        for (int i = 0; i < leases; i++) {
            String node = in.readUTF();
            NodeLease l = new NodeLease();
            l.epoch = in.readLong();
            l.requests = in.readLong();
            l.tokens = in.readLong();
            l.slots = in.readInt();
            l.inFlight = in.readInt();
            l.expiresAt = in.readLong();
            s.leases.byNode.put(node, l);
        }
        s.leases.lastEpoch = in.readLong();
        Health h = s.health;
        h.cooldownUntil = in.readLong();
        h.cooldownReason = KeyStateIo.readNullable(in);
        h.failureStreak = in.readInt();
        h.probePending = in.readBoolean();
        h.probeNode = KeyStateIo.readNullable(in);
        h.probeUntil = in.readLong();
        h.disabled = in.readBoolean();
        h.disabledReason = KeyStateIo.readNullable(in);
        s.shares.contendedUntil = in.readLong();
        Counters c = s.counters;
        c.successes = in.readLong();
        c.failures = in.readLong();
        c.rateLimited = in.readLong();
        c.latencyMillisTotal = in.readLong();
        c.requestsConsumed = in.readLong();
        c.tokensConsumed = in.readLong();
        int shares = count(in.readInt());
        for (int i = 0; i < shares; i++) {
            String node = in.readUTF();
            NodeShare share = new NodeShare();
            share.calls = in.readDouble();
            share.waitingUntil = in.readLong();
            s.shares.byNode.put(node, share);
        }
        return s;
    }

    /** A count read from the wire: never negative, never more than a cluster could have members. */
    private static int count(int n) throws IOException {
        if (n < 0 || n > 10_000) {
            throw new IOException("implausible count " + n);
        }
        return n;
    }
}
