package dev.crossbar.gateway.pricing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crossbar.cluster.records.PriceRecord;
import dev.crossbar.cluster.records.RecordStore;
import dev.crossbar.gateway.config.GatewayConfig;
import dev.crossbar.gateway.config.PriceConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The prices every node applies: the node's config and the shipped table, under the overrides admins set
 * cluster-wide. Every node rebuilds its {@link Prices} as soon as an override changes anywhere.
 */
public final class PriceDirectory {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RecordStore<PriceRecord> shared;
    private final GatewayConfig config;
    private final PriceTable table;
    private volatile Prices current;

    /** Loads the cluster's overrides. Blocks: call off the event loop. */
    public PriceDirectory(RecordStore<PriceRecord> shared, GatewayConfig config, PriceTable table) {
        this.shared = shared;
        this.config = config;
        this.table = table;
        shared.watch(this::refresh);
        refresh();
    }

    /** The prices this node applies now; never blocks. */
    public Prices current() {
        return current;
    }

    /** Every override in force, by provider and model. Blocks: call off the event loop. */
    public List<PriceOverride> overrides() {
        List<PriceOverride> live = new ArrayList<>();
        for (PriceRecord r : shared.all().values()) {
            PriceConfig price = read(r.price());
            if (price != null) {
                live.add(new PriceOverride(r.provider(), r.model(), price));
            }
        }
        live.sort(Comparator.comparing(PriceOverride::provider).thenComparing(PriceOverride::model));
        return live;
    }

    /** Sets a provider's model's price on every node. */
    public CompletionStage<Void> put(String provider, String model, PriceConfig price) {
        try {
            return shared.put(
                    PriceRecord.id(provider, model), new PriceRecord(provider, model, JSON.writeValueAsString(price)));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a price that cannot be written: " + e.getOriginalMessage(), e);
        }
    }

    /** Removes an override on every node (the config's or the table's price applies again). */
    public CompletionStage<Void> remove(String provider, String model) {
        return shared.put(PriceRecord.id(provider, model), new PriceRecord(provider, model, null));
    }

    /** The price a record holds, or null for a tombstone or a price this version cannot read. */
    private static @Nullable PriceConfig read(@Nullable String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, PriceConfig.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private void refresh() {
        current = new Prices(config, table, overrides());
    }
}
