package dev.crossbar.codecs.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.model.FinishReason;
import dev.crossbar.codecs.model.Issuer;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.spi.UpstreamStreamDecoder;
import dev.crossbar.codecs.sse.SseDecoder;
import dev.crossbar.codecs.sse.SseEvent;
import dev.crossbar.codecs.sse.StreamFormatException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Anthropic's SSE to canonical events. Block indices are Anthropic's; tool calls get their own
 * 0-based counter. message_delta gives Finish and cumulative usage (the input side from message_start
 * unless the delta restates it, see {@link AnthropicUsage}),
 * message_stop gives End; a body that closes before message_stop is a cut stream.
 */
final class AnthropicStreamDecoder implements UpstreamStreamDecoder {

    private enum State {
        OPEN,
        DONE,
        FAILED
    }

    private enum Kind {
        TEXT,
        THINKING,
        TOOL,
        JSON_TEXT,
        OTHER
    }

    private static final class Block {
        final Kind kind;
        final int toolIndex;
        boolean sentArguments;

        Block(Kind kind, int toolIndex) {
            this.kind = kind;
            this.toolIndex = toolIndex;
        }
    }

    private final SseDecoder sse = new SseDecoder();
    private final Consumer<SseEvent> onEvent = this::onEvent;
    private final Map<Integer, Block> blocks = new HashMap<>();
    private Consumer<StreamEvent> out = event -> {};
    private State state = State.OPEN;
    private boolean started;
    private boolean finished;
    private boolean realToolCall;
    private int toolCount;
    private final AnthropicUsage usage = new AnthropicUsage();

    @Override
    public void decode(byte[] bytes, int offset, int length, Consumer<StreamEvent> sink) {
        if (state != State.OPEN) {
            return;
        }
        out = sink;
        try {
            sse.feed(bytes, offset, length, onEvent);
        } catch (StreamFormatException e) {
            fail(ErrorKind.BAD_GATEWAY, "the upstream stream broke its framing: " + e.getMessage());
        }
    }

    @Override
    public void end(Consumer<StreamEvent> sink) {
        out = sink;
        if (state == State.OPEN) {
            try {
                sse.finish(onEvent);
            } catch (StreamFormatException e) {
                fail(ErrorKind.BAD_GATEWAY, "the upstream stream broke its framing: " + e.getMessage());
            }
        }
        if (state == State.OPEN) {
            fail(ErrorKind.BAD_GATEWAY, "the upstream stream ended before message_stop");
        }
    }

    private void onEvent(SseEvent e) {
        if (state != State.OPEN) {
            return;
        }
        JsonNode node;
        try {
            node = Json.tree(e.data());
        } catch (IOException ex) {
            fail(ErrorKind.BAD_GATEWAY, "the upstream sent a malformed stream event");
            return;
        }
        if (node == null || !node.isObject()) {
            fail(ErrorKind.BAD_GATEWAY, "the upstream sent a malformed stream event");
            return;
        }
        String type = node.path("type").textValue();
        if (type == null) {
            type = e.event() == null ? "" : e.event();
        }
        switch (type) {
            case "message_start" -> messageStart(node.path("message"));
            case "content_block_start" -> blockStart(node.path("index").asInt(), node.path("content_block"));
            case "content_block_delta" -> blockDelta(node.path("index").asInt(), node.path("delta"));
            case "content_block_stop" -> blockStop(node.path("index").asInt());
            case "message_delta" -> messageDelta(node);
            case "message_stop" -> messageStop();
            case "error" -> {
                out.accept(new StreamEvent.Error(AnthropicUpstreamCodec.errorFrom(node.path("error"), 0)));
                state = State.FAILED;
            }
            default -> {
                // ping, and event types added after this was written
            }
        }
    }

    private void messageStart(JsonNode message) {
        if (started) {
            return;
        }
        started = true;
        usage.read(message.get("usage"), false);
        out.accept(new StreamEvent.Start(
                message.path("id").textValue(), message.path("model").textValue(), usage.canonical()));
    }

    private void ensureStarted() {
        if (!started) {
            started = true;
            out.accept(new StreamEvent.Start(null, null, null));
        }
    }

