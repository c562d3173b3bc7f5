package dev.crossbar.it;

import static dev.crossbar.it.TestConfig.budget;
import static dev.crossbar.it.TestConfig.clientKey;
import static dev.crossbar.it.TestConfig.key;
import static dev.crossbar.it.TestConfig.model;
import static dev.crossbar.it.TestConfig.price;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.gateway.config.TeamConfig;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clients see their budget's standing in response headers (issue 16 point 5): the tighter of the client key's
 * and its team's budgets, what is left of it as calls are spent, and when it starts again; a key with no budget
 * gets none.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BudgetHeadersIT {

    private static final String OWN = "client-key-own-budget";
    private static final String TEAM = "client-key-team-budget";
    private static final String FREE = "client-key-no-budget";

    @Test
    void shouldTellEachClientItsTighterBudgetWhatIsLeftAndWhenItResets() throws Exception {
        try (GatewayHarness gateway =
                new GatewayHarness(MockConfig.of(MockConfig.defaultKeys().toArray(MockKey[]::new)), config(), 1)) {
            Http.Reply first = ask(gateway, OWN, 0);
            assertEquals("client key 'own'", first.header("x-crossbar-budget"), "its own $2 is tighter than $5");
            assertEquals("2", first.header("x-crossbar-budget-limit-usd"));
            assertEquals(
                    LocalDate.now(ZoneOffset.UTC)
                            .plusDays(1)
                            .atStartOfDay()
                            .toInstant(ZoneOffset.UTC)
                            .toString(),
                    first.header("x-crossbar-budget-reset"),
                    "a daily budget starts again at the next UTC midnight");
            BigDecimal before = new BigDecimal(first.header("x-crossbar-budget-remaining-usd"));
            BigDecimal after = before;
            for (int i = 1; i < 20 && after.compareTo(before) >= 0; i++) {
                after = new BigDecimal(ask(gateway, OWN, i).header("x-crossbar-budget-remaining-usd"));
            }
            assertTrue(
                    after.compareTo(before) < 0,
                    "what is left goes down as calls are spent: " + before + " -> " + after);

            Http.Reply member = ask(gateway, TEAM, 0);
            assertEquals("team 'search'", member.header("x-crossbar-budget"));
            assertEquals("5", member.header("x-crossbar-budget-limit-usd"));
            assertTrue(
                    new BigDecimal(member.header("x-crossbar-budget-remaining-usd")).compareTo(new BigDecimal(5)) < 0,
                    "the team's budget holds what 'own' spent too");

            assertNull(ask(gateway, FREE, 0).header("x-crossbar-budget"), "no budget, no budget headers");
        }
    }

    private static Http.Reply ask(GatewayHarness gateway, String key, int n) throws Exception {
        Http.Reply r = ClientProtocol.CHAT.send(gateway.url(), key, "house", Conversation.ask("budget " + n), false);
        assertEquals(200, r.status(), r.body());
        return r;
    }

    /** A key with its own budget in a team with a bigger one, a key of that team, a key with none; a dear model. */
    static TestConfig config() {
        return TestConfig.openAi()
                .withNodeDefaults()
                .keys(key("oa-1", "mock-openai-1"))
                .clientKeys(
                        clientKey("own", OWN, "search", budget("2", "day")),
                        clientKey("member", TEAM, "search", null),
                        clientKey("free", FREE))
                .teams(Map.of("search", new TeamConfig(budget("5", "month"), null)))
                .prices(price("mock-openai", "house-model", "1000", "1000"))
                .models(model("house", "mock-openai", "house-model"));
    }
}
