package dev.crossbar.cluster.seal;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import org.jspecify.annotations.Nullable;

/**
 * The cluster keys a node holds: the current one, which seals and signs everything it writes, and the
 * previous ones it still accepts when reading (a rotation in progress). Thread-safe; the MACs and ciphers
 * are kept per thread, since looking them up in the JDK's providers costs more than using them.
 */
public final class ClusterKeyring {

    private final ClusterKey current;
    private final List<ClusterKey> accepted;
    private final Map<Integer, ClusterKey> byId = new HashMap<>();
    private final boolean ephemeral;
    private final ThreadLocal<Map<Integer, Mac>> macs = ThreadLocal.withInitial(HashMap::new);
    private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(ClusterKeyring::newCipher);

    private ClusterKeyring(ClusterKey current, List<ClusterKey> previous, boolean ephemeral) {
        this.current = current;
        List<ClusterKey> all = new ArrayList<>();
        all.add(current);
        for (ClusterKey k : previous) {
            if (byId.containsKey(k.id()) || k.id() == current.id()) {
                continue;
            }
            all.add(k);
            byId.put(k.id(), k);
        }
        byId.put(current.id(), current);
        this.accepted = List.copyOf(all);
        this.ephemeral = ephemeral;
    }

    /** The configured keys: {@code current} writes, {@code previous} are accepted too. */
    public static ClusterKeyring of(ClusterKey current, List<ClusterKey> previous) {
        return new ClusterKeyring(current, previous, false);
    }

    /**
     * A random key that lives only in this process: for a node alone, whose cluster state no other node reads.
     */
    public static ClusterKeyring random() {
        return new ClusterKeyring(ClusterKey.random(), List.of(), true);
    }

    public ClusterKey current() {
        return current;
    }

    /** The current key first, then the previous ones. */
    public List<ClusterKey> accepted() {
        return accepted;
    }

    /** The accepted key with this fingerprint, or null. */
    public @Nullable ClusterKey key(int id) {
        return byId.get(id);
    }

    /** True when the key is random and in memory only (no {@code cluster.key} configured). */
    public boolean isEphemeral() {
        return ephemeral;
    }

    /** This thread's HMAC-SHA256 under {@code key}, reset and ready. */
    public Mac mac(ClusterKey key) {
        Map<Integer, Mac> mine = macs.get();
        Mac mac = mine.get(key.id());
        if (mac == null) {
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(key.hmacKey());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK lacks HmacSHA256", e);
            }
            mine.put(key.id(), mac);
        } else {
            mac.reset();
        }
        return mac;
    }

    /** HMAC-SHA256 of {@code data} under {@code key}. */
    public byte[] hmac(ClusterKey key, byte[] data) {
        return mac(key).doFinal(data);
    }

    Cipher cipher() {
        return ciphers.get();
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES-GCM", e);
        }
    }

    @Override
    public String toString() {
        return "ClusterKeyring[current " + current.idText() + ", " + (accepted.size() - 1) + " previous"
                + (ephemeral ? ", ephemeral" : "") + "]";
    }
}
