package dev.crossbar.mock;

import static dev.crossbar.mock.MockClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class OpenAiResponsesMockTest {

    static final String KEY = "sk-openai-test";

    MockProviders mock;
    MockClient client;

    @BeforeEach
    void start(Vertx vertx) {
        mock = await(MockProviders.start(vertx, MockConfig.of(MockKey.unlimited(KEY, MockKey.OPENAI))));
        client = new MockClient(vertx, mock.port());
    }

    @AfterEach
    void stop() {
        client.close();
        await(mock.close());
    }

    MockClient.Response post(String body) {
        return client.post("/v1/responses", Map.of("Authorization", "Bearer " + KEY), body);
    }

    @Test
    void shouldAnswerAResponseObjectWithTheEchoAndUsage() {
        MockClient.Response r = post(
                "{\"model\":\"gpt-5\",\"instructions\":\"be brief\",\"input\":["
                        + "{\"role\":\"developer\",\"content\":\"ok\"},"
                        + "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"hello world\"}]}]}");
        assertEquals(200, r.status(), r.body());
        JsonNode json = r.json();
        assertEquals("response", json.path("object").asText());
        assertTrue(json.path("id").asText().startsWith("resp_"));
        assertEquals("completed", json.path("status").asText());
        assertEquals("gpt-5", json.path("model").asText());
        JsonNode message = json.at("/output/0");
        assertEquals("message", message.path("type").asText());
        assertEquals("assistant", message.path("role").asText());
        assertEquals("echo: hello world", message.at("/content/0/text").asText());
        assertEquals("output_text", message.at("/content/0/type").asText());
        // 8 + 2 + 11 = 21 characters -> 6 tokens; 17 reply characters -> 5 tokens.
        assertEquals(6, json.at("/usage/input_tokens").asLong());
        assertEquals(5, json.at("/usage/output_tokens").asLong());
        assertEquals(11, json.at("/usage/total_tokens").asLong());
    }

    @Test
    void shouldStreamTheResponsesEventsEndingWithTheWholeResponse() {
        MockClient.Response r = post("{\"model\":\"gpt-5\",\"input\":\"hello there world\",\"stream\":true}");
        assertEquals(200, r.status(), r.body());
        List<Sse.Event> events = r.events();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < events.size(); i++) {
            JsonNode data = OpenAiMockTest.parse(events.get(i).data());
            assertEquals(events.get(i).event(), data.path("type").asText(), "named events");
            assertEquals(i, data.path("sequence_number").asInt());
            if ("response.output_text.delta".equals(data.path("type").asText())) {
                text.append(data.path("delta").asText());
            }
        }
        assertEquals("response.created", events.get(0).event());
        assertEquals("echo: hello there world", text.toString());
        assertTrue(events.size() > 6, "one delta per word");
        JsonNode completed = OpenAiMockTest.parse(events.get(events.size() - 1).data());
        assertEquals("response.completed", completed.path("type").asText());
        assertEquals(
                "echo: hello there world",
                completed.at("/response/output/0/content/0/text").asText());
        assertEquals(6, completed.at("/response/usage/output_tokens").asLong());
    }

    @Test
    void shouldCallAToolOfANamespaceAndNameItsNamespace() {
        MockClient.Response r = post(
                "{\"model\":\"gpt-5\",\"input\":\"mock:call spawn_agent {\\\"task\\\":\\\"t\\\"}\","
                        + "\"tools\":[{\"type\":\"web_search\"},{\"type\":\"namespace\",\"name\":\"multi_agent_v1\",\"tools\":["
                        + "{\"type\":\"function\",\"name\":\"spawn_agent\",\"parameters\":{\"type\":\"object\"}}]}],\"stream\":true}");
        assertEquals(200, r.status(), r.body());
        List<Sse.Event> events = r.events();
        JsonNode added = OpenAiMockTest.parse(events.get(2).data());
        assertEquals("function_call", added.at("/item/type").asText());
        assertEquals("spawn_agent", added.at("/item/name").asText());
        assertEquals("multi_agent_v1", added.at("/item/namespace").asText());
        JsonNode completed = OpenAiMockTest.parse(events.get(events.size() - 1).data());
        JsonNode call = completed.at("/response/output/0");
        assertEquals("{\"task\":\"t\"}", call.path("arguments").asText());
        assertTrue(call.path("call_id").asText().startsWith("call_"));
    }

    @Test
    void shouldAnswerAToolOutputThatEndsTheInput() {
        MockClient.Response r = post("{\"model\":\"gpt-5\",\"input\":["
                + "{\"role\":\"user\",\"content\":\"weather?\"},"
                + "{\"type\":\"function_call\",\"call_id\":\"c1\",\"name\":\"get_weather\",\"arguments\":\"{}\"},"
                + "{\"type\":\"function_call_output\",\"call_id\":\"c1\",\"output\":\"sunny\"}],"
                + "\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}]}");
        assertEquals("tool said: sunny", r.json().at("/output/0/content/0/text").asText(), r.body());
    }

    @Test
    void shouldStopAtMaxOutputTokensAsIncomplete() {
        MockClient.Response r =
                post("{\"model\":\"gpt-5\",\"input\":\"hello there my friend\",\"max_output_tokens\":2}");
        JsonNode json = r.json();
        assertEquals("incomplete", json.path("status").asText(), r.body());
        assertEquals("max_output_tokens", json.at("/incomplete_details/reason").asText());
        assertEquals("echo: he", json.at("/output/0/content/0/text").asText());
    }

    @Test
    void shouldAnswerJsonOfTheRequestedSchema() {
        MockClient.Response r = post(
                "{\"model\":\"gpt-5\",\"input\":\"Paris\",\"text\":{\"format\":{\"type\":\"json_schema\","
                        + "\"name\":\"plan\",\"schema\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}}");
        assertEquals(
                "{\"city\":\"Paris\"}", r.json().at("/output/0/content/0/text").asText(), r.body());
    }

    @Test
    void shouldRefuseBadInputAndForeignKeysInOpenAisShape() {
        MockClient.Response noInput = post("{\"model\":\"gpt-5\"}");
        assertEquals(400, noInput.status());
        assertEquals("invalid_request_error", noInput.json().at("/error/type").asText());
        MockClient.Response wrongKey = client.post(
                "/v1/responses", Map.of("Authorization", "Bearer nope"), "{\"model\":\"gpt-5\",\"input\":\"x\"}");
        assertEquals(401, wrongKey.status());
        assertEquals("invalid_api_key", wrongKey.json().at("/error/code").asText());
        assertFalse(mock.requests().isEmpty(), "the mock keeps what it was sent");
    }
}
