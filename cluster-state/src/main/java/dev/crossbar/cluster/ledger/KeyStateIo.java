package dev.crossbar.cluster.ledger;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Binary form of the ledger's messages (commands and grants) and the pieces shared with {@link KeyStateFormat},
 * over plain {@link DataOutput} so any transport can use it.
 */
public final class KeyStateIo {

    private KeyStateIo() {}

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

    static void writeNullable(DataOutput out, @Nullable String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    static @Nullable String readNullable(DataInput in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
