package dev.crossbar.gateway.pricing;

import dev.crossbar.codecs.model.Usage;
import dev.crossbar.gateway.config.PriceConfig;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * What one model target costs: rates per million tokens of each kind, the rates of long prompts (input
 * above a threshold, as Gemini, Anthropic and OpenAI price them: the whole request at the higher rates), and
 * a charge per request.
 *
 * @param longContextAbove input tokens above which {@code longContext} applies; 0 when there is no such tier
 * @param longContext the rates of long prompts, or the base rates when there is no such tier
 */
public record Price(Rates base, long longContextAbove, Rates longContext, BigDecimal perRequest) {

    /** The price a config or table entry states, with each kind it leaves out resolved (see PriceConfig). */
    public static Price of(PriceConfig c) {
        BigDecimal cacheWrite = or(c.cacheWrite(), c.input());
        Rates base = new Rates(
                c.input(),
                or(c.cacheRead(), c.input()),
                cacheWrite,
                or(c.cacheWrite1h(), cacheWrite),
                c.output(),
                or(c.reasoning(), c.output()));
        PriceConfig.LongContextConfig l = c.longContext();
        if (l == null) {
            return new Price(base, 0, base, or(c.request(), BigDecimal.ZERO));
        }
        BigDecimal longInput = or(l.input(), base.input());
        BigDecimal longWrite = or(l.cacheWrite(), base.cacheWrite());
        Rates longRates = new Rates(
                longInput,
                or(l.cacheRead(), base.cacheRead()),
                longWrite,
                or(l.cacheWrite1h(), base.cacheWrite1h()),
                or(l.output(), base.output()),
                or(l.reasoning(), base.reasoning()));
        return new Price(base, l.aboveInputTokens(), longRates, or(c.request(), BigDecimal.ZERO));
    }

    /** The exact cost in US dollars of a request the provider answered with {@code usage}. */
    public BigDecimal cost(Usage usage) {
        Rates rates = longContextAbove > 0 && usage.inputTokens() > longContextAbove ? longContext : base;
        return rates.cost(usage).add(perRequest);
    }

    private static BigDecimal or(@Nullable BigDecimal value, BigDecimal fallback) {
        return value != null ? value : fallback;
    }
}
