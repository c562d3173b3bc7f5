package dev.crossbar.mock;

import static dev.crossbar.mock.MockClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
class OpenAiMockTest {

    static final String KEY = "sk-openai-test";
    static final String ANTHROPIC_KEY = "sk-ant-test";
    static final String TOOLS = "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":"
            + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},\"days\":{\"type\":\"integer\"},"
            + "\"metric\":{\"type\":\"boolean\"},\"where\":{\"type\":\"object\"},\"note\":{\"type\":\"string\"}},"
            + "\"required\":[\"city\",\"days\",\"metric\",\"where\"]}}},"
            + "{\"type\":\"function\",\"function\":{\"name\":\"second\",\"parameters\":{\"type\":\"object\"}}}]";

    MockProviders mock;
    MockClient client;

    @BeforeEach
    void start(Vertx vertx) {
        mock = await(MockProviders.start(
                vertx,
                MockConfig.of(
                        MockKey.unlimited(KEY, MockKey.OPENAI), MockKey.unlimited(ANTHROPIC_KEY, MockKey.ANTHROPIC))));
        client = new MockClient(vertx, mock.port());
    }

    @AfterEach
    void stop() {
        client.close();
        await(mock.close());
    }

    MockClient.Response chat(String body) {
        return client.post("/v1/chat/completions", Map.of("Authorization", "Bearer " + KEY), body);
    }

    static List<JsonNode> chunks(MockClient.Response r) {
        List<JsonNode> out = new ArrayList<>();
        List<Sse.Event> events = r.events();
        assertEquals("[DONE]", events.get(events.size() - 1).data(), "stream ends with [DONE]");
        for (Sse.Event e : events.subList(0, events.size() - 1)) {
            assertNull(e.event(), "OpenAI events are data-only");
            out.add(parse(e.data()));
        }
        return out;
    }

    static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }

    @Test
    void shouldEchoLastUserMessageWithUsageInPlainReply() {
        MockClient.Response r = chat(
                "{\"model\":\"gpt-test\",\"messages\":["
                        + "{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"first\"},"
                        + "{\"role\":\"assistant\",\"content\":\"ok\"},"
                        + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hello\"},{\"type\":\"text\",\"text\":\" world\"}]}]}");
        assertEquals(200, r.status());
        JsonNode json = r.json();
        assertEquals("chat.completion", json.path("object").asText());
        assertEquals("gpt-test", json.path("model").asText());
        assertTrue(json.path("id").asText().startsWith("chatcmpl-"));
        JsonNode choice = json.path("choices").get(0);
        assertEquals("assistant", choice.path("message").path("role").asText());
        assertEquals("echo: hello world", choice.path("message").path("content").asText());
        assertEquals("stop", choice.path("finish_reason").asText());
        // 8 + 5 + 2 + 11 = 26 characters -> 7 tokens; 17 reply characters -> 5 tokens.
        assertEquals(7, json.path("usage").path("prompt_tokens").asLong());
        assertEquals(5, json.path("usage").path("completion_tokens").asLong());
        assertEquals(12, json.path("usage").path("total_tokens").asLong());
        assertEquals(1, mock.stats().key(KEY).served());
        assertEquals(12, mock.stats().key(KEY).tokensCharged());
    }

    @Test
    void shouldStreamWordChunksEndingWithDoneAndNoUsageUnlessAsked() {
        MockClient.Response r = chat("{\"model\":\"gpt-test\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hello world\"}]}");
        assertEquals(200, r.status());
        assertTrue(r.header("content-type").startsWith("text/event-stream"));
        List<JsonNode> chunks = chunks(r);
        assertEquals(
                "assistant",
                chunks.get(0).path("choices").get(0).path("delta").path("role").asText());
        List<String> words = new ArrayList<>();
        for (JsonNode c : chunks) {
            assertEquals("chat.completion.chunk", c.path("object").asText());
            assertEquals("gpt-test", c.path("model").asText());
            assertFalse(c.has("usage"), "no usage field without include_usage");
            JsonNode content = c.path("choices").get(0).path("delta").get("content");
            if (content != null && !content.asText().isEmpty()) {
                words.add(content.asText());
            }
        }
        assertEquals(List.of("echo:", " hello", " world"), words);
        JsonNode last = chunks.get(chunks.size() - 1).path("choices").get(0);
        assertEquals("stop", last.path("finish_reason").asText());
        assertTrue(chunks.get(1).path("choices").get(0).path("finish_reason").isNull());
    }

    @Test
    void shouldSendUsageOnlyChunkLastWhenIncludeUsageIsSet() {
        MockClient.Response r =
                chat("{\"model\":\"gpt-test\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hello world\"}]}");
        List<JsonNode> chunks = chunks(r);
        JsonNode usageChunk = chunks.get(chunks.size() - 1);
        assertTrue(usageChunk.path("choices").isArray()
                && usageChunk.path("choices").isEmpty());
        assertEquals(3, usageChunk.path("usage").path("prompt_tokens").asLong());
        assertEquals(5, usageChunk.path("usage").path("completion_tokens").asLong());
        for (JsonNode c : chunks.subList(0, chunks.size() - 1)) {
            assertTrue(c.has("usage") && c.get("usage").isNull(), "other chunks carry usage:null");
        }
    }

    @Test
    void shouldAnswerTextWhenTheUserSaysMockText() {
        MockClient.Response r = chat("{\"model\":\"gpt-test\",\"tools\":" + TOOLS
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi mock:text\"}]}");
        assertEquals(
                "echo: hi mock:text",
                r.json().path("choices").get(0).path("message").path("content").asText());
    }

    @Test
    void shouldCallTheForcedTool() {
        MockClient.Response r = chat("{\"model\":\"gpt-test\",\"tools\":" + TOOLS
                + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"second\"}},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"system\",\"content\":\"s\"}]}");
        JsonNode call = r.json()
                .path("choices")
                .get(0)
                .path("message")
                .path("tool_calls")
                .get(0);
        assertEquals("second", call.path("function").path("name").asText());
    }

    @Test
    void shouldAnswerJsonOfTheResponseFormatSchema() {
        MockClient.Response r = chat("{\"model\":\"gpt-test\",\"response_format\":{\"type\":\"json_schema\","
                + "\"json_schema\":{\"name\":\"city\",\"schema\":{\"type\":\"object\",\"properties\":"
                + "{\"city\":{\"type\":\"string\"},\"days\":{\"type\":\"integer\"}}}}},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Oslo\"}]}");
        assertEquals(
                "{\"city\":\"Oslo\",\"days\":0}",
                r.json().path("choices").get(0).path("message").path("content").asText());
        MockClient.Response any = chat("{\"model\":\"gpt-test\",\"response_format\":{\"type\":\"json_object\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Oslo\"}]}");
        assertEquals(
                "{}",
                any.json()
                        .path("choices")
                        .get(0)
                        .path("message")
                        .path("content")
                        .asText());
    }

    @Test
    void shouldCallFirstToolWithRequiredArgumentsTakenFromUserText() {
        MockClient.Response r = chat("{\"model\":\"gpt-test\",\"tools\":" + TOOLS
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Paris please\"}]}");
        JsonNode choice = r.json().path("choices").get(0);
        assertEquals("tool_calls", choice.path("finish_reason").asText());
        assertTrue(choice.path("message").path("content").isNull());
        JsonNode call = choice.path("message").path("tool_calls").get(0);
        assertTrue(call.path("id").asText().startsWith("call_"));
        assertEquals("function", call.path("type").asText());
        assertEquals("get_weather", call.path("function").path("name").asText());
        String args = call.path("function").path("arguments").asText();
        assertEquals("{\"city\":\"Paris please\",\"days\":0,\"metric\":false}", args);
        assertEquals(
                (args.length() + 3) / 4,
                r.json().path("usage").path("completion_tokens").asLong());
    }

    @Test
    void shouldStreamToolCallWithIdAndNameFirstThenArgumentFragments() {
        MockClient.Response r = chat("{\"model\":\"gpt-test\",\"stream\":true,\"tools\":" + TOOLS
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Paris please\"}]}");
        List<JsonNode> chunks = chunks(r);
        JsonNode first = chunks.get(0)
                .path("choices")
                .get(0)
                .path("delta")
                .path("tool_calls")
                .get(0);
        assertEquals(0, first.path("index").asInt());
        assertTrue(first.path("id").asText().startsWith("call_"));
        assertEquals("get_weather", first.path("function").path("name").asText());
        StringBuilder args = new StringBuilder();
        int fragments = 0;
        for (JsonNode c : chunks.subList(1, chunks.size())) {
            JsonNode tc = c.path("choices").get(0).path("delta").path("tool_calls");
            if (tc.isArray()) {
                assertFalse(tc.get(0).has("id"), "later deltas carry only index and arguments");
                assertEquals(0, tc.get(0).path("index").asInt());
                args.append(tc.get(0).path("function").path("arguments").asText());
                fragments++;
            }
        }
        assertTrue(fragments >= 2, "arguments split across chunks, got " + fragments);
        assertEquals("{\"city\":\"Paris please\",\"days\":0,\"metric\":false}", args.toString());
        assertEquals(
                "tool_calls",
                chunks.get(chunks.size() - 1)
                        .path("choices")
                        .get(0)
                        .path("finish_reason")
                        .asText());
    }

    @Test
    void shouldReplyWithToolResultWhenLastMessageIsFromTool() {
        MockClient.Response r = chat("{\"model\":\"gpt-test\",\"tools\":" + TOOLS + ",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"Paris\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"22 degrees\"}]}");
        JsonNode choice = r.json().path("choices").get(0);
        assertEquals(
                "tool said: 22 degrees", choice.path("message").path("content").asText());
        assertEquals("stop", choice.path("finish_reason").asText());
    }

    @Test
    void shouldTruncateToMaxTokensAndFinishWithLength() {
        MockClient.Response plain = chat("{\"model\":\"m\",\"max_tokens\":3,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"one two three four five six\"}]}");
        JsonNode choice = plain.json().path("choices").get(0);
        assertEquals("echo: one tw", choice.path("message").path("content").asText());
        assertEquals("length", choice.path("finish_reason").asText());
        assertEquals(3, plain.json().path("usage").path("completion_tokens").asLong());

        MockClient.Response streamed = chat("{\"model\":\"m\",\"max_completion_tokens\":3,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"one two three four five six\"}]}");
        StringBuilder text = new StringBuilder();
        List<JsonNode> chunks = chunks(streamed);
        chunks.forEach(c -> text.append(
                c.path("choices").get(0).path("delta").path("content").asText("")));
        assertEquals("echo: one tw", text.toString());
        assertEquals(
                "length",
                chunks.get(chunks.size() - 1)
                        .path("choices")
                        .get(0)
                        .path("finish_reason")
                        .asText());
    }

    @Test
    void shouldPadStreamToTheConfiguredChunkCount() {
        mock.setFaults(FaultPlan.builder().streamChunks(50).build());
        MockClient.Response r =
                chat("{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        long content = chunks(r).stream()
                .filter(c -> !c.path("choices")
                        .get(0)
                        .path("delta")
                        .path("content")
                        .asText("")
                        .isEmpty())
                .count();
        assertEquals(50, content);
    }

    @Test
    void shouldAnswerUnknownKeyWith401InOpenAiShape() {
        MockClient.Response r = client.post(
                "/v1/chat/completions",
                Map.of("Authorization", "Bearer nope"),
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(401, r.status());
        JsonNode error = r.json().path("error");
        assertEquals("invalid_request_error", error.path("type").asText());
        assertEquals("invalid_api_key", error.path("code").asText());
        assertTrue(error.has("message") && error.has("param"));
        assertEquals(1, mock.stats().unknownKeyRequests());
    }

    @Test
    void shouldAnswerAnotherProvidersKeyWith401AndCountItOnThatKey() {
        MockClient.Response r = client.post(
                "/v1/chat/completions",
                Map.of("Authorization", "Bearer " + ANTHROPIC_KEY),
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(401, r.status());
        assertEquals("invalid_api_key", r.json().path("error").path("code").asText());
        assertEquals(1, mock.stats().key(ANTHROPIC_KEY).unauthorized());
        assertEquals(0, mock.stats().key(ANTHROPIC_KEY).served());
    }

    @Test
    void shouldAnswerMissingModelWith400() {
        MockClient.Response r = chat("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(400, r.status());
        assertEquals(
                "invalid_request_error", r.json().path("error").path("type").asText());
        assertEquals(1, mock.stats().key(KEY).badRequests());
    }

    @Test
    void shouldReturnDeterministicEmbeddingsPerInput() {
        String body = "{\"model\":\"text-embedding-3-small\",\"input\":[\"alpha\",\"beta\"]}";
        MockClient.Response a = client.post("/v1/embeddings", Map.of("Authorization", "Bearer " + KEY), body);
        MockClient.Response b = client.post("/v1/embeddings", Map.of("Authorization", "Bearer " + KEY), body);
        assertEquals(200, a.status());
        JsonNode data = a.json().path("data");
        assertEquals(2, data.size());
        assertEquals(1, data.get(1).path("index").asInt());
        assertEquals(
                OpenAiMock.DEFAULT_DIMENSIONS, data.get(0).path("embedding").size());
        assertEquals(data, b.json().path("data"));
        assertNotEquals(data.get(0).path("embedding"), data.get(1).path("embedding"));
        assertEquals(3, a.json().path("usage").path("prompt_tokens").asLong()); // 9 characters
        assertEquals("text-embedding-3-small", a.json().path("model").asText());
    }

    @Test
    void shouldListModelsForAValidKey() {
        MockClient.Response r = client.get("/v1/models", Map.of("Authorization", "Bearer " + KEY));
        assertEquals(200, r.status());
        assertEquals("list", r.json().path("object").asText());
        assertEquals("model", r.json().path("data").get(0).path("object").asText());
        assertEquals(401, client.get("/v1/models", Map.of()).status());
    }
}
