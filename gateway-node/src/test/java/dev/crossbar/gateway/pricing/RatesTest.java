package dev.crossbar.gateway.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crossbar.codecs.model.Usage;
import java.math.BigDecimal;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RatesTest {

    private static final List<String> RATES = List.of("0", "3", "15", "0.3", "3.75", "0.075", "1E+1", "2.5E-7");

    /** Each kind's tokens times its rate (zero tokens: zero), all summed, then over a million: the cost as defined. */
    private static BigDecimal byDefinition(Rates r, Usage u) {
        return times(u.uncachedInputTokens(), r.input())
                .add(times(u.cacheReadTokens(), r.cacheRead()))
                .add(times(u.cacheWrite5mTokens(), r.cacheWrite()))
                .add(times(u.cacheWrite1hTokens(), r.cacheWrite1h()))
                .add(times(u.visibleOutputTokens(), r.output()))
                .add(times(u.reasoningTokens(), r.reasoning()))
                .movePointLeft(6);
    }

    private static BigDecimal times(long tokens, BigDecimal rate) {
        return tokens == 0 ? BigDecimal.ZERO : BigDecimal.valueOf(tokens).multiply(rate);
    }

    @Test
    void shouldCostWhatTheDefinitionSaysToTheScaleForAnyTokensAndRates() {
        Random random = new Random(18);
        for (int i = 0; i < 5_000; i++) {
            Rates rates = new Rates(rate(random), rate(random), rate(random), rate(random), rate(random), rate(random));
            long input = tokens(random);
            long cacheRead = Math.min(input, tokens(random));
            long cacheWrite = Math.min(input - cacheRead, tokens(random));
            long cacheWrite1h = Math.min(cacheWrite, tokens(random));
            long output = tokens(random);
            long reasoning = Math.min(output, tokens(random));
            Usage usage = new Usage(input, output, cacheRead, cacheWrite, cacheWrite1h, reasoning);
            BigDecimal expected = byDefinition(rates, usage);
            BigDecimal cost = rates.cost(usage);
            // equals, not compareTo: the scale (and so what is displayed) is the definition's too.
            assertEquals(expected, cost, () -> rates + " " + usage);
        }
        Rates any = new Rates(d("3"), d("0.3"), d("3.75"), d("6"), d("15"), d("15"));
        assertEquals(new BigDecimal("0.000000"), any.cost(Usage.ZERO));
    }

    private static BigDecimal rate(Random random) {
        return d(RATES.get(random.nextInt(RATES.size())));
    }

    private static long tokens(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> 0;
            case 1 -> random.nextInt(5_000);
            default -> random.nextInt(2_000_000);
        };
    }

    private static BigDecimal d(String value) {
        return new BigDecimal(value);
    }
}
