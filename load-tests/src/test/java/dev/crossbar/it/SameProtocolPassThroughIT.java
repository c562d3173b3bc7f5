package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.gateway.config.ModelConfig;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import dev.crossbar.mock.SeenRequest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Same protocol is lossless (issue 15 point 1, DESIGN.md 3), through a real node to the mock providers: what a
 * client sends a provider of its own protocol arrives as sent but for the model, features the codecs do not model
 * included (server tools, documents with citations, cache_control, tool_reference, unknown blocks and fields), and
 * what the provider answers comes back with its unknown fields (the mocks put a request's {@code mock_extra} back
 * into their answer). A model with targets of two protocols gives a body only one can carry to that one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SameProtocolPassThroughIT {

    private static final String KEY = "pass-client";
    private static final String EXTRA = "{\"nested\":[1,{\"deep\":true}],\"text\":\"é\"}";

    /** What Claude Code and newer Anthropic features send, which the Anthropic codec does not model. */
    private static final String ANTHROPIC_BODY = """
            {"model":"%s","max_tokens":200,%s
             "system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral","ttl":"1h"}}],
             "messages":[
              {"role":"user","content":[
                {"type":"document","source":{"type":"text","media_type":"text/plain","data":"The sky is blue."},
                 "title":"Sky","citations":{"enabled":true},"cache_control":{"type":"ephemeral"}},
                {"type":"future_block_type","payload":{"a":[1,2,3]}},
                {"type":"text","text":"Find the fetch tool."}]},
              {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"ToolSearch","input":{"query":"select:WebFetch"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1",
                "content":[{"type":"tool_reference","tool_name":"WebFetch"}]},{"type":"text","text":"mock:text"}]}],
             "tools":[{"name":"ToolSearch","input_schema":{"type":"object"}},
                      {"name":"WebFetch","defer_loading":true,"input_schema":{"type":"object"}},
                      {"type":"web_search_20250305","name":"web_search","max_uses":2},
                      {"type":"code_execution_20250825","name":"code_execution"}],
             "context_management":{"edits":[{"type":"clear_tool_uses_20250919"}]},
             "future_top_level_field":{"x":[null,1.5e3]},
             "mock_extra":%s}""";

    private GatewayHarness gateway;

    @BeforeAll
    void start() throws Exception {
        gateway = new GatewayHarness(MockConfig.of(MockConfig.defaultKeys().toArray(MockKey[]::new)), config(), 1);
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @BeforeEach
    void forget() {
        gateway.mock().reset();
    }

    @ParameterizedTest(name = "stream {0}")
    @ValueSource(booleans = {false, true})
    void shouldGiveAnAnthropicProviderEverythingAnAnthropicClientSends(boolean stream) throws Exception {
        String body = ANTHROPIC_BODY.formatted("on-anthropic", stream ? "\"stream\":true," : "", EXTRA);
        Http.Reply r =
                Http.post(gateway.url() + "/v1/messages", body, "x-api-key", KEY, "anthropic-version", "2023-06-01");

        assertEquals(200, r.status(), r.body());
        assertEquals(
                withModel(body, "claude-sonnet-4-5"),
                onlyRequest("/v1/messages").json());
        assertExtraCameBack(r, stream);
    }

    @ParameterizedTest(name = "stream {0}")
    @ValueSource(booleans = {false, true})
    void shouldGiveAnOpenAiProviderWhatTheCodecsDoNotModel(boolean stream) throws Exception {
        String body = """
                {"model":"on-openai","messages":[{"role":"user","content":"Fix it. mock:text"}],
                 "prediction":{"type":"content","content":"int x = 1;"},
                 "web_search_options":{"search_context_size":"low"},
                 "future_top_level_field":[{"a":1}],%s
                 "mock_extra":%s}""".formatted(stream ? "\"stream\":true," : "", EXTRA);
        Http.Reply r = Http.post(gateway.url() + "/v1/chat/completions", body, Http.bearer(KEY));

        assertEquals(200, r.status(), r.body());
        ObjectNode expected = withModel(body, "gpt-4o-mini");
        if (stream) {
            // The gateway asks for the stream's usage on its own account, and takes it back out of the answer.
            expected.putObject("stream_options").put("include_usage", true);
        }
        assertEquals(expected, onlyRequest("/v1/chat/completions").json());
        assertExtraCameBack(r, stream);
    }

    @ParameterizedTest(name = "stream {0}")
    @ValueSource(booleans = {false, true})
    void shouldGiveAGeminiProviderCachedContentAndUnknownFields(boolean stream) throws Exception {
        String body = """
                {"contents":[{"role":"user","parts":[{"text":"Hi. mock:text"},{"futurePart":{"x":1}}]}],
                 "cachedContent":"cachedContents/abc123",
                 "generationConfig":{"maxOutputTokens":50,"futureOption":"on"},
                 "futureTopLevelField":{"y":[true]},
                 "mock_extra":%s}""".formatted(EXTRA);
        String path = stream ? "on-gemini:streamGenerateContent?alt=sse" : "on-gemini:generateContent";
        Http.Reply r = Http.post(gateway.url() + "/v1beta/models/" + path, body, "x-goog-api-key", KEY);

        assertEquals(200, r.status(), r.body());
        SeenRequest seen = onlyRequest(null);
        assertTrue(seen.path().contains("gemini-2.5-flash"), seen.path());
        assertEquals(Http.JSON.readTree(body), seen.json());
        assertExtraCameBack(r, stream);
    }

    @ParameterizedTest(name = "stream {0}")
    @ValueSource(booleans = {false, true})
    void shouldGiveAResponsesProviderItsBuiltInTools(boolean stream) throws Exception {
        String body = """
                {"model":"on-responses","input":"Search. mock:text",%s
                 "tools":[{"type":"web_search","search_context_size":"low"},
                          {"type":"code_interpreter","container":{"type":"auto"}},
                          {"type":"future_tool_type","anything":1}],
                 "include":["reasoning.encrypted_content"],
                 "future_top_level_field":"kept",
                 "mock_extra":%s}""".formatted(stream ? "\"stream\":true," : "", EXTRA);
        Http.Reply r = Http.post(gateway.url() + "/v1/responses", body, Http.bearer(KEY));

        assertEquals(200, r.status(), r.body());
        assertEquals(withModel(body, "gpt-5-mini"), onlyRequest("/v1/responses").json());
        assertExtraCameBack(r, stream);
    }

    /** A body only Anthropic can carry skips the OpenAI target listed first instead of failing. */
    @Test
    void shouldGiveABodyOnlyOneProtocolCarriesToThatProtocolsTarget() throws Exception {
        String body = ANTHROPIC_BODY.formatted("openai-then-anthropic", "", EXTRA);
        Http.Reply r =
                Http.post(gateway.url() + "/v1/messages", body, "x-api-key", KEY, "anthropic-version", "2023-06-01");

        assertEquals(200, r.status(), r.body());
        assertEquals(
                withModel(body, "claude-sonnet-4-5"),
                onlyRequest("/v1/messages").json());
    }

    /** The one request the mock received (at {@code path} unless null). */
    private SeenRequest onlyRequest(String path) {
        List<SeenRequest> seen = gateway.mock().requests();
        assertEquals(
                1,
                seen.size(),
                "one provider request: " + seen.stream().map(SeenRequest::path).toList());
        if (path != null) {
            assertEquals(path, seen.get(0).path());
        }
        return seen.get(0);
    }

    private static ObjectNode withModel(String body, String model) throws Exception {
        ObjectNode tree = (ObjectNode) Http.JSON.readTree(body);
        tree.put("model", model);
        return tree;
    }

    /** The provider's unknown answer member reached the client unchanged. */
    private static void assertExtraCameBack(Http.Reply r, boolean stream) throws Exception {
        JsonNode extra = Http.JSON.readTree(EXTRA);
        if (!stream) {
            assertEquals(extra, r.json().get("mock_extra"), r.body());
            return;
        }
        boolean found = false;
        for (String data : r.sseData()) {
            if (data.startsWith("{") && extra.equals(Http.JSON.readTree(data).get("mock_extra"))) {
                found = true;
            }
        }
        assertTrue(found, r.body());
    }

    /** A model on each of the mock's Anthropic, OpenAI Chat, OpenAI Responses and Gemini; one falling back. */
    static TestConfig config() {
        return TestConfig.provider("mock-anthropic", "anthropic", "/v1", "claude-sonnet-4-5")
                .withNodeDefaults()
                .keys(TestConfig.key("anthropic-1", "mock-anthropic-1"))
                .clientKeys(TestConfig.clientKey("pass", KEY))
                .andProvider(TestConfig.mockProvider(
                        "mock-openai", "openai", "/v1", TestConfig.key("openai-1", "mock-openai-1")))
                .andProvider(TestConfig.mockProvider(
                        "mock-responses", "openai", "responses", "/v1", TestConfig.key("responses-1", "mock-openai-2")))
                .andProvider(TestConfig.mockProvider(
                        "mock-gemini", "gemini", "/v1beta", TestConfig.key("gemini-1", "mock-gemini-1")))
                .models(
                        TestConfig.model("on-anthropic", "mock-anthropic", "claude-sonnet-4-5"),
                        TestConfig.model("on-openai", "mock-openai", "gpt-4o-mini"),
                        TestConfig.model("on-responses", "mock-responses", "gpt-5-mini"),
                        TestConfig.model("on-gemini", "mock-gemini", "gemini-2.5-flash"),
                        new ModelConfig(
                                "openai-then-anthropic",
                                null,
                                List.of(
                                        new ModelConfig.TargetConfig("mock-openai", "gpt-4o-mini", null),
                                        new ModelConfig.TargetConfig("mock-anthropic", "claude-sonnet-4-5", null)),
                                null));
    }
}
