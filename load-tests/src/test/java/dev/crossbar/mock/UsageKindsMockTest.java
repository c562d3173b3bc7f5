package dev.crossbar.mock;

import static dev.crossbar.mock.MockClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code mock:usage} makes each provider report cache reads, cache writes and reasoning in its own fields,
 * the same whole and streamed, and charge its key's bucket by its own rule (Anthropic leaves cache reads out).
 */
@ExtendWith(VertxExtension.class)
class UsageKindsMockTest {

    /** The prompt asks for every kind; its own tokens are its characters / 4, the reply echoes it. */
    private static final String TEXT =
            "hi mock:usage cache_read=1000 cache_write_5m=300 cache_write_1h=200 reasoning=40";

    private static final long PROMPT = Replies.tokens(TEXT.length());
    private static final long OUTPUT = Replies.tokens(("echo: " + TEXT).length());

    MockProviders mock;
    MockClient client;

    @BeforeEach
    void start(Vertx vertx) {
        mock = await(MockProviders.start(
                vertx,
                MockConfig.of(
                        MockKey.unlimited("oa", MockKey.OPENAI),
                        MockKey.unlimited("an", MockKey.ANTHROPIC),
                        MockKey.unlimited("ge", MockKey.GEMINI))));
        client = new MockClient(vertx, mock.port());
    }

    @AfterEach
    void stop() {
        client.close();
        await(mock.close());
    }

    @Test
    void shouldReadTheDirective() {
        assertEquals(new TokenKinds(1000, 300, 200, 40), TokenKinds.from(TEXT));
        assertEquals(new TokenKinds(5, 0, 0, 0), TokenKinds.from("a\nmock:usage cache_read=5\nmore"));
        assertEquals(TokenKinds.NONE, TokenKinds.from("no directive"));
        assertThrows(IllegalArgumentException.class, () -> TokenKinds.from("mock:usage audio=3"));
    }

    @Test
    void openAiChatCountsCacheInThePromptAndReasoningInTheCompletion() {
        String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + TEXT + "\"}]";
        JsonNode whole = post("/v1/chat/completions", "Authorization", "Bearer oa", body + "}")
                .json()
                .get("usage");
        assertEquals(PROMPT + 1500, whole.path("prompt_tokens").asLong());
        assertEquals(1000, whole.at("/prompt_tokens_details/cached_tokens").asLong());
        assertEquals(500, whole.at("/prompt_tokens_details/cache_write_tokens").asLong());
        assertEquals(OUTPUT + 40, whole.path("completion_tokens").asLong());
        assertEquals(40, whole.at("/completion_tokens_details/reasoning_tokens").asLong());

        List<Sse.Event> events = post(
                        "/v1/chat/completions",
                        "Authorization",
                        "Bearer oa",
                        body + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}")
                .events();
        JsonNode last = OpenAiMockTest.parse(events.get(events.size() - 2).data());
        assertEquals(whole, last.get("usage"), "the usage chunk says what the whole answer says");
        assertEquals((PROMPT + 1500 + OUTPUT + 40) * 2, mock.stats().key("oa").tokensCharged(), "every token counts");
    }

    @Test
    void responsesDetailsTheInputAndOutput() {
        String body = "{\"model\":\"m\",\"input\":\"" + TEXT + "\"";
        JsonNode whole = post("/v1/responses", "Authorization", "Bearer oa", body + "}")
                .json()
                .get("usage");
        assertEquals(PROMPT + 1500, whole.path("input_tokens").asLong());
        assertEquals(1000, whole.at("/input_tokens_details/cached_tokens").asLong());
        assertEquals(500, whole.at("/input_tokens_details/cache_write_tokens").asLong());
        assertEquals(OUTPUT + 40, whole.path("output_tokens").asLong());
        assertEquals(40, whole.at("/output_tokens_details/reasoning_tokens").asLong());
        List<Sse.Event> events = post("/v1/responses", "Authorization", "Bearer oa", body + ",\"stream\":true}")
                .events();
        JsonNode completed = OpenAiMockTest.parse(events.get(events.size() - 1).data());
        assertEquals(whole, completed.at("/response/usage"));
    }

    @Test
    void anthropicKeepsCacheOutOfInputTokensAndItsLimit() {
        String body =
                "{\"model\":\"m\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"" + TEXT + "\"}]";
        Map<String, String> headers = Map.of("x-api-key", "an", "anthropic-version", "2023-06-01");
        JsonNode whole = client.post("/v1/messages", headers, body + "}").json().get("usage");
        assertEquals(PROMPT, whole.path("input_tokens").asLong());
        assertEquals(1000, whole.path("cache_read_input_tokens").asLong());
        assertEquals(500, whole.path("cache_creation_input_tokens").asLong());
        assertEquals(300, whole.at("/cache_creation/ephemeral_5m_input_tokens").asLong());
        assertEquals(200, whole.at("/cache_creation/ephemeral_1h_input_tokens").asLong());
        assertEquals(OUTPUT + 40, whole.path("output_tokens").asLong());
        assertEquals(40, whole.at("/output_tokens_details/thinking_tokens").asLong());

        List<JsonNode> events =
                AnthropicMockTest.events(client.post("/v1/messages", headers, body + ",\"stream\":true}"));
        JsonNode start = events.get(0).at("/message/usage");
        assertEquals(PROMPT, start.path("input_tokens").asLong());
        assertEquals(whole.get("cache_creation"), start.get("cache_creation"));
        assertEquals(1, start.path("output_tokens").asLong(), "a placeholder, as Anthropic sends it");
        JsonNode delta = events.get(events.size() - 2).get("usage");
        assertEquals(OUTPUT + 40, delta.path("output_tokens").asLong());
        assertFalse(delta.has("cache_read_input_tokens"), "the input side came in message_start");
        // The bucket: 2 x (the prompt's own tokens + writes + max tokens reserved), cache reads left out.
        assertEquals((PROMPT + 500 + 100) * 2, mock.stats().key("an").tokensCharged());
    }

    @Test
    void geminiCountsCachedContentInThePromptAndThoughtsApart() {
        String body = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"" + TEXT + "\"}]}]}";
        Map<String, String> headers = Map.of("x-goog-api-key", "ge");
        JsonNode whole = client.post("/v1beta/models/g:generateContent", headers, body)
                .json()
                .get("usageMetadata");
        assertEquals(PROMPT + 1500, whole.path("promptTokenCount").asLong());
        assertEquals(1000, whole.path("cachedContentTokenCount").asLong());
        assertEquals(OUTPUT, whole.path("candidatesTokenCount").asLong());
        assertEquals(40, whole.path("thoughtsTokenCount").asLong());
        assertEquals(PROMPT + 1500 + OUTPUT + 40, whole.path("totalTokenCount").asLong());
        List<Sse.Event> events = client.post("/v1beta/models/g:streamGenerateContent?alt=sse", headers, body)
                .events();
        JsonNode first = OpenAiMockTest.parse(events.get(0).data()).get("usageMetadata");
        JsonNode last =
                OpenAiMockTest.parse(events.get(events.size() - 1).data()).get("usageMetadata");
        assertEquals(40, first.path("thoughtsTokenCount").asLong(), "thoughts come first, whole");
        assertEquals(whole, last, "the last chunk's usage is the whole answer's");
    }

    private MockClient.Response post(String path, String header, String value, String body) {
        return client.post(path, Map.of(header, value), body);
    }
}
