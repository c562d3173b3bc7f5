package dev.crossbar.cluster.records;

import dev.crossbar.cluster.ledger.KeyLimits;
import dev.crossbar.cluster.seal.ValueKinds;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * A provider key as the cluster keeps it in {@code crossbar.keyconfig}: sealed, because it holds the secret.
 *
 * @param secret  the provider's API key; null for keyless upstreams and tombstones
 * @param deleted a tombstone: the key was deleted and a config must not bring it back
 * @param order   the order keys are tried in (config order, then the time an admin added them)
 */
public record ProviderKeyRecord(
        String id,
        String providerId,
        @Nullable String secret,
        KeyLimits limits,
        int weight,
        boolean deleted,
        long order) {

    public ProviderKeyRecord {
        if (id == null || providerId == null || limits == null) {
            throw new IllegalArgumentException("a provider key record needs an id, a provider and limits");
        }
    }

    /** What stays of a deleted key: its id and provider, so its place is taken and nothing more. */
    public ProviderKeyRecord tombstone() {
        return new ProviderKeyRecord(id, providerId, null, KeyLimits.UNLIMITED, 1, true, order);
    }

    /** Never the secret. */
    @Override
    public String toString() {
        return "ProviderKeyRecord[" + id + " of " + providerId + (deleted ? ", deleted" : "") + "]";
    }

    /** Version 1: id, provider, secret (nullable), limits, weight, deleted, order. */
    public static final RecordFormat<ProviderKeyRecord> FORMAT =
            new FixedFormat<>("crossbar.keyconfig", ValueKinds.PROVIDER_KEY, true, 1) {
                @Override
                public void write(DataOutput out, ProviderKeyRecord r) throws IOException {
                    out.writeUTF(r.id());
                    out.writeUTF(r.providerId());
                    Fields.writeNullable(out, r.secret());
                    Fields.writeLimits(out, r.limits());
                    out.writeInt(r.weight());
                    out.writeBoolean(r.deleted());
                    out.writeLong(r.order());
                }

                @Override
                public ProviderKeyRecord read(DataInput in, int version) throws IOException {
                    Fields.requireVersion(version, 1);
                    return new ProviderKeyRecord(
                            in.readUTF(),
                            in.readUTF(),
                            Fields.readNullable(in),
                            Fields.readLimits(in),
                            in.readInt(),
                            in.readBoolean(),
                            in.readLong());
                }
            };
}
