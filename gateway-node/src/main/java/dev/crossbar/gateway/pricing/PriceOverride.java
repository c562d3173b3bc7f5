package dev.crossbar.gateway.pricing;

import dev.crossbar.gateway.config.PriceConfig;

/**
 * A price set through the admin API for one provider's model, in force on every node (the cluster keeps it
 * signed, in the clear: a price is no secret). It wins over the config and the shipped table.
 *
 * @param provider a provider id of the config
 * @param model    the model name that provider knows
 */
public record PriceOverride(String provider, String model, PriceConfig price) {}
