package dev.crossbar.cluster.seal;

import dev.crossbar.cluster.seal.UnreadableValue.Reason;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The form of every value Crossbar puts in cluster state: a header naming the value's kind, the format
 * version of its body and the cluster key that protects it, then the body, either signed (HMAC-SHA256,
 * truncated to 16 bytes) or sealed (AES-256-GCM with a fresh 12-byte nonce). Either way the header and
 * the record's identity (its id in the map) are authenticated too, so a value cannot be moved to another
 * id, kind or version.
 *
 * <pre>
 * signed: 0xCB | kind | version | key id (4) | body ...            | tag (16)
 * sealed: 0xCB | kind | version | key id (4) | nonce (12) | ciphertext ... | GCM tag (16)
 * </pre>
 */
public final class Envelope {

    public static final byte MAGIC = (byte) 0xCB;
    static final int HEADER = 7;
    static final int TAG = 16;
    static final int NONCE = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Envelope() {}

    /** An authentic value's body (a slice of the value for signed ones) and what its header said. */
    @SuppressWarnings("ArrayRecordComponent") // a slice handed to one reader, never compared, hashed or printed
    public record Opened(int version, byte[] bytes, int offset, int length, boolean previousKey) {}

    /** Signs {@code body} with the current key. */
    public static byte[] sign(ClusterKeyring keys, int kind, int version, String identity, byte[] body) {
        ClusterKey key = keys.current();
        byte[] out = new byte[HEADER + body.length + TAG];
        header(out, kind, version, key);
        System.arraycopy(body, 0, out, HEADER, body.length);
        byte[] tag = tag(keys, key, out, HEADER, body.length, identity);
        System.arraycopy(tag, 0, out, HEADER + body.length, TAG);
        return out;
    }

    /** Encrypts {@code body} with the current key and a fresh nonce. */
    public static byte[] seal(ClusterKeyring keys, int kind, int version, String identity, byte[] body) {
        ClusterKey key = keys.current();
        byte[] out = new byte[HEADER + NONCE + body.length + TAG];
        header(out, kind, version, key);
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        System.arraycopy(nonce, 0, out, HEADER, NONCE);
        try {
            Cipher gcm = keys.cipher();
            gcm.init(Cipher.ENCRYPT_MODE, key.aesKey(), new GCMParameterSpec(TAG * 8, nonce));
            gcm.updateAAD(out, 0, HEADER);
            gcm.updateAAD(identityBytes(identity));
            gcm.doFinal(body, 0, body.length, out, HEADER + NONCE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
        return out;
    }

    /**
     * Checks a value read from cluster state and returns its body.
     *
     * @param value whatever the map held: anything but a byte array of this kind is foreign
     * @throws UnreadableValue when the value is foreign or not authentic under an accepted key
     */
    public static Opened open(ClusterKeyring keys, int kind, String identity, Object value, boolean sealed) {
        if (!(value instanceof byte[] bytes)) {
            throw new UnreadableValue(
                    Reason.FOREIGN,
                    "a " + (value == null ? "null" : value.getClass().getName()) + " where a Crossbar value belongs");
        }
        int minimum = HEADER + TAG + (sealed ? NONCE : 0);
        if (bytes.length < minimum || bytes[0] != MAGIC || bytes[1] != (byte) kind) {
            throw new UnreadableValue(Reason.FOREIGN, "bytes that are not a Crossbar value of this kind");
        }
        int version = bytes[2] & 0xff;
        int keyId =
                ((bytes[3] & 0xff) << 24) | ((bytes[4] & 0xff) << 16) | ((bytes[5] & 0xff) << 8) | (bytes[6] & 0xff);
        ClusterKey key = keys.key(keyId);
        if (key == null) {
            throw new UnreadableValue(
                    Reason.UNAUTHENTIC,
                    "a value under cluster key " + String.format("%08x", keyId) + ", not held here");
        }
        boolean previous = key != keys.current();
        if (!sealed) {
            int length = bytes.length - HEADER - TAG;
            byte[] expected = tag(keys, key, bytes, HEADER, length, identity);
            if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(bytes, HEADER + length, bytes.length))) {
                throw new UnreadableValue(Reason.UNAUTHENTIC, "a value whose signature does not match");
            }
            return new Opened(version, bytes, HEADER, length, previous);
        }
        try {
            Cipher gcm = keys.cipher();
            gcm.init(Cipher.DECRYPT_MODE, key.aesKey(), new GCMParameterSpec(TAG * 8, bytes, HEADER, NONCE));
            gcm.updateAAD(bytes, 0, HEADER);
            gcm.updateAAD(identityBytes(identity));
            byte[] body = gcm.doFinal(bytes, HEADER + NONCE, bytes.length - HEADER - NONCE);
            return new Opened(version, body, 0, body.length, previous);
        } catch (AEADBadTagException e) {
            throw new UnreadableValue(Reason.UNAUTHENTIC, "a sealed value that does not open under its key");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    private static void header(byte[] out, int kind, int version, ClusterKey key) {
        out[0] = MAGIC;
        out[1] = (byte) kind;
        out[2] = (byte) version;
        int id = key.id();
        out[3] = (byte) (id >>> 24);
        out[4] = (byte) (id >>> 16);
        out[5] = (byte) (id >>> 8);
        out[6] = (byte) id;
    }

    private static byte[] tag(
            ClusterKeyring keys, ClusterKey key, byte[] value, int bodyOffset, int bodyLength, String identity) {
        Mac mac = keys.mac(key);
        mac.update(value, 0, HEADER);
        mac.update(identityBytes(identity));
        mac.update(value, bodyOffset, bodyLength);
        return Arrays.copyOf(mac.doFinal(), TAG);
    }

    /** The identity with its length in front, so no two identities and bodies run into each other. */
    private static byte[] identityBytes(String identity) {
        byte[] id = identity.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[id.length + 2];
        out[0] = (byte) (id.length >>> 8);
        out[1] = (byte) id.length;
        System.arraycopy(id, 0, out, 2, id.length);
        return out;
    }
}
