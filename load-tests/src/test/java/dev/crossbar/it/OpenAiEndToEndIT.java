package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.mock.FaultPlan;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** OpenAI Chat Completions in, an OpenAI-protocol upstream (the mock) out, through one real node. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenAiEndToEndIT {

    private static final String HELLO = """
            {"model":"test-model","messages":[{"role":"user","content":"hello there"}]}""";

    private GatewayHarness gateway;

    @BeforeAll
    void start() throws Exception {
        gateway = new GatewayHarness(
                MockConfig.of(
                        MockKey.unlimited("sk-one", "openai"),
                        MockKey.unlimited("sk-two", "openai"),
                        MockKey.unlimited("sk-three", "openai")),
                TestConfig.openAi("sk-one", "sk-two", "sk-three"),
                1);
    }

    @AfterAll
    void stop() throws Exception {
        gateway.close();
    }

    @BeforeEach
    void resetMock() {
        gateway.mock().setKeyFaults("sk-one", null);
        gateway.mock().reset();
    }

    @Test
    void shouldEchoAPlainRequest() throws Exception {
        Http.Reply r = Http.post(gateway.url() + "/v1/chat/completions", HELLO, Http.bearer(GatewayHarness.CLIENT_KEY));
        assertEquals(200, r.status(), r.body());
        JsonNode json = r.json();
        assertEquals("echo: hello there", json.at("/choices/0/message/content").asText());
        assertEquals("stop", json.at("/choices/0/finish_reason").asText());
        assertTrue(json.at("/usage/prompt_tokens").asInt() > 0);
        assertNotNull(r.header("x-request-id"));
    }

    @Test
    void shouldStreamWithUsageWhenAsked() throws Exception {
        String body = """
                {"model":"test-model","stream":true,"stream_options":{"include_usage":true},
                 "messages":[{"role":"user","content":"one two three"}]}""";
        Http.Reply r = Http.post(gateway.url() + "/v1/chat/completions", body, Http.bearer(GatewayHarness.CLIENT_KEY));
        assertEquals(200, r.status(), r.body());
        assertTrue(r.header("content-type").startsWith("text/event-stream"));
        List<String> data = r.sseData();
        assertEquals("[DONE]", data.get(data.size() - 1));
        StringBuilder text = new StringBuilder();
        JsonNode usage = null;
        for (String d : data.subList(0, data.size() - 1)) {
            JsonNode chunk = Http.JSON.readTree(d);
            if (chunk.path("choices").size() > 0) {
                text.append(chunk.at("/choices/0/delta/content").asText(""));
            } else {
                usage = chunk.get("usage");
            }
        }
        assertEquals("echo: one two three", text.toString());
        assertNotNull(usage, "the usage chunk comes when include_usage is set");
        assertTrue(usage.get("completion_tokens").asInt() > 0);
    }

    @Test
    void shouldRefuseAWrongClientKeyInOpenAiShape() throws Exception {
        Http.Reply r = Http.post(gateway.url() + "/v1/chat/completions", HELLO, Http.bearer("wrong-key-000"));
        assertEquals(401, r.status());
        assertNotNull(r.json().at("/error/message").asText(null));
        Http.Reply none = Http.post(gateway.url() + "/v1/chat/completions", HELLO);
        assertEquals(401, none.status());
    }

    @Test
    void shouldListConfiguredModels() throws Exception {
        Http.Reply r = Http.get(gateway.url() + "/v1/models", Http.bearer(GatewayHarness.CLIENT_KEY));
        assertEquals(200, r.status());
        assertEquals("list", r.json().get("object").asText());
        assertEquals("test-model", r.json().at("/data/0/id").asText());
    }

    @Test
    void shouldRetryOnTheNextKeyWhenUpstreamSays429() throws Exception {
        gateway.mock()
                .setKeyFaults("sk-one", FaultPlan.builder().rateLimitShare(1.0).build());
        for (int i = 0; i < 6; i++) {
            Http.Reply r =
                    Http.post(gateway.url() + "/v1/chat/completions", HELLO, Http.bearer(GatewayHarness.CLIENT_KEY));
            assertEquals(200, r.status(), r.body());
        }
        var stats = gateway.mock().stats().keys();
        long served = stats.get("sk-two").served() + stats.get("sk-three").served();
        assertEquals(6, served, "every request ended on a healthy key");
        assertTrue(stats.get("sk-one").served() == 0);
    }

    @Test
    void shouldAnswerUnknownModelsWith404() throws Exception {
        Http.Reply r = Http.post(
                gateway.url() + "/v1/chat/completions",
                HELLO.replace("test-model", "nope"),
                Http.bearer(GatewayHarness.CLIENT_KEY));
        assertEquals(404, r.status());
        assertTrue(r.json().at("/error/message").asText().contains("nope"));
    }

    @Test
    void shouldForwardEmbeddings() throws Exception {
        Http.Reply r = Http.post(
                gateway.url() + "/v1/embeddings",
                "{\"model\":\"test-model\",\"input\":[\"one\",\"two\"]}",
                Http.bearer(GatewayHarness.CLIENT_KEY));
        assertEquals(200, r.status(), r.body());
        assertEquals(2, r.json().get("data").size());
        Http.Reply bad = Http.post(
                gateway.url() + "/v1/embeddings", "{\"model\":\"test-model\"}", Http.bearer(GatewayHarness.CLIENT_KEY));
        assertEquals(400, bad.status());
        assertEquals("input", bad.json().at("/error/param").asText());
    }

    @Test
    void shouldCountTokensForAnthropicClients() throws Exception {
        Http.Reply r = Http.post(
                gateway.url() + "/v1/messages/count_tokens",
                "{\"model\":\"test-model\",\"messages\":[{\"role\":\"user\",\"content\":\"twelve chars\"}]}",
                "x-api-key",
                GatewayHarness.CLIENT_KEY,
                "anthropic-version",
                "2023-06-01");
        assertEquals(200, r.status(), r.body());
        assertEquals(3, r.json().get("input_tokens").asInt());
    }

    @Test
    void shouldAnswerMalformedJsonWith400() throws Exception {
        Http.Reply r = Http.post(
                gateway.url() + "/v1/chat/completions", "{\"model\": ", Http.bearer(GatewayHarness.CLIENT_KEY));
        assertEquals(400, r.status());
        assertEquals("invalid_request_error", r.json().at("/error/type").asText());
    }
}
