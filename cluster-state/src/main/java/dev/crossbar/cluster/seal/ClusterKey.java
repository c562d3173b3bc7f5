package dev.crossbar.cluster.seal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One cluster key: 32 secret bytes every node reads from its own config, never from the cluster. Records
 * name the key they were sealed or signed with by its {@link #id()}, a fingerprint that reveals nothing of
 * the key. {@link #toString()} never shows the bytes.
 */
public final class ClusterKey {

    public static final int BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] ID_LABEL = "crossbar cluster key id".getBytes(StandardCharsets.UTF_8);

    private final SecretKeySpec hmacKey;
    private final SecretKeySpec aesKey;
    private final int id;

    private ClusterKey(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("a cluster key has " + BYTES + " bytes, this one " + bytes.length);
        }
        this.hmacKey = new SecretKeySpec(bytes, "HmacSHA256");
        this.aesKey = new SecretKeySpec(bytes, "AES");
        byte[] fingerprint = hmac(hmacKey, ID_LABEL);
        this.id = ((fingerprint[0] & 0xff) << 24)
                | ((fingerprint[1] & 0xff) << 16)
                | ((fingerprint[2] & 0xff) << 8)
                | (fingerprint[3] & 0xff);
        Arrays.fill(bytes, (byte) 0);
    }

    /**
     * Reads a key written as base64 (standard or URL-safe, padded or not) or as 64 hex digits. The message of
     * a refusal never repeats the text: it is a secret.
     *
     * @throws IllegalArgumentException when the text is not 32 bytes in one of those forms
     */
    public static ClusterKey parse(String text) {
        String t = text == null ? "" : text.strip();
        byte[] bytes = null;
        if (t.length() == 2 * BYTES && t.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            bytes = HexFormat.of().parseHex(t);
        } else {
            try {
                bytes = Base64.getDecoder().decode(t.replace('-', '+').replace('_', '/'));
            } catch (IllegalArgumentException notBase64) {
                // reported below without the text
            }
        }
        if (bytes == null || bytes.length != BYTES) {
            throw new IllegalArgumentException("must be " + BYTES + " random bytes in base64 (make one with"
                    + " 'openssl rand -base64 32') or 64 hex digits; this value is "
                    + (bytes == null ? "neither" : bytes.length + " bytes"));
        }
        return new ClusterKey(bytes);
    }

    /** A fresh random key (a node alone, whose records no other node reads). */
    public static ClusterKey random() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return new ClusterKey(bytes);
    }

    /** A new key as text, for {@code cluster.key} (what the demo and the local scripts generate). */
    public static String generateText() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** The key's fingerprint: records carry it to say which key sealed them. */
    public int id() {
        return id;
    }

    /** The fingerprint as 8 hex digits, for logs and the admin API. */
    public String idText() {
        return String.format("%08x", id);
    }

    SecretKeySpec hmacKey() {
        return hmacKey;
    }

    SecretKeySpec aesKey() {
        return aesKey;
    }

    private static byte[] hmac(SecretKeySpec key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    }

    @Override
    public String toString() {
        return "ClusterKey[" + idText() + "]";
    }
}
