package dev.crossbar.gateway.config;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * A price for one provider's model ({@code prices} in the config), overriding the table shipped with
 * Crossbar: {@code provider} is a provider id of the config, {@code model} the model name that provider
 * knows. The other fields are those of {@link PriceConfig}.
 */
public record ModelPriceConfig(
        String provider,
        String model,
        BigDecimal input,
        @Nullable BigDecimal cacheRead,
        @Nullable BigDecimal cacheWrite,
        @Nullable BigDecimal cacheWrite1h,
        BigDecimal output,
        @Nullable BigDecimal reasoning,
        @Nullable BigDecimal request,
        PriceConfig.@Nullable LongContextConfig longContext) {

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
            @Nullable BigDecimal cacheRead,
            @Nullable BigDecimal cacheWrite,
            @Nullable BigDecimal cacheWrite1h,
            BigDecimal output,
            @Nullable BigDecimal reasoning,
            @Nullable BigDecimal request,
            PriceConfig.@Nullable LongContextConfig longContext) {
        return new PriceConfig(input, cacheRead, cacheWrite, cacheWrite1h, output, reasoning, request, longContext);
    }
}
