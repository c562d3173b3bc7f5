package dev.crossbar.mock;

import static dev.crossbar.mock.MockClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class AnthropicMockTest {

    static final String KEY = "sk-ant-test";
    static final String OPENAI_KEY = "sk-openai-test";
    static final Map<String, String> HEADERS = Map.of("x-api-key", KEY, "anthropic-version", "2023-06-01");
    static final String TOOLS = "[{\"name\":\"lookup\",\"description\":\"d\",\"input_schema\":{\"type\":\"object\","
            + "\"properties\":{\"query\":{\"type\":\"string\"},\"limit\":{\"type\":\"number\"}},"
            + "\"required\":[\"query\",\"limit\"]}},{\"name\":\"other\",\"input_schema\":{\"type\":\"object\"}}]";

    MockProviders mock;
    MockClient client;

    @BeforeEach
    void start(Vertx vertx) {
        mock = await(MockProviders.start(
                vertx,
                MockConfig.of(
                        MockKey.unlimited(KEY, MockKey.ANTHROPIC), MockKey.unlimited(OPENAI_KEY, MockKey.OPENAI))));
        client = new MockClient(vertx, mock.port());
    }

    @AfterEach
    void stop() {
        client.close();
        await(mock.close());
    }

    MockClient.Response messages(String body) {
        return client.post("/v1/messages", HEADERS, body);
    }

    /** The events, checking that each {@code event:} name equals its data's type. */
    static List<JsonNode> events(MockClient.Response r) {
        List<JsonNode> out = new ArrayList<>();
        for (Sse.Event e : r.events()) {
            JsonNode data = OpenAiMockTest.parse(e.data());
            assertEquals(e.event(), data.path("type").asText());
            out.add(data);
        }
        return out;
    }

    static List<String> types(List<JsonNode> events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.path("type").asText()));
        return out;
    }

    @Test
    void shouldEchoLastUserTextBlocksInPlainMessage() {
        MockClient.Response r = messages(
                "{\"model\":\"claude-test\",\"max_tokens\":100,\"system\":\"sys\","
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"earlier\"},{\"role\":\"assistant\",\"content\":\"ok\"},"
                        + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hello\"},{\"type\":\"text\",\"text\":\" there\"}]}]}");
        assertEquals(200, r.status());
        JsonNode json = r.json();
        assertTrue(json.path("id").asText().startsWith("msg_"));
        assertEquals("message", json.path("type").asText());
        assertEquals("assistant", json.path("role").asText());
        assertEquals("claude-test", json.path("model").asText());
        assertEquals("text", json.path("content").get(0).path("type").asText());
        assertEquals(
                "echo: hello there", json.path("content").get(0).path("text").asText());
        assertEquals("end_turn", json.path("stop_reason").asText());
        assertTrue(json.path("stop_sequence").isNull());
        // 3 + 7 + 2 + 11 = 23 characters -> 6 tokens; 17 reply characters -> 5 tokens.
        assertEquals(6, json.path("usage").path("input_tokens").asLong());
        assertEquals(5, json.path("usage").path("output_tokens").asLong());
        assertTrue(r.header("request-id") != null);
        assertEquals(106, mock.stats().key(KEY).tokensCharged(), "input + max_tokens");
    }

    @Test
    void shouldStreamNamedEventsInOrderWithCumulativeUsage() {
        MockClient.Response r = messages("{\"model\":\"claude-test\",\"max_tokens\":100,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hello world\"}]}");
        assertTrue(r.header("content-type").startsWith("text/event-stream"));
        List<JsonNode> events = events(r);
        assertEquals(
                List.of(
                        "message_start",
                        "content_block_start",
                        "ping",
                        "content_block_delta",
                        "content_block_delta",
                        "content_block_delta",
                        "content_block_stop",
                        "message_delta",
                        "message_stop"),
                types(events));
        JsonNode start = events.get(0).path("message");
        assertEquals("claude-test", start.path("model").asText());
        assertTrue(start.path("content").isArray() && start.path("content").isEmpty());
        assertEquals(3, start.path("usage").path("input_tokens").asLong());
        assertEquals("text", events.get(1).path("content_block").path("type").asText());
        StringBuilder text = new StringBuilder();
        for (JsonNode e : events.subList(3, 6)) {
            assertEquals("text_delta", e.path("delta").path("type").asText());
            text.append(e.path("delta").path("text").asText());
        }
        assertEquals("echo: hello world", text.toString());
        assertEquals("end_turn", events.get(7).path("delta").path("stop_reason").asText());
        assertEquals(5, events.get(7).path("usage").path("output_tokens").asLong());
    }

    @Test
    void shouldCallFirstToolWithToolUseBlock() {
        MockClient.Response r = messages("{\"model\":\"c\",\"max_tokens\":100,\"tools\":" + TOOLS
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"find cats\"}]}");
        JsonNode json = r.json();
        assertEquals("tool_use", json.path("stop_reason").asText());
        JsonNode block = json.path("content").get(0);
        assertEquals("tool_use", block.path("type").asText());
        assertTrue(block.path("id").asText().startsWith("toolu_"));
        assertEquals("lookup", block.path("name").asText());
        assertEquals("{\"query\":\"find cats\",\"limit\":0}", Json.write(block.path("input")));
        assertEquals(8, json.path("usage").path("output_tokens").asLong()); // 29 characters of JSON
    }

    @Test
    void shouldCallTheDictatedToolWhenAMidConversationSystemTurnComesLast() {
        // Claude Code ends its messages with a role "system" turn after the user's prompt.
        MockClient.Response r = messages("{\"model\":\"c\",\"max_tokens\":100,\"tools\":" + TOOLS
                + ",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":"
                + "\"mock:call other {\\\"path\\\":\\\"notes.txt\\\"}\"}]},"
                + "{\"role\":\"system\",\"content\":\"# Environment\"}]}");
        JsonNode block = r.json().path("content").get(0);
        assertEquals("other", block.path("name").asText());
        assertEquals("{\"path\":\"notes.txt\"}", Json.write(block.path("input")));
    }

    @Test
    void shouldCallTheForcedToolAndSkipServerTools() {
        String tools = "[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}," + TOOLS.substring(1);
        MockClient.Response r = messages("{\"model\":\"c\",\"max_tokens\":100,\"tools\":" + tools
                + ",\"tool_choice\":{\"type\":\"tool\",\"name\":\"other\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertEquals("other", r.json().path("content").get(0).path("name").asText());
        MockClient.Response first = messages("{\"model\":\"c\",\"max_tokens\":100,\"tools\":" + tools
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertEquals("lookup", first.json().path("content").get(0).path("name").asText());
    }

    @Test
    void shouldAnswerJsonOfTheOutputFormatSchema() {
        MockClient.Response r = messages("{\"model\":\"c\",\"max_tokens\":100,\"output_config\":{\"format\":"
                + "{\"type\":\"json_schema\",\"schema\":{\"type\":\"object\",\"properties\":"
                + "{\"city\":{\"type\":\"string\"}}}}},\"messages\":[{\"role\":\"user\",\"content\":\"Oslo\"}]}");
        assertEquals(
                "{\"city\":\"Oslo\"}",
                r.json().path("content").get(0).path("text").asText());
    }

    @Test
    void shouldStreamToolUseAsInputJsonDeltas() {
        MockClient.Response r = messages("{\"model\":\"c\",\"max_tokens\":100,\"stream\":true,\"tools\":" + TOOLS
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"find cats\"}]}");
        List<JsonNode> events = events(r);
        JsonNode block = events.get(1).path("content_block");
        assertEquals("tool_use", block.path("type").asText());
        assertTrue(block.path("id").asText().startsWith("toolu_"));
        assertEquals("lookup", block.path("name").asText());
        StringBuilder json = new StringBuilder();
        int deltas = 0;
        for (JsonNode e : events) {
            if ("content_block_delta".equals(e.path("type").asText())) {
                assertEquals("input_json_delta", e.path("delta").path("type").asText());
                json.append(e.path("delta").path("partial_json").asText());
                deltas++;
            }
        }
        assertTrue(deltas >= 3, "an empty first fragment then pieces, got " + deltas);
        assertEquals("{\"query\":\"find cats\",\"limit\":0}", json.toString());
        JsonNode delta = events.get(events.size() - 2);
        assertEquals("tool_use", delta.path("delta").path("stop_reason").asText());
        assertEquals("message_stop", events.get(events.size() - 1).path("type").asText());
    }

    @Test
    void shouldReplyWithToolResultFromUserMessage() {
        MockClient.Response r = messages("{\"model\":\"c\",\"max_tokens\":100,\"tools\":" + TOOLS + ",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"find cats\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"lookup\",\"input\":{}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"3 cats\"}]}]}]}");
        assertEquals(
                "tool said: 3 cats",
                r.json().path("content").get(0).path("text").asText());
        assertEquals("end_turn", r.json().path("stop_reason").asText());
    }

    @Test
    void shouldStopAtMaxTokensWithTruncatedText() {
        MockClient.Response r = messages("{\"model\":\"c\",\"max_tokens\":2,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"a long question\"}]}");
        assertEquals("echo: a ", r.json().path("content").get(0).path("text").asText());
        assertEquals("max_tokens", r.json().path("stop_reason").asText());
        assertEquals(2, r.json().path("usage").path("output_tokens").asLong());
    }

    @Test
    void shouldRequireAnthropicVersionHeader() {
        MockClient.Response r = client.post(
                "/v1/messages",
                Map.of("x-api-key", KEY),
                "{\"model\":\"c\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(400, r.status());
        assertEquals("error", r.json().path("type").asText());
        assertEquals(
                "invalid_request_error", r.json().path("error").path("type").asText());
    }

    @Test
    void shouldRequireMaxTokens() {
        MockClient.Response r = messages("{\"model\":\"c\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(400, r.status());
        assertEquals(
                "invalid_request_error", r.json().path("error").path("type").asText());
    }

    @Test
    void shouldAcceptBearerAuthorizationToo() {
        MockClient.Response r = client.post(
                "/v1/messages",
                Map.of("Authorization", "Bearer " + KEY, "anthropic-version", "2023-06-01"),
                "{\"model\":\"c\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(200, r.status());
    }

    @Test
    void shouldAnswerWrongAndForeignKeysWithAuthenticationError() {
        String body = "{\"model\":\"c\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        for (String key : List.of("wrong", OPENAI_KEY)) {
            MockClient.Response r =
                    client.post("/v1/messages", Map.of("x-api-key", key, "anthropic-version", "2023-06-01"), body);
            assertEquals(401, r.status());
            assertEquals("error", r.json().path("type").asText());
            assertEquals(
                    "authentication_error", r.json().path("error").path("type").asText());
        }
        assertEquals(1, mock.stats().unknownKeyRequests());
        assertEquals(1, mock.stats().key(OPENAI_KEY).unauthorized());
    }

    @Test
    void shouldCountTokensOfSystemAndMessages() {
        MockClient.Response r = client.post(
                "/v1/messages/count_tokens",
                HEADERS,
                "{\"model\":\"c\",\"system\":[{\"type\":\"text\",\"text\":\"abcd\"}],"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}");
        assertEquals(200, r.status());
        assertEquals(3, r.json().path("input_tokens").asLong()); // 9 characters
        assertEquals(0, mock.stats().key(KEY).served(), "count_tokens is not a charged request");
    }
}
