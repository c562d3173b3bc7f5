package dev.crossbar.gateway.pricing;

import dev.crossbar.codecs.model.Usage;

/** The price of a model target, or the fact that it has none. */
public sealed interface Pricing {

    /** The cost of a request answered with {@code usage} ({@code estimated}: counted by the gateway). */
    Cost cost(Usage usage, boolean estimated);

    /**
     * A target's price and where it comes from.
     *
     * @param source where the price comes from: {@code models[i].targets[j].price}, {@code prices[i]}, or the
     *     shipped table with its date ({@code table 2026-07-24})
     */
    record Priced(Price price, String source) implements Pricing {
        @Override
        public Cost cost(Usage usage, boolean estimated) {
            return new Cost.Known(price.cost(usage), estimated);
        }
    }

    /** No price for this provider's model: its requests' cost is unknown, never zero. */
    record Unpriced(String provider, String model) implements Pricing {
        @Override
        public Cost cost(Usage usage, boolean estimated) {
            return new Cost.Unpriced(provider, model);
        }
    }
}
