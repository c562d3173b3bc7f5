package dev.crossbar.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BucketConfigTest {

    private static final String VALID = """
            clientKeys:
              - { name: app, key: client-secret-1 }
            providers:
              - id: oa
                type: openai
                baseUrl: https://api.openai.com/v1
                keys:
                  - { id: k1, secret: sk-one-0000000000, requests: 500 }
                  - { id: k2, secret: sk-two-0000000000 }
                  - { id: k3, secret: sk-three-00000000 }
                buckets:
                  - name: org
                    keys: [k1, k2]
                    windows:
                      - { window: 1m, requests: 100, tokens: 30000 }
                      - { window: 1d, requests: 10000 }
                  - name: per-model
                    models: [gpt-4o]
                    perModel: true
                    windows:
                      - { window: 1m, inputTokens: 4000, outputTokens: 800 }
            models:
              - name: gpt
                targets: [ { provider: oa, model: gpt-4o } ]
            """;

    private final ConfigLoader loader = new ConfigLoader(Map.<String, String>of()::get);

    @Test
    void shouldReadBucketsWithSeveralWindowsAndTokenParts() {
        ProviderConfig oa = loader.parse(VALID).providers().get(0);
        BucketConfig org = oa.buckets().get(0);
        assertEquals(List.of("k1", "k2"), org.keys());
        assertTrue(org.covers("k1"));
        assertFalse(org.covers("k3"));
        assertFalse(org.perModel());
        assertEquals(Duration.ofDays(1), org.windows().get(1).window());
        assertEquals(10000, org.windows().get(1).requests());
        assertEquals(0, org.windows().get(1).tokens());
        BucketConfig perModel = oa.buckets().get(1);
        assertTrue(perModel.covers("k3"), "no keys: every key of the provider");
        assertTrue(perModel.perModel());
        assertEquals(800, perModel.windows().get(0).outputTokens());
    }

    @Test
    void shouldNameAnUnknownKeyOfABucket() {
        ConfigException e = assertThrows(
                ConfigException.class, () -> loader.parse(VALID.replace("keys: [k1, k2]", "keys: [k1, k9]")));
        assertTrue(e.getMessage().contains("buckets[0].keys[1]"), e.getMessage());
        assertTrue(e.getMessage().contains("'k9'"), e.getMessage());
    }

    @Test
    void shouldRefuseABucketWithoutWindows() {
        String noWindows = VALID.replace("- { window: 1m, inputTokens: 4000, outputTokens: 800 }", "");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.parse(noWindows));
        assertTrue(e.getMessage().contains("windows"), e.getMessage());
        assertTrue(e.getMessage().contains("per-model"), e.getMessage());
    }

    @Test
    void shouldNameANonPositiveLimit() {
        ConfigException e = assertThrows(
                ConfigException.class, () -> loader.parse(VALID.replace("requests: 10000", "requests: -3")));
        assertEquals("providers[0].buckets[0].windows[1].requests", e.field());
        assertTrue(e.getMessage().contains("-3"), e.getMessage());
        ConfigException zero = assertThrows(
                ConfigException.class, () -> loader.parse(VALID.replace("outputTokens: 800", "outputTokens: 0")));
        assertEquals("providers[0].buckets[1].windows[0].outputTokens", zero.field());
    }

    @Test
    void shouldRefuseAWindowThatLimitsNothingOrComesTwice() {
        ConfigException nothing = assertThrows(
                ConfigException.class,
                () -> loader.parse(VALID.replace("{ window: 1d, requests: 10000 }", "{ window: 1d }")));
        assertTrue(nothing.getMessage().contains("limits nothing"), nothing.getMessage());
        ConfigException twice = assertThrows(
                ConfigException.class,
                () -> loader.parse(VALID.replace("{ window: 1d, requests: 10000 }", "{ window: 60s, requests: 9 }")));
        assertTrue(twice.getMessage().contains("given twice"), twice.getMessage());
    }

    @Test
    void shouldRefuseTwoBucketsOfOneName() {
        ConfigException e =
                assertThrows(ConfigException.class, () -> loader.parse(VALID.replace("name: per-model", "name: org")));
        assertTrue(e.getMessage().contains("buckets[1].name"), e.getMessage());
    }
}
