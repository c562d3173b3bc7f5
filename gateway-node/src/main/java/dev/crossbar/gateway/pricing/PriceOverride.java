package dev.crossbar.gateway.pricing;

import dev.crossbar.gateway.config.PriceConfig;

/**
 * A price set through the admin API for one provider's model, as the cluster stores it (in the clear: a
 * price is no secret). It wins over the config and the shipped table on every node; {@code price} null is
 * the tombstone of a removed override.
 *
 * @param provider a provider id of the config
 * @param model    the model name that provider knows
 */
public record PriceOverride(String provider, String model, PriceConfig price) {

    /** The cluster map's key of a provider's model. */
    static String id(String provider, String model) {
        return provider + "/" + model;
    }
}
