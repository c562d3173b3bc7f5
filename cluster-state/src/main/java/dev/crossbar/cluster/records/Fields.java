package dev.crossbar.cluster.records;

import dev.crossbar.cluster.ledger.KeyLimits;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** Pieces the record formats share. */
final class Fields {

    private Fields() {}

    static void requireVersion(int version, int known) throws IOException {
        if (version != known) {
            throw new IOException("format " + version + " is not known here (this node reads " + known + ")");
        }
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

    static void writeLimits(DataOutput out, KeyLimits l) throws IOException {
        out.writeLong(l.requests());
        out.writeLong(l.tokens());
        out.writeInt(l.concurrent());
        out.writeLong(l.windowMillis());
    }

    static KeyLimits readLimits(DataInput in) throws IOException {
        return new KeyLimits(in.readLong(), in.readLong(), in.readInt(), in.readLong());
    }

    static int count(int n) throws IOException {
        if (n < 0 || n > 100_000) {
            throw new IOException("implausible count " + n);
        }
        return n;
    }
}
