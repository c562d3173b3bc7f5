package dev.crossbar.gateway.pricing;

import com.hazelcast.core.HazelcastInstance;
import dev.crossbar.gateway.config.GatewayConfig;
import dev.crossbar.gateway.config.PriceConfig;
import dev.crossbar.gateway.state.SharedRecords;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The prices every node applies: the node's config and the shipped table, under the overrides admins set
 * cluster-wide. Every node rebuilds its {@link Prices} as soon as an override changes anywhere.
 */
public final class PriceDirectory implements AutoCloseable {

    public static final String MAP = "crossbar.prices";

    private final SharedRecords<PriceOverride> shared;
    private final GatewayConfig config;
    private final PriceTable table;
    private volatile Prices current;

    /** Loads the cluster's overrides. Blocks: call off the event loop. */
    public PriceDirectory(HazelcastInstance hazelcast, GatewayConfig config, PriceTable table) {
        this.shared = new SharedRecords<>(hazelcast, MAP, PriceOverride.class);
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
        for (PriceOverride o : shared.all()) {
            if (o.price() != null) {
                live.add(o);
            }
        }
        live.sort(Comparator.comparing(PriceOverride::provider).thenComparing(PriceOverride::model));
        return live;
    }

    /** Sets a provider's model's price on every node. */
    public CompletionStage<Void> put(String provider, String model, PriceConfig price) {
        return shared.put(PriceOverride.id(provider, model), new PriceOverride(provider, model, price));
    }

    /** Removes an override on every node (the config's or the table's price applies again). */
    public CompletionStage<Void> remove(String provider, String model) {
        return shared.put(PriceOverride.id(provider, model), new PriceOverride(provider, model, null));
    }

    private void refresh() {
        current = new Prices(config, table, overrides());
    }

    @Override
    public void close() {
        shared.close();
    }
}
