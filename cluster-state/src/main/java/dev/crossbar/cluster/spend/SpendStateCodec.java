package dev.crossbar.cluster.spend;

import dev.crossbar.cluster.seal.ClusterKeyring;
import dev.crossbar.cluster.seal.Envelope;
import dev.crossbar.cluster.seal.UnreadableValue;
import dev.crossbar.cluster.seal.UnreadableValue.Reason;
import dev.crossbar.cluster.seal.ValueKinds;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.TreeMap;

/**
 * A spend state's bytes in {@code crossbar.spend}: version 1 of its format in a signed envelope whose identity
 * is the subject, so nobody without the cluster key can lower a subject's spend, nor move one subject's spend
 * to another.
 */
public final class SpendStateCodec {

    public static final String MAP = "crossbar.spend";
    static final int WRITTEN = 1;
    private static final int MAX_NODES = 1024;

    private final ClusterKeyring keys;

    public SpendStateCodec(ClusterKeyring keys) {
        this.keys = keys;
    }

    public byte[] encode(String subject, SpendState state) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(96);
        try {
            write(new DataOutputStream(body), state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Envelope.sign(keys, ValueKinds.SPEND_STATE, WRITTEN, subject, body.toByteArray());
    }

    /** The authentic state of {@code subject}. @throws UnreadableValue for anything else */
    public SpendState decode(String subject, Object raw) {
        Envelope.Opened opened = Envelope.open(keys, ValueKinds.SPEND_STATE, subject, raw, false);
        if (opened.version() != WRITTEN) {
            throw new UnreadableValue(Reason.VERSION, "spend state format " + opened.version() + " is not known here");
        }
        try {
            DataInputStream in =
                    new DataInputStream(new ByteArrayInputStream(opened.bytes(), opened.offset(), opened.length()));
            SpendState state = read(in);
            if (!state.subject().equals(subject) || in.available() > 0) {
                throw new IOException("not a whole spend state of " + subject);
            }
            return state;
        } catch (IOException | RuntimeException e) {
            throw new UnreadableValue(Reason.MALFORMED, String.valueOf(e.getMessage()));
        }
    }

    static void write(DataOutput out, SpendState s) throws IOException {
        out.writeUTF(s.subject());
        out.writeByte(code(s.period()));
        out.writeLong(s.periodStart());
        out.writeLong(s.spentNanos());
        out.writeInt(s.reserved().size());
        for (var e : new TreeMap<>(s.reserved()).entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    static SpendState read(DataInput in) throws IOException {
        String subject = in.readUTF();
        Period period = period(in);
        long start = in.readLong();
        long spent = in.readLong();
        int n = in.readInt();
        if (n < 0 || n > MAX_NODES) {
            throw new IOException("reservations of " + n + " nodes");
        }
        TreeMap<String, Long> reserved = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            reserved.put(in.readUTF(), in.readLong());
        }
        return new SpendState(subject, period, start, spent, reserved);
    }

    /** A command on the wire (to the subject's partition owner). */
    public static void writeCommand(DataOutput out, SpendCommand command) throws IOException {
        if (command instanceof SpendCommand.Reserve r) {
            out.writeByte(1);
            out.writeUTF(r.node());
            out.writeByte(code(r.period()));
            out.writeLong(r.amountNanos());
            out.writeLong(r.limitNanos());
        } else if (command instanceof SpendCommand.Settle s) {
            out.writeByte(2);
            out.writeUTF(s.node());
            out.writeByte(code(s.period()));
            out.writeLong(s.periodStart());
            out.writeLong(s.reservedNanos());
            out.writeLong(s.actualNanos());
        } else if (command instanceof SpendCommand.Restore r) {
            out.writeByte(3);
            out.writeByte(code(r.period()));
            out.writeLong(r.spentNanos());
        } else {
            out.writeByte(4);
            out.writeUTF(((SpendCommand.ReclaimNode) command).node());
        }
    }

    public static SpendCommand readCommand(DataInput in) throws IOException {
        int type = in.readByte();
        return switch (type) {
            case 1 -> new SpendCommand.Reserve(in.readUTF(), period(in), in.readLong(), in.readLong());
            case 2 -> new SpendCommand.Settle(in.readUTF(), period(in), in.readLong(), in.readLong(), in.readLong());
            case 3 -> new SpendCommand.Restore(period(in), in.readLong());
            case 4 -> new SpendCommand.ReclaimNode(in.readUTF());
            default -> throw new IOException("spend command " + type + " is not known here");
        };
    }

    public static void writeAnswer(DataOutput out, SpendAnswer a) throws IOException {
        out.writeBoolean(a.granted());
        out.writeLong(a.periodStart());
        out.writeLong(a.periodEnd());
        out.writeLong(a.spentNanos());
        out.writeLong(a.reservedNanos());
    }

    public static SpendAnswer readAnswer(DataInput in) throws IOException {
        return new SpendAnswer(in.readBoolean(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
    }

    /** A period's code on the wire, fixed per constant: reordering the enum cannot change the format. */
    private static int code(Period period) {
        return switch (period) {
            case DAY -> 0;
            case MONTH -> 1;
        };
    }

    private static Period period(DataInput in) throws IOException {
        int p = in.readByte();
        return switch (p) {
            case 0 -> Period.DAY;
            case 1 -> Period.MONTH;
            default -> throw new IOException("unknown period " + p);
        };
    }
}
