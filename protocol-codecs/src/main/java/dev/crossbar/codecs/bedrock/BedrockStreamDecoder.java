package dev.crossbar.codecs.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.codecs.spi.UpstreamStreamDecoder;
import dev.crossbar.codecs.sse.StreamFormatException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * ConverseStream's binary event stream to canonical events: {@code messageStart}, then per content block
 * {@code contentBlockStart} (tool calls only), {@code contentBlockDelta}s and {@code contentBlockStop}, then
 * {@code messageStop} with the stop reason and {@code metadata} with the usage. An exception message ends the
 * stream with its error. The stream is complete only if {@code messageStop} came before the connection closed.
 */
final class BedrockStreamDecoder implements UpstreamStreamDecoder {

    private enum State {
        OPEN,
        DONE,
        FAILED
    }

    private final EventStreamDecoder frames = new EventStreamDecoder();
    private final Consumer<EventStreamMessage> onMessage = this::onMessage;
    /** Converse's content block index of each tool call to the call's canonical index. */
    private final Map<Integer, Integer> toolIndexOfBlock = new HashMap<>();

    private Consumer<StreamEvent> out = event -> {};
    private State state = State.OPEN;
    private boolean started;
    private boolean finished;
    private @Nullable Usage usage;

    @Override
    public void decode(byte[] bytes, int offset, int length, Consumer<StreamEvent> sink) {
        if (state != State.OPEN) {
            return;
        }
        out = sink;
        try {
            frames.feed(bytes, offset, length, onMessage);
        } catch (StreamFormatException e) {
            fail(ApiError.of(ErrorKind.BAD_GATEWAY, "the upstream stream broke its framing: " + e.getMessage()));
        }
    }

    @Override
    public void end(Consumer<StreamEvent> sink) {
        out = sink;
        if (state != State.OPEN) {
            return;
        }
        if (!frames.atBoundary()) {
            fail(ApiError.of(ErrorKind.BAD_GATEWAY, "the upstream stream ended inside a message"));
            return;
        }
        if (!finished) {
            fail(ApiError.of(ErrorKind.BAD_GATEWAY, "the upstream stream ended before messageStop"));
            return;
        }
        if (usage != null) {
            out.accept(new StreamEvent.UsageUpdate(usage));
        }
        out.accept(new StreamEvent.End());
        state = State.DONE;
    }

    private void onMessage(EventStreamMessage m) {
        if (state != State.OPEN) {
            return;
        }
        JsonNode payload;
        try {
            payload = m.payload().length == 0 ? Json.NODES.objectNode() : Json.MAPPER.readTree(m.payload());
        } catch (IOException e) {
            payload = null;
        }
        if (payload == null || !payload.isObject()) {
            fail(ApiError.of(ErrorKind.BAD_GATEWAY, "the upstream sent a malformed stream event"));
            return;
        }
        String kind = m.header(EventStreamMessage.MESSAGE_TYPE);
        if (!"event".equals(kind)) {
            String type = BedrockWire.shortType(
                    "exception".equals(kind) ? m.header(EventStreamMessage.EXCEPTION_TYPE) : m.header(":error-code"));
            int status = BedrockWire.statusOf(type, 502);
            String message =
                    payload.path("message").asText(payload.path("Message").asText(null));
            fail(BedrockWire.error(status, message != null ? message : m.header(":error-message")));
            return;
        }
        String event = m.header(EventStreamMessage.EVENT_TYPE);
        if (event == null) {
            return;
        }
        if (!started) {
            started = true;
            out.accept(new StreamEvent.Start(null, null, null));
        }
        switch (event) {
            case "contentBlockStart" -> blockStart(payload);
            case "contentBlockDelta" -> blockDelta(payload);
            case "messageStop" -> {
                if (!finished) {
                    finished = true;
                    out.accept(new StreamEvent.Finish(
                            BedrockWire.finishReason(payload.path("stopReason").textValue()),
                            BedrockWire.stopSequence(payload)));
                }
            }
            case "metadata" -> {
                if (payload.hasNonNull("usage")) {
                    usage = BedrockWire.usage(payload.get("usage"));
                }
            }
            default -> {
                // messageStart and contentBlockStop carry nothing the canonical stream needs.
            }
        }
    }

    private void blockStart(JsonNode payload) {
        JsonNode use = payload.path("start").path("toolUse");
        if (!use.isObject()) {
            return;
        }
        int toolIndex = toolIndexOfBlock.size();
        toolIndexOfBlock.put(payload.path("contentBlockIndex").asInt(), toolIndex);
        out.accept(new StreamEvent.ToolCallStart(
                toolIndex, use.path("toolUseId").textValue(), use.path("name").asText("")));
    }

    private void blockDelta(JsonNode payload) {
        JsonNode delta = payload.path("delta");
        if (delta.path("text").isTextual()) {
            out.accept(new StreamEvent.TextDelta(delta.get("text").textValue()));
        } else if (delta.path("toolUse").isObject()) {
            Integer toolIndex =
                    toolIndexOfBlock.get(payload.path("contentBlockIndex").asInt());
            if (toolIndex == null) {
                fail(ApiError.of(ErrorKind.BAD_GATEWAY, "the upstream streamed tool input for no tool call"));
                return;
            }
            String input = delta.get("toolUse").path("input").asText("");
            if (!input.isEmpty()) {
                out.accept(new StreamEvent.ToolCallDelta(toolIndex, input));
            }
        } else if (delta.path("reasoningContent").path("text").isTextual()) {
            String text = delta.get("reasoningContent").get("text").textValue();
            if (!text.isEmpty()) {
                out.accept(new StreamEvent.ThinkingDelta(text));
            }
        }
    }

    private void fail(ApiError error) {
        if (state == State.OPEN) {
            state = State.FAILED;
            out.accept(new StreamEvent.Error(error));
        }
    }
}
