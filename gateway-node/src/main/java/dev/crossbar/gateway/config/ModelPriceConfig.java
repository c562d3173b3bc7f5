package dev.crossbar.gateway.config;

import java.math.BigDecimal;

/**
 * A price for one provider's model ({@code prices} in the config), overriding the table shipped with
 * Crossbar: {@code provider} is a provider id of the config, {@code model} the model name that provider
 * knows. The other fields are those of {@link PriceConfig}.
 */
public record ModelPriceConfig(
        String provider,
        String model,
        BigDecimal input,
        BigDecimal cacheRead,
        BigDecimal cacheWrite,
        BigDecimal cacheWrite1h,
        BigDecimal output,
        BigDecimal reasoning,
        BigDecimal request,
        PriceConfig.LongContextConfig longContext) {

    public ModelPriceConfig {
        Check.required("provider", provider);
        Check.required("model", model);
        price(input, cacheRead, cacheWrite, cacheWrite1h, output, reasoning, request, longContext);
    }

    public PriceConfig price() {
        return price(input, cacheRead, cacheWrite, cacheWrite1h, output, reasoning, request, longContext);
    }

    private static PriceConfig price(
            BigDecimal input,
            BigDecimal cacheRead,
            BigDecimal cacheWrite,
            BigDecimal cacheWrite1h,
            BigDecimal output,
            BigDecimal reasoning,
            BigDecimal request,
            PriceConfig.LongContextConfig longContext) {
        return new PriceConfig(input, cacheRead, cacheWrite, cacheWrite1h, output, reasoning, request, longContext);
    }
}
