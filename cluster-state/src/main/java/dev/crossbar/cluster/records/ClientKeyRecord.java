package dev.crossbar.cluster.records;

import dev.crossbar.cluster.ledger.KeyLimits;
import dev.crossbar.cluster.seal.ValueKinds;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A gateway client key as the cluster keeps it in {@code crossbar.clientkeys}: never the key itself, only
 * its digest keyed with a cluster key (HMAC-SHA256), so the map's contents let nobody without that key test
 * a guess. Signed, so nobody without it can add a key or change one's models or limits.
 *
 * @param digest    the key's keyed digest in hex; empty for tombstones
 * @param digestKey the fingerprint of the cluster key the digest was made with
 * @param models    models the key may use ({@code *}: all)
 * @param deleted   a tombstone: the key was deleted and a config must not bring it back
 * @param team      the team the key belongs to, or null
 */
public record ClientKeyRecord(
        String name,
        String digest,
        int digestKey,
        List<String> models,
        KeyLimits limits,
        boolean deleted,
        @Nullable String team) {

    public ClientKeyRecord {
        if (name == null || digest == null || limits == null) {
            throw new IllegalArgumentException("a client key record needs a name, a digest and limits");
        }
        models = models == null ? List.of("*") : List.copyOf(models);
    }

    /** A key of no team. */
    public ClientKeyRecord(
            String name, String digest, int digestKey, List<String> models, KeyLimits limits, boolean deleted) {
        this(name, digest, digestKey, models, limits, deleted, null);
    }

    public static ClientKeyRecord tombstone(String name) {
        return new ClientKeyRecord(name, "", 0, List.of(), KeyLimits.UNLIMITED, true);
    }

    /** True when the key has limits of its own (then it has a ledger entry). */
    public boolean limited() {
        return limits.requests() > 0 || limits.tokens() > 0 || limits.concurrent() > 0;
    }

    /** The same key under a digest made with another cluster key (a rotation). */
    public ClientKeyRecord withDigest(String newDigest, int newDigestKey) {
        return new ClientKeyRecord(name, newDigest, newDigestKey, models, limits, deleted, team);
    }

    /** Version 1: name, digest, digest key, models, limits, deleted, team (nullable). */
    public static final RecordFormat<ClientKeyRecord> FORMAT =
            new FixedFormat<>("crossbar.clientkeys", ValueKinds.CLIENT_KEY, false, 1) {
                @Override
                public void write(DataOutput out, ClientKeyRecord r) throws IOException {
                    out.writeUTF(r.name());
                    out.writeUTF(r.digest());
                    out.writeInt(r.digestKey());
                    out.writeInt(r.models().size());
                    for (String m : r.models()) {
                        out.writeUTF(m);
                    }
                    Fields.writeLimits(out, r.limits());
                    out.writeBoolean(r.deleted());
                    Fields.writeNullable(out, r.team());
                }

                @Override
                public ClientKeyRecord read(DataInput in, int version) throws IOException {
                    Fields.requireVersion(version, 1);
                    String name = in.readUTF();
                    String digest = in.readUTF();
                    int digestKey = in.readInt();
                    int count = Fields.count(in.readInt());
                    List<String> models = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        models.add(in.readUTF());
                    }
                    KeyLimits limits = Fields.readLimits(in);
                    boolean deleted = in.readBoolean();
                    return new ClientKeyRecord(
                            name, digest, digestKey, models, limits, deleted, Fields.readNullable(in));
                }
            };
}
