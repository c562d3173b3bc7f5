package dev.crossbar.mock;

import static dev.crossbar.mock.MockClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
class GeminiMockTest {

    static final String KEY = "gem-test";
    static final String OPENAI_KEY = "sk-openai-test";
    static final String GENERATE = "/v1beta/models/gemini-test:generateContent";
    static final String STREAM = "/v1beta/models/gemini-test:streamGenerateContent?alt=sse";
    static final String TOOLS = "[{\"functionDeclarations\":[{\"name\":\"search\",\"parameters\":{\"type\":\"OBJECT\","
            + "\"properties\":{\"q\":{\"type\":\"STRING\"},\"exact\":{\"type\":\"BOOLEAN\"}},\"required\":[\"q\",\"exact\"]}},"
            + "{\"name\":\"other\"}]}]";

    MockProviders mock;
    MockClient client;

    @BeforeEach
    void start(Vertx vertx) {
        mock = await(MockProviders.start(
                vertx,
                MockConfig.of(MockKey.unlimited(KEY, MockKey.GEMINI), MockKey.unlimited(OPENAI_KEY, MockKey.OPENAI))));
        client = new MockClient(vertx, mock.port());
    }

    @AfterEach
    void stop() {
        client.close();
        await(mock.close());
    }

    MockClient.Response post(String path, String body) {
        return client.post(path, Map.of("x-goog-api-key", KEY), body);
    }

    static JsonNode firstPart(JsonNode response) {
        return response.path("candidates").get(0).path("content").path("parts").get(0);
    }

    @Test
    void shouldEchoLastUserTextWithUsageMetadata() {
        MockClient.Response r = post(
                GENERATE,
                "{\"systemInstruction\":{\"parts\":[{\"text\":\"be nice\"}]},\"contents\":["
                        + "{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]},{\"role\":\"model\",\"parts\":[{\"text\":\"yo\"}]},"
                        + "{\"role\":\"user\",\"parts\":[{\"text\":\"how\"},{\"text\":\" are you\"}]}]}");
        assertEquals(200, r.status());
        JsonNode json = r.json();
        JsonNode candidate = json.path("candidates").get(0);
        assertEquals("model", candidate.path("content").path("role").asText());
        assertEquals("echo: how are you", firstPart(json).path("text").asText());
        assertEquals("STOP", candidate.path("finishReason").asText());
        assertEquals(0, candidate.path("index").asInt());
        // 7 + 2 + 2 + 11 = 22 characters -> 6 tokens; 17 reply characters -> 5 tokens.
        assertEquals(6, json.path("usageMetadata").path("promptTokenCount").asLong());
        assertEquals(5, json.path("usageMetadata").path("candidatesTokenCount").asLong());
        assertEquals(11, json.path("usageMetadata").path("totalTokenCount").asLong());
        assertEquals("gemini-test", json.path("modelVersion").asText());
        assertFalse(json.path("responseId").asText().isEmpty());
        assertNull(r.header("x-ratelimit-limit-requests"), "Gemini sends no rate-limit headers");
    }

    @Test
    void shouldStreamChunksWithCumulativeUsageAndNoDoneMarker() {
        MockClient.Response r =
                post(STREAM, "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hello big world\"}]}]}");
        assertTrue(r.header("content-type").startsWith("text/event-stream"));
        List<Sse.Event> events = r.events();
        List<String> words = new ArrayList<>();
        long lastCount = 0;
        for (int i = 0; i < events.size(); i++) {
            assertNull(events.get(i).event());
            JsonNode chunk = OpenAiMockTest.parse(events.get(i).data());
            words.add(firstPart(chunk).path("text").asText());
            long count =
                    chunk.path("usageMetadata").path("candidatesTokenCount").asLong();
            assertTrue(count >= lastCount, "usage is cumulative");
            lastCount = count;
            assertEquals(4, chunk.path("usageMetadata").path("promptTokenCount").asLong());
            boolean last = i == events.size() - 1;
            assertEquals(
                    last ? "STOP" : "",
                    chunk.path("candidates").get(0).path("finishReason").asText(""));
        }
        assertEquals(List.of("echo:", " hello", " big", " world"), words);
        assertEquals(6, lastCount); // 21 characters
        assertFalse(r.body().contains("[DONE]"));
    }

    @Test
    void shouldStreamAJsonArrayWithoutAltSse() {
        MockClient.Response r = post(
                "/v1beta/models/gemini-test:streamGenerateContent",
                "{\"contents\":[{\"parts\":[{\"text\":\"a b\"}]}]}");
        assertTrue(r.json().isArray());
        assertEquals(3, r.json().size());
    }

