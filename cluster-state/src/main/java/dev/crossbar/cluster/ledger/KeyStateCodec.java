package dev.crossbar.cluster.ledger;

import dev.crossbar.cluster.seal.ClusterKeyring;
import dev.crossbar.cluster.seal.Envelope;
import dev.crossbar.cluster.seal.UnreadableValue;
import dev.crossbar.cluster.seal.UnreadableValue.Reason;
import dev.crossbar.cluster.seal.ValueKinds;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A key state's bytes in cluster state: {@link KeyStateFormat} in a signed envelope whose identity is the
 * key id, so nobody without the cluster key can write a state a node will use, nor move one to another key.
 */
public final class KeyStateCodec {

    /** The map the states live in, as refusals and metrics name it. */
    public static final String MAP = "crossbar.keys";

    private final ClusterKeyring keys;

    public KeyStateCodec(ClusterKeyring keys) {
        this.keys = keys;
    }

    public byte[] encode(String keyId, KeyState state) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(256);
        try {
            KeyStateFormat.write(new DataOutputStream(body), state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Envelope.sign(keys, ValueKinds.KEY_STATE, KeyStateFormat.WRITTEN, keyId, body.toByteArray());
    }

    /** The authentic state under {@code keyId}. @throws UnreadableValue for anything else */
    public KeyState decode(String keyId, Object raw) {
        return open(keyId, raw).state();
    }

    /** A decoded state and whether it was signed with a previous cluster key. */
    public record Decoded(KeyState state, boolean previousKey) {}

    /**
     * Opens a stored state and says whether a previous cluster key signed it.
     *
     * @throws UnreadableValue when {@code raw} is not an authentic state of {@code keyId}
     */
    public Decoded open(String keyId, Object raw) {
        Envelope.Opened opened = Envelope.open(keys, ValueKinds.KEY_STATE, keyId, raw, false);
        if (!KeyStateFormat.reads(opened.version())) {
            throw new UnreadableValue(Reason.VERSION, "key state format " + opened.version() + " is not known here");
        }
        try {
            DataInputStream in =
                    new DataInputStream(new ByteArrayInputStream(opened.bytes(), opened.offset(), opened.length()));
            KeyState state = KeyStateFormat.read(in, opened.version());
            if (!state.keyId().equals(keyId) || in.available() > 0) {
                throw new IOException("not a whole state of " + keyId);
            }
            return new Decoded(state, opened.previousKey());
        } catch (IOException | RuntimeException e) {
            throw new UnreadableValue(Reason.MALFORMED, String.valueOf(e.getMessage()));
        }
    }
}
