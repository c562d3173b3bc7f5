package dev.crossbar.gateway.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crossbar.gateway.config.ProviderType;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class PriceTableTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode table(String providers) throws Exception {
        return JSON.readTree("{\"date\":\"2026-07-24\",\"providers\":{" + providers + "}}");
    }

    private static String model(String name, String input, String... aliases) {
        return "{\"model\":\"" + name + "\",\"aliases\":[" + String.join(",", quoted(aliases))
                + "],\"price\":{\"input\":" + input + ",\"output\":2}}";
    }

    private static String[] quoted(String[] names) {
        String[] q = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            q[i] = "\"" + names[i] + "\"";
        }
        return q;
    }

    @Test
    void shouldFindAModelByItsFamilyAndByEachAlias() throws Exception {
        PriceTable t = PriceTable.parse(table("\"openai\":[" + model("gpt-x", "1", "gpt-x-2026") + "],"
                + "\"mistral\":[" + model("gpt-x", "3") + "]"));
        Price openai = t.find(ProviderType.OPENAI, "gpt-x");
        assertNotNull(openai);
        assertSame(openai, t.find(ProviderType.OPENAI, "gpt-x-2026"), "an alias has its model's price");
        assertNotNull(t.find(ProviderType.MISTRAL, "gpt-x"));
        assertNotEquals(openai, t.find(ProviderType.MISTRAL, "gpt-x"), "each family its own price");
        assertNull(t.find(ProviderType.MISTRAL, "gpt-x-2026"), "an alias belongs to its family");
        assertNull(t.find(ProviderType.ANTHROPIC, "gpt-x"), "a family the table has no entry for");
        assertNull(t.find(ProviderType.OPENAI, "gpt-y"));
        assertEquals("2026-07-24", t.date());
    }

    @Test
    void shouldRefuseAModelListedTwiceInAFamilyAndAFamilyThatIsNoProviderType() throws Exception {
        IllegalArgumentException twice = assertThrows(
                IllegalArgumentException.class,
                () -> PriceTable.parse(table("\"openai\":[" + model("a", "1") + "," + model("b", "1", "a") + "]")));
        assertTrue(
                twice.getMessage().contains("providers.openai[1]: model 'a' is empty or listed twice"),
                twice.getMessage());
        IllegalArgumentException unknown = assertThrows(
                IllegalArgumentException.class, () -> PriceTable.parse(table("\"acme\":[" + model("a", "1") + "]")));
        assertTrue(unknown.getMessage().contains("providers.acme: not a provider type"), unknown.getMessage());
    }

    @Test
    void shouldFindAShippedModelByATypeNamedInAnyCase() {
        ProviderType openai = Objects.requireNonNull(ProviderType.byName("OpenAI"));
        assertSame(ProviderType.OPENAI, openai);
        assertNull(ProviderType.byName("open-ai"));
        assertNotNull(PriceTable.shipped().find(openai, "gpt-4o-mini"));
    }
}
