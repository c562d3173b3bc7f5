package dev.crossbar.gateway.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.codecs.model.Usage;
import dev.crossbar.gateway.config.ConfigException;
import dev.crossbar.gateway.config.ConfigLoader;
import dev.crossbar.gateway.config.ProviderType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PricesTest {

    private static final String CONFIG = """
            clientKeys:
              - { name: app, key: client-secret-1 }
            providers:
              - id: oa
                type: openai
                baseUrl: https://api.openai.com/v1
                keys: [ { id: k1, secret: sk-test-123456789 } ]
              - id: claude
                type: anthropic
                baseUrl: https://api.anthropic.com
                keys: [ { id: k2, secret: sk-ant-123456789 } ]
              - id: local
                type: vllm
                baseUrl: http://127.0.0.1:8000/v1
            prices:
              - { provider: oa, model: gpt-4o, input: 2, output: 8 }
            models:
              - name: chat
                targets:
                  - { provider: oa, model: gpt-4o, price: { input: 1, output: 1, request: 0.01 } }
              - name: other
                targets: [ { provider: oa, model: gpt-4o } ]
              - name: sonnet
                targets: [ { provider: claude, model: claude-sonnet-4-5 } ]
              - name: mine
                targets: [ { provider: local, model: my-finetune } ]
            """;

    private final Prices prices =
            new Prices(new ConfigLoader(Map.<String, String>of()::get).parse(CONFIG), PriceTable.shipped());

    @Test
    void shouldTakeTheTargetsOwnPriceFirstThenTheConfigsThenTheTable() {
        Pricing own = prices.lookup("chat", "oa", "gpt-4o");
        assertEquals("models[0].targets[0].price", ((Pricing.Priced) own).source());
        assertCost("2.01", own.cost(Usage.of(1_000_000, 1_000_000), false));
        Pricing configured = prices.lookup("other", "oa", "gpt-4o");
        assertEquals("prices[0]", ((Pricing.Priced) configured).source());
        assertCost("10", configured.cost(Usage.of(1_000_000, 1_000_000), false));
        Pricing listed = prices.lookup("sonnet", "claude", "claude-sonnet-4-5");
        assertTrue(((Pricing.Priced) listed).source().startsWith("table 20"), ((Pricing.Priced) listed).source());
    }

    @Test
    void shouldPriceEveryKindOfTokenAtItsOwnRate() {
        // claude-sonnet-4-5: input 3, cache read 0.3, 5-minute write 3.75, 1-hour write 6, output 15 per million.
        Usage usage = new Usage(17_095, 503, 10_200, 4_800, 3_500, 410);
        // 2,095 uncached x 3 + 10,200 x 0.3 + 1,300 x 3.75 + 3,500 x 6 + 93 visible x 15 + 410 reasoning x 15
        assertCost(
                "0.042765",
                prices.lookup("sonnet", "claude", "claude-sonnet-4-5").cost(usage, false));
    }

    @Test
    void shouldPriceALongPromptWholeAtTheLongContextRates() {
        Pricing sonnet = prices.lookup("sonnet", "claude", "claude-sonnet-4-5");
        assertCost("0.615", sonnet.cost(Usage.of(200_000, 1_000), false)); // at the threshold: base rates
        assertCost("1.222506", sonnet.cost(Usage.of(200_001, 1_000), false)); // above it: 6 and 22.5 on all
    }

    @Test
    void shouldSayAModelWithoutAPriceIsUnpricedNeverFree() {
        Cost c = prices.lookup("mine", "local", "my-finetune").cost(Usage.of(10, 5), false);
        assertEquals(new Cost.Unpriced("local", "my-finetune"), c);
    }

    @Test
    void shouldFindTheShippedTablesModelsByNameAndDatedAlias() {
        PriceTable table = PriceTable.shipped();
        assertTrue(table.date().matches("\\d{4}-\\d{2}-\\d{2}"), table.date());
        assertEquals(table.find(ProviderType.OPENAI, "gpt-4o"), table.find(ProviderType.OPENAI, "gpt-4o-2024-08-06"));
        assertInstanceOf(Price.class, table.find(ProviderType.ANTHROPIC, "claude-haiku-4-5"));
        assertEquals(null, table.find(ProviderType.ANTHROPIC, "gpt-4o"), "a model is priced for its own provider");
    }

    @Test
    void shouldRejectAPriceForAnUnknownProviderOrTwice() {
        ConfigLoader loader = new ConfigLoader(Map.<String, String>of()::get);
        ConfigException unknown = assertThrows(
                ConfigException.class,
                () -> loader.parse(CONFIG.replace(
                        "{ provider: oa, model: gpt-4o, input", "{ provider: ox, model: gpt-4o, input")));
        assertEquals("prices[0].provider", unknown.field());
        ConfigException twice = assertThrows(
                ConfigException.class,
                () -> loader.parse(CONFIG.replace(
                        "prices:\n", "prices:\n  - { provider: oa, model: gpt-4o, input: 1, output: 1 }\n")));
        assertEquals("prices[1]", twice.field());
        ConfigException negative =
                assertThrows(ConfigException.class, () -> loader.parse(CONFIG.replace("input: 2,", "input: -2,")));
        assertEquals("prices[0].input", negative.field());
        assertTrue(negative.getMessage().contains("must be >= 0, was -2"), negative.getMessage());
        ConfigException noOutput = assertThrows(
                ConfigException.class, () -> loader.parse(CONFIG.replace("input: 2, output: 8", "input: 2")));
        assertTrue(noOutput.getMessage().contains("output"), noOutput.getMessage());
        assertTrue(noOutput.getMessage().contains("required"), noOutput.getMessage());
    }

    @Test
    void shouldRoundTheDisplayedCostToNanoDollarsButKeepItExact() {
        Cost.Known k = new Cost.Known(new BigDecimal("0.0000000015"), false);
        assertEquals("0.000000002", k.display());
        assertEquals(new BigDecimal("0.0000000015"), k.usd());
    }

    @Test
    void shouldDisplayEveryCostAsToPlainStringWould() {
        Random random = new Random(18);
        List<BigDecimal> costs = new ArrayList<>(List.of(
                BigDecimal.ZERO,
                new BigDecimal("0.0000000004999"),
                new BigDecimal("-0.0000000004"),
                new BigDecimal("-1.5000000005"),
                new BigDecimal("12345678901.123456789"),
                new BigDecimal("123456789012345678901234.5"),
                new BigDecimal("1E+3"),
                new BigDecimal("0.999999999500")));
        for (int i = 0; i < 2000; i++) {
            costs.add(BigDecimal.valueOf(random.nextLong() % 10_000_000_000_000L, random.nextInt(16)));
        }
        for (BigDecimal usd : costs) {
            String expected =
                    usd.setScale(Cost.DISPLAY_SCALE, RoundingMode.HALF_UP).toPlainString();
            assertEquals(expected, new Cost.Known(usd, false).display(), usd.toString());
        }
    }

    private static void assertCost(String usd, Cost actual) {
        Cost.Known known = assertInstanceOf(Cost.Known.class, actual);
        assertEquals(0, new BigDecimal(usd).compareTo(known.usd()), "expected " + usd + ", was " + known.usd());
    }
}
