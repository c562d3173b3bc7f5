package dev.crossbar.cluster.records;

import dev.crossbar.cluster.seal.ValueKinds;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * A price an admin set for one provider's model, as the cluster keeps it in {@code crossbar.prices}: signed
 * (a price is no secret, but nobody without the cluster key may make a model free or dear).
 *
 * @param provider a provider id of the config
 * @param model    the model name that provider knows
 * @param price    the price as the admin API's JSON object, or null: the tombstone of a removed price
 */
public record PriceRecord(
        String provider, String model, @Nullable String price) {

    public PriceRecord {
        if (provider == null || model == null) {
            throw new IllegalArgumentException("a price record needs a provider and a model");
        }
    }

    /** The record's id in the map. */
    public static String id(String provider, String model) {
        return provider + "/" + model;
    }

    /** Version 1: provider, model, price (nullable). */
    public static final RecordFormat<PriceRecord> FORMAT =
            new FixedFormat<>("crossbar.prices", ValueKinds.PRICE, false, 1) {
                @Override
                public void write(DataOutput out, PriceRecord r) throws IOException {
                    out.writeUTF(r.provider());
                    out.writeUTF(r.model());
                    Fields.writeNullable(out, r.price());
                }

                @Override
                public PriceRecord read(DataInput in, int version) throws IOException {
                    Fields.requireVersion(version, 1);
                    return new PriceRecord(in.readUTF(), in.readUTF(), Fields.readNullable(in));
                }
            };
}
