package dev.crossbar.codecs.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.FinishReason;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.codecs.openai.CanonicalArbitraries;
import dev.crossbar.codecs.openai.Golden;
import dev.crossbar.codecs.spi.ClientStreamEncoder;
import dev.crossbar.codecs.sse.SseDecoder;
import dev.crossbar.codecs.sse.SseEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * What the official SDKs rely on in a Responses stream, checked on generated canonical streams: the
 * lifecycle order, sequence numbers, items announced before their deltas and closed once, deltas that
 * add up to the done values, and a terminal event whose Response equals the non-streamed one.
 */
class ResponsesStreamProperties {

    private static final long NOW = 1_700_000_000L;
    private final OpenAiResponsesClientCodec codec =
            new OpenAiResponsesClientCodec(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));

    @Property(tries = 400)
    void streamsKeepTheSdkInvariantsAndEndWithTheWholeResponse(@ForAll("streams") List<StreamEvent> events) {
        ChatRequest request = ChatRequest.builder("requested").stream(true).build();
        ClientStreamEncoder encoder = codec.streamEncoder(request);
        StringBuilder sse = new StringBuilder();
        events.forEach(e -> sse.append(encoder.encode(e)));
        List<SseEvent> wire = new ArrayList<>();
        SseDecoder decoder = new SseDecoder();
        decoder.feed(sse.toString().getBytes(StandardCharsets.UTF_8), wire::add);
        assertTrue(decoder.finish(wire::add));

        assertEquals("response.created", wire.get(0).event());
        assertEquals("response.in_progress", wire.get(1).event());
        Map<Integer, String> open = new HashMap<>();
        Set<Integer> closed = new HashSet<>();
        Map<Integer, StringBuilder> deltas = new HashMap<>();
        JsonNode terminal = null;
        for (int i = 0; i < wire.size(); i++) {
            SseEvent e = wire.get(i);
            JsonNode data = Golden.parse(e.data());
            assertEquals(e.event(), data.get("type").asText());
            assertEquals(i, data.get("sequence_number").asInt());
            assertTrue(terminal == null, "nothing may follow the terminal event");
            switch (e.event()) {
                case "response.output_item.added" -> {
                    int index = data.get("output_index").asInt();
                    assertEquals(open.size() + closed.size(), index, "output indexes count up from 0");
                    open.put(index, data.get("item").get("id").asText());
                    deltas.put(index, new StringBuilder());
                }
                case "response.output_text.delta",
                        "response.function_call_arguments.delta",
                        "response.reasoning_summary_text.delta" -> {
                    int index = data.get("output_index").asInt();
                    assertEquals(open.get(index), data.get("item_id").asText(), "delta for an open, announced item");
                    deltas.get(index).append(data.get("delta").asText());
                }
                case "response.output_text.done", "response.reasoning_summary_text.done" ->
                    assertEquals(
                            deltas.get(data.get("output_index").asInt()).toString(),
                            data.get("text").asText());
                case "response.function_call_arguments.done" -> {
                    String sum = deltas.get(data.get("output_index").asInt()).toString();
                    assertEquals(
                            sum.isBlank() ? "{}" : sum, data.get("arguments").asText());
                }
                case "response.output_item.done" -> {
                    int index = data.get("output_index").asInt();
                    assertNotNull(open.remove(index), "done for an open item");
                    assertTrue(closed.add(index));
                }
                case "response.completed", "response.incomplete", "response.failed" -> terminal = data.get("response");
                default -> {}
            }
        }
        assertNotNull(terminal, "a stream always ends with a terminal event");
        assertEquals(open.size() + closed.size(), terminal.get("output").size());
        assertNotNull(terminal.get("usage"));
        if (!"failed".equals(terminal.get("status").asText())) {
            assertTrue(open.isEmpty(), "every item is closed before the response completes");
            ChatResponse whole = accumulate(events);
            assertEquals(
                    Golden.parse(codec.encodeResponse(whole, request)),
                    terminal,
                    "the terminal event carries what the non-streamed endpoint returns");
        } else {
            assertEquals("error", wire.get(wire.size() - 2).event());
            assertFalse(terminal.get("error").isNull());
        }
    }

    /** The reply the events describe, with parts in the order the stream opened its items. */
    private static ChatResponse accumulate(List<StreamEvent> events) {
        String id = null;
        String model = null;
        List<Object> parts = new ArrayList<>();
        Map<Integer, StringBuilder[]> calls = new HashMap<>();
        FinishReason reason = null;
        Usage usage = Usage.ZERO;
        for (StreamEvent e : events) {
            if (e instanceof StreamEvent.Start s) {
                id = s.id();
                model = s.model();
            } else if (e instanceof StreamEvent.TextDelta t && !t.text().isEmpty()) {
                append(parts, "text", t.text());
            } else if (e instanceof StreamEvent.ThinkingDelta t && !t.text().isEmpty()) {
                append(parts, "thinking", t.text());
            } else if (e instanceof StreamEvent.ToolCallStart c) {
                StringBuilder[] call = {new StringBuilder(c.id()), new StringBuilder(c.name()), new StringBuilder()};
                calls.put(c.toolIndex(), call);
                parts.add(call);
            } else if (e instanceof StreamEvent.ToolCallDelta d) {
                calls.get(d.toolIndex())[2].append(d.argumentsFragment());
            } else if (e instanceof StreamEvent.Finish f) {
                reason = f.reason();
            } else if (e instanceof StreamEvent.UsageUpdate u) {
                usage = u.usage();
            }
        }
        List<ContentPart> content = new ArrayList<>();
        for (Object p : parts) {
            if (p instanceof StringBuilder[] call) {
                content.add(new ContentPart.ToolCall(call[0].toString(), call[1].toString(), call[2].toString()));
            } else {
                Object[] kv = (Object[]) p;
                String text = kv[1].toString();
                content.add("text".equals(kv[0]) ? new ContentPart.Text(text) : new ContentPart.Thinking(text));
            }
        }
        return new ChatResponse(id, model, content, reason, null, usage, NOW);
    }

    // The builder is appended to later, through parts: the check takes it for a one-off concatenation.
    @SuppressWarnings("UnnecessaryStringBuilder")
    private static void append(List<Object> parts, String kind, String text) {
        if (!parts.isEmpty() && parts.get(parts.size() - 1) instanceof Object[] last && kind.equals(last[0])) {
            ((StringBuilder) last[1]).append(text);
        } else {
            parts.add(new Object[] {kind, new StringBuilder(text)});
        }
    }

    @Provide
    Arbitrary<List<StreamEvent>> streams() {
        return CanonicalArbitraries.streams();
    }
}
