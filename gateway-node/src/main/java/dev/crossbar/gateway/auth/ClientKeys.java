package dev.crossbar.gateway.auth;

import dev.crossbar.gateway.auth.ClientKeyDirectory.ClientKeyRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One node's view of the gateway client keys, held only as SHA-256 digests. A presented key is digested
 * and looked up; the final comparison is constant-time, so timing tells an attacker nothing about near
 * misses. Immutable: the directory builds a new one whenever the cluster's set changes.
 */
public final class ClientKeys {

    /** Prefix of client-key entries in the ledger, apart from provider keys. */
    public static final String LEDGER_PREFIX = "client:";

    /**
     * One digest per thread: {@code MessageDigest.getInstance} looks the algorithm up in the security
     * providers on every call, which showed in the request path's profile (docs/benchmarks.md).
     */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    });

    private static final Pattern SHA_256_HEX = Pattern.compile("[0-9a-f]{64}");

    private final Map<String, Entry> byDigest = new HashMap<>();

    @SuppressWarnings("ArrayRecordComponent") // a private holder, never compared, hashed or printed
    private record Entry(byte[] digest, ClientKey key) {}

    public ClientKeys(List<ClientKeyRecord> records) {
        for (ClientKeyRecord r : records) {
            if (r.sha256() == null || !SHA_256_HEX.matcher(r.sha256()).matches()) {
                continue; // not a record this code wrote: it admits nobody
            }
            byte[] digest = HexFormat.of().parseHex(r.sha256());
            String ledgerId = r.limited() ? ledgerId(r.name()) : null;
            byDigest.put(r.sha256(), new Entry(digest, new ClientKey(r.name(), r.models(), ledgerId)));
        }
    }

    /** The key's owner, or null when the key is missing or unknown. */
    public ClientKey authenticate(String presented) {
        if (presented == null || presented.isEmpty()) {
            return null;
        }
        byte[] digest = digest(presented);
        Entry entry = byDigest.get(HexFormat.of().formatHex(digest));
        if (entry == null || !MessageDigest.isEqual(entry.digest(), digest)) {
            return null;
        }
        return entry.key();
    }

    /** The ledger entry a client key's own limits are counted under. */
    public static String ledgerId(String name) {
        return LEDGER_PREFIX + name;
    }

    /** SHA-256 of a secret, in hex: the only form client keys are kept in, in memory and in cluster state. */
    public static String hexDigest(String secret) {
        return HexFormat.of().formatHex(digest(secret));
    }

    /** SHA-256 of a secret. */
    public static byte[] digest(String secret) {
        MessageDigest sha = SHA_256.get();
        sha.reset();
        return sha.digest(secret.getBytes(StandardCharsets.UTF_8));
    }
}
