package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.gateway.config.BodyFieldsConfig;
import dev.crossbar.gateway.config.ClientKeyConfig;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Clients cannot spend the account's features (issue 14 point 7), through a real node to the mock providers: a
 * body passed through loses the fields its provider's policy refuses (the default drops {@code service_tier} and
 * {@code background}), the client hears which in {@code x-crossbar-dropped-fields} and the access log notes them;
 * a client key's own list narrows the provider's, and a policy that refuses answers 400 naming the field in the
 * client protocol's shape, before any provider is called.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FieldPolicyIT {

    private static final String KEY = "policy-client-1";
    private static final String CAREFUL = "policy-client-2";
    private static final String HEADER = "x-crossbar-dropped-fields";

    private GatewayHarness gateway;
    private AccessLines access;

    @BeforeAll
    void start() throws Exception {
        gateway = new GatewayHarness(MockConfig.of(MockConfig.defaultKeys().toArray(MockKey[]::new)), config(), 1);
        access = AccessLines.capture();
    }

    @AfterAll
    void stop() throws Exception {
        if (access != null) {
            access.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @BeforeEach
    void forget() {
        gateway.mock().reset();
    }

    @Test
    void shouldDropWhatTheDefaultPolicyDeniesAndSaySo() throws Exception {
        Http.Reply r =
                Http.post(gateway.url() + "/v1/messages", """
                {"model":"on-anthropic","max_tokens":50,"service_tier":"auto","messages":[{"role":"user","content":"hi"}],
                 "metadata":{"user_id":"u-1"}}""", "x-api-key", KEY, "anthropic-version", "2023-06-01");
        assertEquals(200, r.status(), r.body());
        assertEquals("service_tier", r.header(HEADER));
        JsonNode sent = gateway.mock().lastRequest().json();
        assertFalse(sent.has("service_tier"), sent.toString());
        assertEquals("u-1", sent.at("/metadata/user_id").asText(), "metadata goes by default");
        assertTrue(awaitLine("dropped_fields=service_tier"), access.lines().toString());
    }

    @Test
    void shouldSendADeniedStoreAsFalse() throws Exception {
        Http.Reply r = Http.post(gateway.url() + "/v1/chat/completions", """
                {"model":"on-openai","store":true,"prompt_cache_key":"k","user":"u",
                 "messages":[{"role":"user","content":"hi"}]}""", Http.bearer(KEY));
        assertEquals(200, r.status(), r.body());
        assertEquals("store,prompt_cache_key", r.header(HEADER));
        JsonNode sent = gateway.mock().lastRequest().json();
        assertFalse(sent.path("store").asBoolean(true), sent.toString());
        assertFalse(sent.has("prompt_cache_key"), sent.toString());
        assertEquals("u", sent.path("user").asText());
    }

    @Test
    void shouldLetThroughWhatNoPolicyDenies() throws Exception {
        Http.Reply r = Http.post(
                gateway.url() + "/v1/chat/completions",
                "{\"model\":\"on-openai\",\"metadata\":{\"a\":\"b\"},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                Http.bearer(KEY));
        assertEquals(200, r.status(), r.body());
        assertNull(r.header(HEADER));
        assertEquals("b", gateway.mock().lastRequest().json().at("/metadata/a").asText());
    }

    @Test
    void shouldRefuseWhatAClientKeysPolicyRefusesNamingItInTheClientsShape() throws Exception {
        Http.Reply anthropic =
                Http.post(gateway.url() + "/v1/messages", """
                {"model":"on-anthropic","max_tokens":50,"messages":[{"role":"user","content":"hi"}],
                 "metadata":{"user_id":"u-1"}}""", "x-api-key", CAREFUL, "anthropic-version", "2023-06-01");
        assertEquals(400, anthropic.status(), anthropic.body());
        assertEquals("error", anthropic.json().path("type").asText(), anthropic.body());
        assertEquals("invalid_request_error", anthropic.json().at("/error/type").asText());
        assertTrue(anthropic.json().at("/error/message").asText().contains("'metadata'"), anthropic.body());

        Http.Reply openai = Http.post(
                gateway.url() + "/v1/chat/completions",
                "{\"model\":\"on-openai\",\"metadata\":{},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                Http.bearer(CAREFUL));
        assertEquals(400, openai.status(), openai.body());
        assertEquals("metadata", openai.json().at("/error/param").asText(), openai.body());
        assertEquals(List.of(), gateway.mock().requests(), "no provider was called");
    }

    private boolean awaitLine(String word) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (!access.with(word).isEmpty()) {
                return true;
            }
            Thread.sleep(5); // the line is written as the exchange completes, just after the answer's last byte
        }
        return false;
    }

    /**
     * A plain key and one that refuses bodies carrying {@code metadata}; Anthropic with its default fields,
     * OpenAI denying three more.
     */
    static TestConfig config() {
        return TestConfig.provider("mock-anthropic", "anthropic", "/v1", "claude-sonnet-4-5")
                .withNodeDefaults()
                .keys(TestConfig.key("anthropic-1", "mock-anthropic-1"))
                .clientKeys(
                        TestConfig.clientKey("plain", KEY),
                        new ClientKeyConfig(
                                "careful",
                                CAREFUL,
                                null,
                                null,
                                null,
                                null,
                                null,
                                new BodyFieldsConfig(null, List.of("metadata"), BodyFieldsConfig.REFUSE)))
                .andProvider(TestProvider.onMock("mock-openai", "openai", "/v1")
                        .keys(TestConfig.key("openai-1", "mock-openai-1"))
                        .bodyFields(
                                new BodyFieldsConfig(null, List.of("service_tier", "store", "prompt_cache_key"), null)))
                .models(
                        TestConfig.model("on-anthropic", "mock-anthropic", "claude-sonnet-4-5"),
                        TestConfig.model("on-openai", "mock-openai", "gpt-4o-mini"));
    }
}
