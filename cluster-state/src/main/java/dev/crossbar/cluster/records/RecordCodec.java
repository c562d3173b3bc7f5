package dev.crossbar.cluster.records;

import dev.crossbar.cluster.seal.ClusterKeyring;
import dev.crossbar.cluster.seal.Envelope;
import dev.crossbar.cluster.seal.UnreadableValue;
import dev.crossbar.cluster.seal.UnreadableValue.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** A record's bytes in cluster state: its format inside the cluster key's envelope, with the id as identity. */
public final class RecordCodec<R> {

    private final RecordFormat<R> format;
    private final ClusterKeyring keys;

    public RecordCodec(RecordFormat<R> format, ClusterKeyring keys) {
        this.format = format;
        this.keys = keys;
    }

    /** An authentic record, and whether it was written under a previous cluster key (to be resealed). */
    public record Decoded<R>(R record, boolean previousKey) {}

    public RecordFormat<R> format() {
        return format;
    }

    public byte[] encode(String id, R record) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(128);
        try {
            format.write(new DataOutputStream(body), record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return format.sealed()
                ? Envelope.seal(keys, format.kind(), format.written(), id, body.toByteArray())
                : Envelope.sign(keys, format.kind(), format.written(), id, body.toByteArray());
    }

    /**
     * Opens a stored record.
     *
     * @throws UnreadableValue when {@code raw} is not an authentic record of this kind under {@code id}
     */
    public Decoded<R> decode(String id, Object raw) {
        Envelope.Opened opened = Envelope.open(keys, format.kind(), id, raw, format.sealed());
        try {
            DataInputStream in =
                    new DataInputStream(new ByteArrayInputStream(opened.bytes(), opened.offset(), opened.length()));
            R record = format.read(in, opened.version());
            if (in.available() > 0) {
                throw new IOException(in.available() + " bytes left over");
            }
            return new Decoded<>(record, opened.previousKey());
        } catch (IOException | RuntimeException e) {
            Reason reason = opened.version() > format.written() ? Reason.VERSION : Reason.MALFORMED;
            throw new UnreadableValue(reason, "format " + opened.version() + ": " + e.getMessage());
        }
    }
}
