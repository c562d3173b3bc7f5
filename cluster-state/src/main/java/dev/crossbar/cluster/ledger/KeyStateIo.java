package dev.crossbar.cluster.ledger;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Binary form of the ledger's values, over plain {@link DataOutput} so any transport can use it. */
public final class KeyStateIo {

    private KeyStateIo() {}

    public static void writeState(DataOutput out, KeyState s) throws IOException {
        out.writeUTF(s.keyId);
        writeLimits(out, s.limits);
        out.writeLong(s.learnedRequestLimit);
        out.writeLong(s.learnedTokenLimit);
        out.writeDouble(s.freeRequests);
        out.writeDouble(s.freeTokens);
        out.writeLong(s.refilledAt);
        out.writeInt(s.leases.size());
        for (var e : s.leases.entrySet()) {
            NodeLease l = e.getValue();
            out.writeUTF(e.getKey());
            out.writeLong(l.epoch);
            out.writeLong(l.requests);
            out.writeLong(l.tokens);
            out.writeInt(l.slots);
            out.writeInt(l.inFlight);
            out.writeLong(l.expiresAt);
        }
        out.writeLong(s.lastEpoch);
        out.writeLong(s.cooldownUntil);
        writeNullable(out, s.cooldownReason);
        out.writeInt(s.failureStreak);
        out.writeBoolean(s.probePending);
        writeNullable(out, s.probeNode);
        out.writeLong(s.probeUntil);
        out.writeBoolean(s.disabled);
        writeNullable(out, s.disabledReason);
        out.writeLong(s.contendedUntil);
        out.writeLong(s.successes);
        out.writeLong(s.failures);
        out.writeLong(s.rateLimited);
        out.writeLong(s.latencyMillisTotal);
        out.writeLong(s.requestsConsumed);
        out.writeLong(s.tokensConsumed);
        out.writeInt(s.shares.size());
        for (var e : s.shares.entrySet()) {
            NodeShare share = e.getValue();
            out.writeUTF(e.getKey());
            out.writeDouble(share.calls);
            out.writeLong(share.waitingUntil);
        }
    }

    public static KeyState readState(DataInput in) throws IOException {
        String keyId = in.readUTF();
        KeyLimits limits = readLimits(in);
        KeyState s = new KeyState(keyId, limits, 0);
        s.learnedRequestLimit = in.readLong();
        s.learnedTokenLimit = in.readLong();
        s.freeRequests = in.readDouble();
        s.freeTokens = in.readDouble();
        s.refilledAt = in.readLong();
        int leases = in.readInt();
        for (int i = 0; i < leases; i++) {
            String node = in.readUTF();
            NodeLease l = new NodeLease();
            l.epoch = in.readLong();
            l.requests = in.readLong();
            l.tokens = in.readLong();
            l.slots = in.readInt();
            l.inFlight = in.readInt();
            l.expiresAt = in.readLong();
            s.leases.put(node, l);
        }
        s.lastEpoch = in.readLong();
        s.cooldownUntil = in.readLong();
        s.cooldownReason = readNullable(in);
        s.failureStreak = in.readInt();
        s.probePending = in.readBoolean();
        s.probeNode = readNullable(in);
        s.probeUntil = in.readLong();
        s.disabled = in.readBoolean();
        s.disabledReason = readNullable(in);
        s.contendedUntil = in.readLong();
        s.successes = in.readLong();
        s.failures = in.readLong();
        s.rateLimited = in.readLong();
        s.latencyMillisTotal = in.readLong();
        s.requestsConsumed = in.readLong();
        s.tokensConsumed = in.readLong();
        int shares = in.readInt();
        for (int i = 0; i < shares; i++) {
            String node = in.readUTF();
            NodeShare share = new NodeShare();
            share.calls = in.readDouble();
            share.waitingUntil = in.readLong();
            s.shares.put(node, share);
        }
        return s;
    }

    public static void writeGrant(DataOutput out, LeaseGrant g) throws IOException {
        out.writeLong(g.epoch());
        out.writeLong(g.requests());
        out.writeLong(g.tokens());
        out.writeInt(g.slots());
        out.writeLong(g.ttlMillis());
        out.writeLong(g.retryAfterMillis());
        writeNullable(out, g.blocked());
        out.writeBoolean(g.probe());
        out.writeBoolean(g.contended());
        out.writeBoolean(g.fresh());
    }

    public static LeaseGrant readGrant(DataInput in) throws IOException {
        return new LeaseGrant(
                in.readLong(),
                in.readLong(),
                in.readLong(),
                in.readInt(),
                in.readLong(),
                in.readLong(),
                readNullable(in),
                in.readBoolean(),
                in.readBoolean(),
                in.readBoolean());
    }

    public static void writeCommand(DataOutput out, KeyCommand command) throws IOException {
        command.writeTo(out);
    }

    public static KeyCommand readCommand(DataInput in) throws IOException {
        return KeyCommand.readFrom(in);
    }

    static void writeLimits(DataOutput out, KeyLimits l) throws IOException {
        out.writeLong(l.requests());
        out.writeLong(l.tokens());
        out.writeInt(l.concurrent());
        out.writeLong(l.windowMillis());
    }

    static KeyLimits readLimits(DataInput in) throws IOException {
        return new KeyLimits(in.readLong(), in.readLong(), in.readInt(), in.readLong());
    }

    static void writeNullable(DataOutput out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    static String readNullable(DataInput in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
