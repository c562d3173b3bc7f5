package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.gateway.config.ModelConfig;
import dev.crossbar.gateway.config.ProviderKeyConfig;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import dev.crossbar.mock.SeenRequest;
import java.util.ArrayList;
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
 * What coding agents send, through a real node to the mock providers: Responses namespace groups flattened
 * for another protocol and the call mapped back, built-in tools dropped (with the header and the access log
 * saying so) or refused as the model's policy says, and given unchanged to a provider of the client's own
 * protocol; Claude Code's tool_reference and the AI SDK's Gemini function response for providers that know
 * neither.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AgentToolsIT {

    private static final String KEY = "agents-client";
    private static final String DROPPED = "x-crossbar-dropped-tools";

    /** Codex's default tools, shortened: a function, a namespace group, and web search. */
    private static final String CODEX_TOOLS = """
            [{"type":"function","name":"exec_command","parameters":{"type":"object","properties":{"cmd":{"type":"string"}}}},
             {"type":"namespace","name":"multi_agent_v1","description":"Sub-agents.","tools":[
               {"type":"function","name":"spawn_agent","parameters":{"type":"object","properties":{"task":{"type":"string"}}}}]},
             {"type":"web_search","external_web_access":false}]""";

    private GatewayHarness gateway;
    private AccessLines accessLog;

    @BeforeAll
    void start() throws Exception {
        gateway = new GatewayHarness(MockConfig.of(MockConfig.defaultKeys().toArray(MockKey[]::new)), config(), 1);
        accessLog = AccessLines.capture();
    }

    /** Anthropic, Chat Completions, Responses and Gemini on the mock; two models refuse built-in tools. */
    static TestConfig config() {
        ModelConfig.TargetConfig anthropic = new ModelConfig.TargetConfig("mock-anthropic", "claude-sonnet-4-5");
        return TestConfig.providers(
                        TestProvider.onMock("mock-anthropic", "anthropic", "/v1")
                                .keys(ProviderKeyConfig.of("anthropic-1", "mock-anthropic-1")),
                        TestProvider.onMock("mock-openai", "openai", "/v1")
                                .keys(ProviderKeyConfig.of("openai-1", "mock-openai-1")),
                        TestProvider.onMock("mock-responses", "openai", "/v1")
                                .api("responses")
                                .keys(ProviderKeyConfig.of("responses-1", "mock-openai-2")),
                        TestProvider.onMock("mock-gemini", "gemini", "/v1beta")
                                .keys(ProviderKeyConfig.of("gemini-1", "mock-gemini-1")))
                .withNodeDefaults()
                .clientKeys(TestConfig.clientKey("agents", KEY))
                .models(
                        TestConfig.model("on-anthropic", "mock-anthropic", "claude-sonnet-4-5"),
                        new ModelConfig("on-anthropic-refusing", null, List.of(anthropic), "refuse"),
                        new ModelConfig(
                                "refusing-with-fallback",
                                null,
                                List.of(anthropic, new ModelConfig.TargetConfig("mock-responses", "gpt-5-mini")),
                                "refuse"),
                        TestConfig.model("on-openai", "mock-openai", "gpt-4o-mini"),
                        TestConfig.model("on-responses", "mock-responses", "gpt-5-mini"));
    }

    @AfterAll
    void stop() throws Exception {
        accessLog.close();
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
    void shouldFlattenANamespaceForAnotherProtocolAndMapTheCallBack(boolean stream) throws Exception {
        Http.Reply r = responses(
                "on-anthropic",
                "\"Spawn one. mock:call multi_agent_v1__spawn_agent {\\\"task\\\":\\\"t\\\"}\"",
                stream);
        assertEquals(200, r.status(), r.body());
        JsonNode call = finalResponse(r, stream).at("/output/0");
        assertEquals("function_call", call.path("type").asText(), r.body());
        assertEquals("spawn_agent", call.path("name").asText(), r.body());
        assertEquals("multi_agent_v1", call.path("namespace").asText(), r.body());
        assertEquals(
                Http.JSON.readTree("{\"task\":\"t\"}"),
                Http.JSON.readTree(call.path("arguments").asText()));

        JsonNode sent = gateway.mock().lastRequest().json();
        List<String> tools = new ArrayList<>();
        sent.path("tools").forEach(t -> tools.add(t.path("name").asText()));
        assertEquals(List.of("exec_command", "multi_agent_v1__spawn_agent"), tools, "web search dropped: " + sent);
        assertEquals("web_search", r.header(DROPPED), "the client hears what was dropped");
        String line = accessLine(r.header("x-request-id"));
        assertTrue(line.contains(" dropped_tools=web_search"), line);

        // Codex replays the call with its namespace and sends the result: the provider sees the flat name.
        Http.Reply second = Http.post(
                gateway.url() + "/v1/responses",
                """
                {"model":"on-anthropic","tools":%s,"input":[
                  {"role":"user","content":"Spawn one."},
                  {"type":"function_call","call_id":"%s","namespace":"multi_agent_v1","name":"spawn_agent","arguments":"{}"},
                  {"type":"function_call_output","call_id":"%s","output":"agent-7"}]}""".formatted(
                                CODEX_TOOLS,
                                call.path("call_id").asText(),
                                call.path("call_id").asText()),
                Http.bearer(KEY));
        assertEquals(200, second.status(), second.body());
        assertEquals(
                "tool said: agent-7",
                second.json().at("/output/0/content/0/text").asText(),
                second.body());
        JsonNode replayed = gateway.mock().lastRequest().json().at("/messages/1/content/0");
        assertEquals("multi_agent_v1__spawn_agent", replayed.path("name").asText(), replayed.toString());
    }

    @Test
    void shouldRefuseBuiltinToolsWhenTheModelSaysSo() throws Exception {
        Http.Reply r = responses("on-anthropic-refusing", "\"Search the web.\"", false);
        assertEquals(400, r.status(), r.body());
        assertEquals("tools[2]", r.json().at("/error/param").asText(), r.body());
        assertTrue(r.json().at("/error/message").asText().contains("web_search"), r.body());
        assertTrue(gateway.mock().requests().isEmpty(), "no provider was asked");
    }

    /** A model that refuses built-in tools still serves them from a target of the client's own protocol. */
    @Test
    void shouldGiveBuiltinToolsUnchangedToAProviderOfTheClientsProtocol() throws Exception {
        Http.Reply r = responses("refusing-with-fallback", "\"Search the web. mock:text\"", false);
        assertEquals(200, r.status(), r.body());
        assertEquals(
                "echo: Search the web. mock:text",
                r.json().at("/output/0/content/0/text").asText(),
                r.body());
        assertNull(r.header(DROPPED), "nothing was dropped");
        SeenRequest seen = gateway.mock().lastRequest();
        assertEquals("/v1/responses", seen.path());
        assertEquals(Http.JSON.readTree(CODEX_TOOLS), seen.json().path("tools"), "the body as the client sent it");
        assertEquals("gpt-5-mini", seen.json().path("model").asText());
    }

    @Test
    void shouldDropAnAnthropicServerToolForAnOpenAiProvider() throws Exception {
        Http.Reply r =
                Http.post(gateway.url() + "/v1/messages", """
                {"model":"on-openai","max_tokens":100,"messages":[{"role":"user","content":"news?"}],
                 "tools":[{"type":"web_search_20250305","name":"web_search","max_uses":3},
                          {"name":"get_time","input_schema":{"type":"object"}}]}""", "x-api-key", KEY, "anthropic-version", "2023-06-01");
        assertEquals(200, r.status(), r.body());
        assertEquals("web_search_20250305", r.header(DROPPED));
        JsonNode tools = gateway.mock().lastRequest().json().path("tools");
        assertEquals(1, tools.size(), tools.toString());
        assertEquals("get_time", tools.at("/0/function/name").asText());
    }

    @Test
    void shouldDropGeminisGoogleSearchForAnAnthropicProvider() throws Exception {
        Http.Reply r =
                Http.post(gateway.url() + "/v1beta/models/on-anthropic:generateContent", """
                {"contents":[{"role":"user","parts":[{"text":"news? mock:text"}]}],
                 "tools":[{"googleSearch":{}},{"functionDeclarations":[{"name":"get_time"}]}]}""", "x-goog-api-key", KEY);
        assertEquals(200, r.status(), r.body());
        assertEquals("googleSearch", r.header(DROPPED));
        assertEquals(
                "echo: news? mock:text",
                r.json().at("/candidates/0/content/parts/0/text").asText());
    }

    /** Claude Code's ToolSearch result, for a provider without tool search: the referenced tool's definition. */
    @Test
    void shouldTurnAToolReferenceIntoTheToolsDefinitionForAnotherProtocol() throws Exception {
        Http.Reply r =
                Http.post(gateway.url() + "/v1/messages", """
                {"model":"on-openai","max_tokens":100,"messages":[
                  {"role":"user","content":"Find the fetch tool."},
                  {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"ToolSearch","input":{"query":"select:WebFetch"}}]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1",
                    "content":[{"type":"tool_reference","tool_name":"WebFetch"}]}]}],
                 "tools":[{"name":"ToolSearch","input_schema":{"type":"object"}},
                          {"name":"WebFetch","description":"Fetches a URL.","defer_loading":true,
                           "input_schema":{"type":"object","properties":{"url":{"type":"string"}}}}]}""", "x-api-key", KEY, "anthropic-version", "2023-06-01");
        assertEquals(200, r.status(), r.body());
        String result =
                gateway.mock().lastRequest().json().at("/messages/2/content").asText();
        assertEquals(
                "<functions>\n<function>{\"description\":\"Fetches a URL.\",\"name\":\"WebFetch\",\"parameters\":"
                        + "{\"type\":\"object\",\"properties\":{\"url\":{\"type\":\"string\"}}}}</function>\n</functions>",
                result);
        assertEquals("tool said: " + result, r.json().at("/content/0/text").asText());
        List<String> tools = new ArrayList<>();
        gateway.mock()
                .lastRequest()
                .json()
                .path("tools")
                .forEach(t -> tools.add(t.at("/function/name").asText()));
        assertEquals(List.of("ToolSearch", "WebFetch"), tools, "a deferred tool is offered as an ordinary one");
    }

    /** Regression: the AI SDK's Gemini function response reached other providers as the object's JSON text. */
    @Test
    void shouldGiveOtherProvidersTheValueAGeminiFunctionResponseWraps() throws Exception {
        Http.Reply r =
                Http.post(gateway.url() + "/v1beta/models/on-openai:generateContent", """
                {"contents":[{"role":"user","parts":[{"text":"Paris in spring"}]},
                  {"role":"model","parts":[{"functionCall":{"id":"call_1","name":"get_weather","args":{"city":"Paris"}}}]},
                  {"role":"user","parts":[{"functionResponse":{"id":"call_1","name":"get_weather",
                    "response":{"name":"get_weather","content":"sunny in Paris in spring"}}}]}],
                 "tools":[{"functionDeclarations":[{"name":"get_weather"}]}]}""", "x-goog-api-key", KEY);
        assertEquals(200, r.status(), r.body());
        assertEquals(
                "sunny in Paris in spring",
                gateway.mock().lastRequest().json().at("/messages/2/content").asText());
        assertEquals(
                "tool said: sunny in Paris in spring",
                r.json().at("/candidates/0/content/parts/0/text").asText());
    }

    private Http.Reply responses(String model, String input, boolean stream) throws Exception {
        return Http.post(
                gateway.url() + "/v1/responses",
                "{\"model\":\"%s\",\"stream\":%s,\"input\":%s,\"tools\":%s}"
                        .formatted(model, stream, input, CODEX_TOOLS),
                Http.bearer(KEY));
    }

    /** The Response: the body, or the one a stream's response.completed carries. */
    private static JsonNode finalResponse(Http.Reply r, boolean stream) throws Exception {
        if (!stream) {
            return r.json();
        }
        List<String> data = r.sseData();
        JsonNode completed = Http.JSON.readTree(data.get(data.size() - 1));
        assertEquals("response.completed", completed.path("type").asText(), r.body());
        return completed.path("response");
    }

    /** The access log line of the request {@code requestId} (an earlier test's line may come after this one began). */
    private String accessLine(String requestId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            List<String> lines = accessLog.with(requestId + " ");
            if (!lines.isEmpty()) {
                return lines.get(0);
            }
            Thread.sleep(5); // the line is written as the exchange completes, just after the answer's last byte
        }
        return fail("no access log line for " + requestId + " in " + accessLog.lines());
    }
}
