package dev.crossbar.gateway.pricing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crossbar.gateway.config.PriceConfig;
import dev.crossbar.gateway.config.ProviderType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The dated table of list prices shipped with Crossbar ({@code crossbar-prices.json}): per provider family
 * (openai, anthropic, gemini, mistral, deepseek), each model by its name and its dated aliases, with where the
 * price came from. Read once; immutable.
 */
public final class PriceTable {

    public static final String RESOURCE = "/crossbar-prices.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final String date;
    /** By family, then model: looked up per priced request, without building a key. */
    private final Map<ProviderType, Map<String, Price>> byFamily;

    private PriceTable(String date, Map<ProviderType, Map<String, Price>> byFamily) {
        this.date = date;
        this.byFamily = new EnumMap<>(ProviderType.class);
        byFamily.forEach((family, prices) -> this.byFamily.put(family, Map.copyOf(prices)));
    }

    /** The table in the node's jar. */
    public static PriceTable shipped() {
        try (InputStream in = PriceTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return parse(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** A table in the shipped format. */
    static PriceTable parse(JsonNode table) {
        String date = table.path("date").asText(null);
        if (date == null) {
            throw new IllegalArgumentException("the price table has no date");
        }
        Map<ProviderType, Map<String, Price>> byFamily = new EnumMap<>(ProviderType.class);
        table.path("providers").fields().forEachRemaining(family -> {
            ProviderType type = ProviderType.byName(family.getKey());
            if (type == null) {
                throw new IllegalArgumentException("providers." + family.getKey() + ": not a provider type");
            }
            Map<String, Price> prices = byFamily.computeIfAbsent(type, t -> new HashMap<>());
            JsonNode models = family.getValue();
            for (int i = 0; i < models.size(); i++) {
                JsonNode model = models.get(i);
                String where = "providers." + family.getKey() + "[" + i + "]";
                Price price;
                try {
                    price = Price.of(JSON.treeToValue(model.path("price"), PriceConfig.class));
                } catch (IOException | IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ".price: " + e.getMessage(), e);
                }
                put(prices, model.path("model").asText(), price, where);
                for (JsonNode alias : model.path("aliases")) {
                    put(prices, alias.asText(), price, where);
                }
            }
        });
        return new PriceTable(date, byFamily);
    }

    private static void put(Map<String, Price> prices, String model, Price price, String where) {
        if (model.isEmpty() || prices.put(model, price) != null) {
            throw new IllegalArgumentException(where + ": model '" + model + "' is empty or listed twice");
        }
    }

    /** The date the table's prices were read from their sources. */
    public String date() {
        return date;
    }

    /** The list price of a model of this provider type, or null when the table has none. */
    public @Nullable Price find(ProviderType type, String model) {
        Map<String, Price> prices = byFamily.get(type);
        return prices == null ? null : prices.get(model);
    }
}