    private void blockStart(int index, JsonNode cb) {
        ensureStarted();
        String type = cb.path("type").asText();
        switch (type) {
            case "text" -> {
                blocks.put(index, new Block(Kind.TEXT, -1));
                text(cb.path("text").asText());
            }
            case "thinking" -> {
                blocks.put(index, new Block(Kind.THINKING, -1));
                String thinking = cb.path("thinking").asText();
                if (!thinking.isEmpty()) {
                    out.accept(new StreamEvent.ThinkingDelta(thinking));
                }
                String signature = cb.path("signature").asText();
                if (!signature.isEmpty()) {
                    out.accept(new StreamEvent.ThinkingSignature(signature, Issuer.ANTHROPIC));
                }
            }
            case "redacted_thinking" -> {
                blocks.put(index, new Block(Kind.OTHER, -1));
                String data = cb.path("data").asText();
                if (!data.isEmpty()) {
                    out.accept(new StreamEvent.RedactedThinking(data, Issuer.ANTHROPIC));
                }
            }
            case "tool_use" -> {
                String name = cb.path("name").asText();
                JsonNode input = cb.path("input");
                if (AnthropicWire.JSON_TOOL.equals(name)) {
                    Block b = new Block(Kind.JSON_TEXT, -1);
                    blocks.put(index, b);
                    if (input.isObject() && input.size() > 0) {
                        b.sentArguments = true;
                        text(Json.string(input));
                    }
                    return;
                }
                realToolCall = true;
                Block b = new Block(Kind.TOOL, toolCount++);
                blocks.put(index, b);
                out.accept(
                        new StreamEvent.ToolCallStart(b.toolIndex, cb.path("id").textValue(), name));
                if (input.isObject() && input.size() > 0) {
                    b.sentArguments = true;
                    out.accept(new StreamEvent.ToolCallDelta(b.toolIndex, Json.string(input)));
                }
            }
            default -> blocks.put(index, new Block(Kind.OTHER, -1)); // server tools and their results
        }
    }

    private void blockDelta(int index, JsonNode delta) {
        ensureStarted();
        Block b = blocks.get(index);
        String type = delta.path("type").asText();
        switch (type) {
            case "text_delta" -> text(delta.path("text").asText());
            case "thinking_delta" -> {
                String t = delta.path("thinking").asText();
                if (!t.isEmpty()) {
                    out.accept(new StreamEvent.ThinkingDelta(t));
                }
            }
            case "signature_delta" -> {
                String signature = delta.path("signature").asText();
                if (!signature.isEmpty()) {
                    out.accept(new StreamEvent.ThinkingSignature(signature, Issuer.ANTHROPIC));
                }
            }
            case "input_json_delta" -> {
                String fragment = delta.path("partial_json").asText();
                if (b == null || fragment.isEmpty()) {
                    return;
                }
                if (b.kind == Kind.TOOL) {
                    b.sentArguments = true;
                    out.accept(new StreamEvent.ToolCallDelta(b.toolIndex, fragment));
                } else if (b.kind == Kind.JSON_TEXT) {
                    b.sentArguments = true;
                    text(fragment);
                }
            }
            default -> {
                // citations_delta and the like: nothing canonical to carry
            }
        }
    }

    private void blockStop(int index) {
        Block b = blocks.get(index);
        if (b != null && !b.sentArguments) {
            b.sentArguments = true;
            if (b.kind == Kind.TOOL) {
                out.accept(new StreamEvent.ToolCallDelta(b.toolIndex, "{}")); // a call without arguments
            } else if (b.kind == Kind.JSON_TEXT) {
                text("{}");
            }
        }
    }

    private void messageDelta(JsonNode node) {
        ensureStarted();
        if (!finished) {
            finished = true;
            JsonNode delta = node.path("delta");
            FinishReason reason =
                    AnthropicWire.finishReason(delta.path("stop_reason").textValue());
            if (reason == FinishReason.TOOL_CALLS && !realToolCall) {
                reason = FinishReason.STOP;
            }
            out.accept(
                    new StreamEvent.Finish(reason, delta.path("stop_sequence").textValue()));
        }
        // Cumulative: each message_delta restates the totals it carries, so the last one wins.
        usage.read(node.get("usage"), true);
        out.accept(new StreamEvent.UsageUpdate(usage.canonical()));
    }

    private void messageStop() {
        ensureStarted();
        if (!finished) {
            finished = true;
            out.accept(new StreamEvent.Finish(FinishReason.STOP, null));
            out.accept(new StreamEvent.UsageUpdate(usage.canonical()));
        }
        out.accept(new StreamEvent.End());
        state = State.DONE;
    }

    private void text(String t) {
        if (!t.isEmpty()) {
            out.accept(new StreamEvent.TextDelta(t));
        }
    }

    private void fail(ErrorKind kind, String message) {
        if (state == State.OPEN) {
            state = State.FAILED;
            out.accept(new StreamEvent.Error(ApiError.of(kind, message)));
        }
    }
}
