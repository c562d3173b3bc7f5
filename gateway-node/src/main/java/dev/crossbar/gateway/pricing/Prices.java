package dev.crossbar.gateway.pricing;

import dev.crossbar.gateway.config.GatewayConfig;
import dev.crossbar.gateway.config.ModelConfig;
import dev.crossbar.gateway.config.ModelPriceConfig;
import dev.crossbar.gateway.config.ProviderType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which price applies to a model target: an override set through the admin API for the provider and model,
 * then the target's own {@code price} in its model's config, then a {@code prices} entry for the provider and
 * model, then the shipped table for the provider's type and the model; otherwise the target is unpriced.
 * Immutable; rebuilt by {@link PriceDirectory} when an override changes.
 */
public final class Prices {

    /** The source of a price set through the admin API. */
    public static final String ADMIN = "admin";

    /** A provider (config id) serving a model. */
    private record ProviderModel(String provider, String model) {}

    /** A configured model's target: a provider (config id) serving an upstream model. */
    private record Target(String model, String provider, String upstreamModel) {}

    private final Map<ProviderModel, Pricing.Priced> overridden = new HashMap<>();
    private final Map<Target, Pricing.Priced> byTarget = new HashMap<>();
    private final Map<ProviderModel, Pricing.Priced> byProviderModel = new HashMap<>();
    private final Map<String, ProviderType> typeById = new HashMap<>();
    private final PriceTable table;
    private final String tableSource;

    /** Prices from the config and the table alone. */
    public Prices(GatewayConfig config, PriceTable table) {
        this(config, table, List.of());
    }

    public Prices(GatewayConfig config, PriceTable table, List<PriceOverride> overrides) {
        this.table = table;
        this.tableSource = "table " + table.date();
        for (PriceOverride o : overrides) {
            overridden.put(new ProviderModel(o.provider(), o.model()), new Pricing.Priced(Price.of(o.price()), ADMIN));
        }
        config.providers().forEach(p -> typeById.put(p.id(), p.providerType()));
        for (int i = 0; i < config.prices().size(); i++) {
            ModelPriceConfig p = config.prices().get(i);
            byProviderModel.put(
                    new ProviderModel(p.provider(), p.model()),
                    new Pricing.Priced(Price.of(p.price()), "prices[" + i + "]"));
        }
        for (int m = 0; m < config.models().size(); m++) {
            ModelConfig model = config.models().get(m);
            for (int t = 0; t < model.targets().size(); t++) {
                ModelConfig.TargetConfig target = model.targets().get(t);
                if (target.price() != null) {
                    byTarget.putIfAbsent(
                            new Target(model.name(), target.provider(), target.model()),
                            new Pricing.Priced(Price.of(target.price()), "models[" + m + "].targets[" + t + "].price"));
                }
            }
        }
    }

    /**
     * The price of a target: provider {@code providerId} (a config id) serving {@code upstreamModel} for the
     * configured model {@code modelName}.
     */
    public Pricing lookup(String modelName, String providerId, String upstreamModel) {
        ProviderModel providerModel = new ProviderModel(providerId, upstreamModel);
        Pricing.Priced set = overridden.isEmpty() ? null : overridden.get(providerModel);
        if (set != null) {
            return set;
        }
        Pricing.Priced own = byTarget.isEmpty() ? null : byTarget.get(new Target(modelName, providerId, upstreamModel));
        if (own != null) {
            return own;
        }
        Pricing.Priced configured = byProviderModel.get(providerModel);
        if (configured != null) {
            return configured;
        }
        ProviderType type = typeById.get(providerId);
        Price listed = type == null ? null : table.find(type, upstreamModel);
        if (listed != null) {
            return new Pricing.Priced(listed, tableSource);
        }
        return new Pricing.Unpriced(providerId, upstreamModel);
    }

    /** The date of the shipped table these prices fall back on. */
    public String tableDate() {
        return table.date();
    }
}
