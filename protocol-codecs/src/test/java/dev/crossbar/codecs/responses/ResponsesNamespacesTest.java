package dev.crossbar.codecs.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.FinishReason;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.model.Tool;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.codecs.spi.ClientStreamEncoder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A namespace's functions travel under their flat names ({@code namespace__name}); a call to one comes back
 * to the Responses client as OpenAI reports it, a {@code function_call} with its {@code namespace}.
 */
class ResponsesNamespacesTest {

    private final OpenAiResponsesClientCodec codec = new OpenAiResponsesClientCodec();

    private final ChatRequest request = ChatRequest.builder("gpt-5")
            .tools(List.of(
                    new Tool("exec_command", null, null),
                    new Tool("multi_agent_v1__spawn_agent", "Start one.", null, "multi_agent_v1"),
                    new Tool("multi_agent_v1__close_agent", null, null, "multi_agent_v1")))
            .build();

    @Test
    void shouldReportACallToANamespacedFunctionWithItsNamespace() throws Exception {
        ChatResponse reply = new ChatResponse(
                "resp_1",
                "m",
                List.of(
                        new ContentPart.ToolCall("call_1", "multi_agent_v1__spawn_agent", "{\"task\":\"x\"}"),
                        new ContentPart.ToolCall("call_2", "exec_command", "{}")),
                FinishReason.TOOL_CALLS,
                null,
                Usage.ZERO,
                0);
        JsonNode response = Json.MAPPER.readTree(codec.encodeResponse(reply, request));
        JsonNode spawn = response.at("/output/0");
        assertEquals("spawn_agent", spawn.path("name").asText());
        assertEquals("multi_agent_v1", spawn.path("namespace").asText());
        assertFalse(response.at("/output/1").has("namespace"), "a plain function has none");

        JsonNode tools = response.path("tools");
        assertEquals(2, tools.size(), "functions flat, the namespace's regrouped: " + tools);
        assertEquals("namespace", tools.at("/1/type").asText());
        assertEquals("multi_agent_v1", tools.at("/1/name").asText());
        assertEquals("close_agent", tools.at("/1/tools/1/name").asText());

        // The client replays the call: it reads back under the flat name.
        ChatRequest replay =
                codec.decodeRequest(Json.MAPPER.readTree("{\"model\":\"m\",\"input\":[" + spawn + "]}"), null, false);
        assertEquals(
                new ContentPart.ToolCall("call_1", "multi_agent_v1__spawn_agent", "{\"task\":\"x\"}"),
                replay.messages().get(0).parts().get(0));
    }

    @Test
    void shouldStreamACallToANamespacedFunctionWithItsNamespace() throws Exception {
        ClientStreamEncoder encoder = codec.streamEncoder(request);
        StringBuilder sse = new StringBuilder();
        for (StreamEvent e : List.of(
                new StreamEvent.Start("resp_2", "m", null),
                new StreamEvent.ToolCallStart(0, "call_1", "multi_agent_v1__close_agent"),
                new StreamEvent.ToolCallDelta(0, "{}"),
                new StreamEvent.Finish(FinishReason.TOOL_CALLS, null),
                new StreamEvent.End())) {
            sse.append(encoder.encode(e));
        }
        int added = 0;
        for (String line : sse.toString().split("\n", -1)) {
            if (line.startsWith("data: ") && line.contains("\"function_call\"")) {
                JsonNode event = Json.MAPPER.readTree(line.substring(6));
                JsonNode item = event.has("item") ? event.get("item") : event.at("/response/output/0");
                assertEquals("close_agent", item.path("name").asText(), line);
                assertEquals("multi_agent_v1", item.path("namespace").asText(), line);
                added++;
            }
        }
        assertTrue(added >= 3, "added, done and completed carry the call: " + sse);
    }
}