    @Test
    void shouldCallFirstFunctionWithWholeArgs() {
        String body = "{\"tools\":" + TOOLS + ",\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"cats\"}]}]}";
        for (String path : List.of(GENERATE, STREAM)) {
            MockClient.Response r = post(path, body);
            JsonNode json = GENERATE.equals(path)
                    ? r.json()
                    : OpenAiMockTest.parse(r.events().get(0).data());
            if (STREAM.equals(path)) {
                assertEquals(1, r.events().size(), "a function call arrives whole in one chunk");
            }
            JsonNode call = firstPart(json).path("functionCall");
            assertEquals("search", call.path("name").asText());
            assertEquals("{\"q\":\"cats\",\"exact\":false}", Json.write(call.path("args")));
            assertEquals(
                    "STOP", json.path("candidates").get(0).path("finishReason").asText());
        }
    }

    @Test
    void shouldCallTheDictatedFunctionOrTheOneModeAnyAllows() {
        JsonNode dictated = post(
                        GENERATE,
                        "{\"tools\":" + TOOLS + ",\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":"
                                + "\"mock:call other {\\\"dir\\\":\\\".\\\"}\"}]}]}")
                .json();
        assertEquals(
                "other", firstPart(dictated).path("functionCall").path("name").asText());
        assertEquals(
                "{\"dir\":\".\"}",
                Json.write(firstPart(dictated).path("functionCall").path("args")));
        JsonNode forced = post(
                        GENERATE,
                        "{\"tools\":" + TOOLS + ",\"toolConfig\":{\"functionCallingConfig\":{\"mode\":\"ANY\","
                                + "\"allowedFunctionNames\":[\"other\"]}},"
                                + "\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"x\"}]}]}")
                .json();
        assertEquals(
                "other", firstPart(forced).path("functionCall").path("name").asText());
    }

    @Test
    void shouldAnswerJsonOfTheResponseSchema() {
        JsonNode r = post(
                        GENERATE,
                        "{\"generationConfig\":{\"responseMimeType\":\"application/json\",\"responseSchema\":"
                                + "{\"type\":\"OBJECT\",\"properties\":{\"city\":{\"type\":\"STRING\"}}}},"
                                + "\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Oslo\"}]}]}")
                .json();
        assertEquals("{\"city\":\"Oslo\"}", firstPart(r).path("text").asText());
    }

    @Test
    void shouldReplyWithFunctionResponseResultOrWholeObject() {
        String withResult =
                "{\"tools\":" + TOOLS + ",\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"cats\"}]},"
                        + "{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"search\",\"args\":{}}}]},"
                        + "{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"search\",\"response\":{\"result\":\"7 cats\"}}}]}]}";
        assertEquals(
                "tool said: 7 cats",
                firstPart(post(GENERATE, withResult).json()).path("text").asText());
        String withObject = withResult.replace("{\"result\":\"7 cats\"}", "{\"count\":7}");
        assertEquals(
                "tool said: {\"count\":7}",
                firstPart(post(GENERATE, withObject).json()).path("text").asText());
    }

    @Test
    void shouldFinishWithMaxTokens() {
        MockClient.Response r = post(
                GENERATE,
                "{\"generationConfig\":{\"maxOutputTokens\":2},"
                        + "\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"tell me more\"}]}]}");
        assertEquals("echo: te", firstPart(r.json()).path("text").asText());
        assertEquals(
                "MAX_TOKENS",
                r.json().path("candidates").get(0).path("finishReason").asText());
        assertEquals(
                2, r.json().path("usageMetadata").path("candidatesTokenCount").asLong());
    }

    @Test
    void shouldAcceptKeyQueryParameter() {
        MockClient.Response r = client.post(
                GENERATE + "?key=" + KEY,
                Map.of(),
                "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}");
        assertEquals(200, r.status());
    }

    @Test
    void shouldAnswerWrongAndForeignKeysAsGeminiDoesWith400ApiKeyInvalid() {
        for (String key : List.of("wrong", OPENAI_KEY)) {
            MockClient.Response r = client.post(
                    GENERATE,
                    Map.of("x-goog-api-key", key),
                    "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}");
            assertEquals(400, r.status());
            assertEquals(400, r.json().path("error").path("code").asInt());
            assertEquals(
                    "INVALID_ARGUMENT", r.json().path("error").path("status").asText());
            assertEquals(
                    "API key not valid. Please pass a valid API key.",
                    r.json().path("error").path("message").asText());
            assertEquals(
                    "API_KEY_INVALID",
                    r.json()
                            .path("error")
                            .path("details")
                            .path(0)
                            .path("reason")
                            .asText());
        }
        assertEquals(1, mock.stats().key(OPENAI_KEY).unauthorized());
    }

    @Test
    void shouldAnswerMissingContentsWithInvalidArgument() {
        MockClient.Response r = post(GENERATE, "{}");
        assertEquals(400, r.status());
        assertEquals("INVALID_ARGUMENT", r.json().path("error").path("status").asText());
    }
}
