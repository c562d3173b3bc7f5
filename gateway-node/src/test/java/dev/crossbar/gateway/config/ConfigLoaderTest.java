package dev.crossbar.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.codecs.spi.Protocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final String VALID = """
            clientKeys:
              - { name: app, key: client-secret-1 }
            providers:
              - id: oa
                type: openai
                baseUrl: https://api.openai.com/v1
                keys:
                  - { id: k1, secret: "${OPENAI_KEY}", requests: 500, tokens: 30000, concurrent: 4, window: 30s }
            models:
              - name: gpt
                aliases: [gpt-4o]
                targets: [ { provider: oa, model: gpt-4o } ]
            """;

    private final ConfigLoader loader = new ConfigLoader(Map.of("OPENAI_KEY", "sk-test-123456789")::get);

    @Test
    void shouldReadAValidConfigWithDefaults() {
        GatewayConfig config = loader.parse(VALID);
        assertEquals(8080, config.node().port());
        assertEquals(
                "sk-test-123456789", config.providers().get(0).keys().get(0).secret());
        assertEquals(
                Duration.ofSeconds(30), config.providers().get(0).keys().get(0).window());
        assertEquals("least-utilised", config.routing().strategy());
        assertEquals(
                500,
                config.providers().get(0).keys().get(0).limits().toKeyLimits().requests());
    }

    @Test
    void shouldNameTheUnknownFieldOfATypo() {
        ConfigException e =
                assertThrows(ConfigException.class, () -> loader.parse(VALID.replace("requests: 500", "requets: 500")));
        assertEquals("providers[0].keys[0].requets", e.field());
        assertTrue(e.getMessage().contains("unknown field 'requets'"), e.getMessage());
        assertTrue(e.getMessage().contains("requests"), "lists the known fields: " + e.getMessage());
    }

    @Test
    void shouldNameTheFieldOfAnInvalidValue() {
        ConfigException e =
                assertThrows(ConfigException.class, () -> loader.parse(VALID.replace("requests: 500", "requests: -5")));
        assertEquals("providers[0].keys[0].requests", e.field());
        assertTrue(e.getMessage().contains("-5"), e.getMessage());
    }

    @Test
    void shouldRejectAWrongType() {
        ConfigException e = assertThrows(
                ConfigException.class, () -> loader.parse(VALID.replace("concurrent: 4", "concurrent: lots")));
        assertEquals("providers[0].keys[0].concurrent", e.field());
    }

    @Test
    void shouldRejectABadDuration() {
        ConfigException e =
                assertThrows(ConfigException.class, () -> loader.parse(VALID.replace("window: 30s", "window: soon")));
        assertTrue(e.getMessage().contains("30s"), "says how to write one: " + e.getMessage());
    }

    @Test
    void shouldNameAMissingEnvironmentVariable() {
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(name -> null).parse(VALID));
        assertEquals("providers[0].keys[0].secret", e.field());
        assertTrue(e.getMessage().contains("OPENAI_KEY"));
    }

    @Test
    void shouldReadSecretsFromFiles(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("key.txt");
        Files.writeString(secret, "sk-from-file-0000\n");
        GatewayConfig config = loader.parse(VALID.replace("${OPENAI_KEY}", "${file:" + secret + "}"));
        assertEquals(
                "sk-from-file-0000", config.providers().get(0).keys().get(0).secret());
    }

    @Test
    void shouldRejectATargetOnAnUnknownProvider() {
        ConfigException e =
                assertThrows(ConfigException.class, () -> loader.parse(VALID.replace("provider: oa", "provider: ao")));
        assertEquals("models[0].targets[0].provider", e.field());
    }

    @Test
    void shouldRejectAnUnknownProviderType() {
        ConfigException e =
                assertThrows(ConfigException.class, () -> loader.parse(VALID.replace("type: openai", "type: openia")));
        assertEquals("providers[0].type", e.field());
        assertTrue(e.getMessage().contains("anthropic"), "lists the known types: " + e.getMessage());
    }

    @Test
    void shouldPutTheFileNameInFront(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("crossbar.yaml");
        Files.writeString(file, VALID.replace("requests: 500", "rpm: 500"));
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file));
        assertTrue(e.getMessage().startsWith(file + ": providers[0].keys[0]"), e.getMessage());
    }

    @Test
    void demoConfigIsValid() {
        GatewayConfig demo = new ConfigLoader(name -> null).load(Path.of("..", "examples", "demo.yaml"));
        assertEquals(4, demo.models().size());
        assertEquals("crossbar-demo", demo.clientKeys().get(0).key());
    }

    @Test
    void shouldSpeakTheResponsesApiToAProviderThatAsksForIt() {
        GatewayConfig config = loader.parse(VALID.replace("baseUrl:", "api: responses\n    baseUrl:"));
        assertEquals(Protocol.OPENAI_RESPONSES, config.providers().get(0).protocol());
        assertEquals(
                Protocol.OPENAI_CHAT, loader.parse(VALID).providers().get(0).protocol(), "chat by default");
    }

    @Test
    void shouldRefuseTheResponsesApiForProvidersThatDoNotOfferIt() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> loader.parse(VALID.replace("type: openai", "type: anthropic")
                        .replace("baseUrl:", "api: responses\n    baseUrl:")));
        assertEquals("providers[0].api", e.field());
        assertTrue(e.getMessage().contains("api: responses"), e.getMessage());
        ConfigException unknown = assertThrows(
                ConfigException.class, () -> loader.parse(VALID.replace("baseUrl:", "api: assistants\n    baseUrl:")));
        assertTrue(unknown.getMessage().contains("providers[0].api: must be chat or responses"), unknown.getMessage());
    }

    @Test
    void shouldReadTheBuiltinToolPolicyOfAModel() {
        assertEquals(BuiltinToolPolicy.DROP, loader.parse(VALID).models().get(0).builtinToolPolicy());
        GatewayConfig refusing = loader.parse(VALID.replace("aliases:", "builtinTools: refuse\n    aliases:"));
        assertEquals(BuiltinToolPolicy.REFUSE, refusing.models().get(0).builtinToolPolicy());
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> loader.parse(VALID.replace("aliases:", "builtinTools: ignore\n    aliases:")));
        assertTrue(e.getMessage().contains("models[0].builtinTools: must be drop or refuse"), e.getMessage());
    }
}
