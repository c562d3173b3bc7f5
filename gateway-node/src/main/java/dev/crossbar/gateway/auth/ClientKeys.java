package dev.crossbar.gateway.auth;

import dev.crossbar.cluster.records.ClientKeyRecord;
import dev.crossbar.cluster.seal.ClusterKey;
import dev.crossbar.cluster.seal.ClusterKeyring;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's view of the gateway client keys, held only as digests keyed with the cluster key
 * (HMAC-SHA256): without that key the digests let nobody test a guess. A presented key is digested and
 * looked up; the final comparison is constant-time, so timing tells an attacker nothing about near misses.
 * During a key rotation a record may still carry a digest made with the previous cluster key: the presented
 * key is then tried under that key too, and the match is reported so the record can be digested again
 * under the current key. A key that matched under the current cluster key is remembered (in this instance
 * only, at most one entry per client key, compared in constant time) so a client's later requests cost a
 * lookup instead of an HMAC. Otherwise immutable: the directory builds a new one, with nothing remembered,
 * whenever the cluster's set changes.
 */
public final class ClientKeys {

    private static final Logger LOG = LoggerFactory.getLogger(ClientKeys.class);

    /** Prefix of client-key entries in the ledger, apart from provider keys. */
    public static final String LEDGER_PREFIX = "client:";

    /** Keeps these digests apart from every other use of the cluster key. */
    private static final byte[] LABEL = "crossbar client key digest\u0000".getBytes(StandardCharsets.UTF_8);

    private static final Pattern DIGEST_HEX = Pattern.compile("[0-9a-f]{64}");

    /** A key matched under a previous cluster key: the record's digest under the current one. */
    public record Rekey(ClientKeyRecord record, String digest, int digestKey) {}

    @SuppressWarnings("ArrayRecordComponent") // a private holder, never compared, hashed or printed
    private record Entry(byte[] digest, ClientKey key, ClientKeyRecord record) {}

    private final ClusterKeyring keys;
    private final Consumer<Rekey> onPreviousKey;
    /** Digests by the cluster key they were made with; the current key's first. */
    private final Map<ClusterKey, Map<String, Entry>> byKey = new LinkedHashMap<>();
    /** Keys that matched under the current cluster key; bounded by the number of records. */
    private final Map<Presented, ClientKey> verified = new ConcurrentHashMap<>();

    private final int seed = new SecureRandom().nextInt();
    private final int verifiedCap;

    public ClientKeys(List<ClientKeyRecord> records, ClusterKeyring keys, Consumer<Rekey> onPreviousKey) {
        this.keys = keys;
        this.onPreviousKey = onPreviousKey;
        for (ClusterKey k : keys.accepted()) {
            byKey.put(k, new HashMap<>());
        }
        int unknownKey = 0;
        for (ClientKeyRecord r : records) {
            if (r.deleted() || !DIGEST_HEX.matcher(r.digest()).matches()) {
                continue; // a tombstone, or not a record this code wrote: it admits nobody
            }
            ClusterKey k = keys.key(r.digestKey());
            if (k == null) {
                unknownKey++;
                continue;
            }
            String ledgerId = r.limited() ? ledgerId(r.name()) : null;
            Objects.requireNonNull(byKey.get(k), "every accepted cluster key has its map")
                    .put(
                            r.digest(),
                            new Entry(
                                    HexFormat.of().parseHex(r.digest()),
                                    new ClientKey(r.name(), r.models(), ledgerId, r.team()),
                                    r));
        }
        if (unknownKey > 0) {
            LOG.warn(
                    "{} client keys have digests made with a cluster key this node does not hold; they admit"
                            + " nobody here (a rotation dropped the old key before they were used: create them again)",
                    unknownKey);
        }
        byKey.values().removeIf(Map::isEmpty);
        Map<String, Entry> current = byKey.get(keys.current());
        verifiedCap = current == null ? 0 : current.size();
    }

    /** The key's owner, or null when the key is missing or unknown. */
    public @Nullable ClientKey authenticate(@Nullable String presented) {
        if (presented == null || presented.isEmpty()) {
            return null;
        }
        Presented asked = new Presented(presented, seed);
        ClientKey known = verified.get(asked);
        if (known != null) {
            return known;
        }
        for (Map.Entry<ClusterKey, Map<String, Entry>> under : byKey.entrySet()) {
            byte[] digest = digest(keys, under.getKey(), presented);
            Entry entry = under.getValue().get(HexFormat.of().formatHex(digest));
            if (entry != null && MessageDigest.isEqual(entry.digest(), digest)) {
                if (under.getKey() != keys.current()) {
                    onPreviousKey.accept(new Rekey(
                            entry.record(),
                            hexDigest(keys, presented),
                            keys.current().id()));
                } else if (verified.size() < verifiedCap) {
                    verified.putIfAbsent(asked, entry.key());
                }
                return entry.key();
            }
        }
        return null;
    }

    /**
     * A presented key as a map key: hashed with this instance's random seed and compared in constant time
     * for its length, so neither where it lands nor how soon a comparison stops says anything about the
     * remembered keys. Never printed.
     */
    private static final class Presented {
        private final String key;
        private final int hash;

        Presented(String key, int seed) {
            this.key = key;
            int h = seed;
            for (int i = 0; i < key.length(); i++) {
                h = (h ^ key.charAt(i)) * 0x01000193;
            }
            this.hash = h ^ (h >>> 16);
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Presented other) || other.key.length() != key.length()) {
                return false;
            }
            int diff = 0;
            for (int i = 0; i < key.length(); i++) {
                diff |= key.charAt(i) ^ other.key.charAt(i);
            }
            return diff == 0;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return "Presented[redacted]";
        }
    }

    /** The ledger entry a client key's own limits are counted under. */
    public static String ledgerId(String name) {
        return LEDGER_PREFIX + name;
    }

    /** A client key's digest under the current cluster key, in hex: the only form it is kept in. */
    public static String hexDigest(ClusterKeyring keys, String clientKey) {
        return HexFormat.of().formatHex(digest(keys, keys.current(), clientKey));
    }

    /** HMAC-SHA256 of a client key under {@code key}. */
    static byte[] digest(ClusterKeyring keys, ClusterKey key, String clientKey) {
        Mac mac = keys.mac(key);
        mac.update(LABEL);
        return mac.doFinal(clientKey.getBytes(StandardCharsets.UTF_8));
    }
}
