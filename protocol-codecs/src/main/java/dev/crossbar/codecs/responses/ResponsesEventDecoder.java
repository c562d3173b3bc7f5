package dev.crossbar.codecs.responses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ErrorKind;
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
 * The Responses API event stream to canonical events. Deltas of text, refusals, reasoning summaries and
 * reasoning text, and function-call arguments are passed on as they come; an item that arrives only whole
 * ({@code response.output_item.done} without deltas, as some servers send) is passed on whole; encrypted
 * reasoning becomes a signature when its item is done. {@code response.completed} (or {@code incomplete},
 * or the {@code response.done} some servers send) gives Finish, usage and End; {@code response.failed} and
 * {@code error} give Error. Events of built-in tools and unknown events are skipped. A body that closes
 * before a terminal event is a cut stream.
 */
final class ResponsesEventDecoder implements UpstreamStreamDecoder {

    private enum State {
        OPEN,
        DONE,
        FAILED
    }

    /** What the decoder knows of one output item, by its output index (or id). */
    private static final class Item {
        /** Canonical tool index of a function call, else -1. */
        int toolIndex = -1;
        /** Text, reasoning or arguments of this item went out as deltas. */
        boolean streamed;
        /** The summary part reasoning deltas belong to, to put a blank line between parts. */
        int summaryIndex;
    }

    private final SseDecoder sse = new SseDecoder();
    private final Consumer<SseEvent> onEvent = this::onEvent;
    private final Map<String, Item> items = new HashMap<>();
    private Consumer<StreamEvent> out = event -> {};
    private State state = State.OPEN;
    private boolean started;
    private int toolCount;
    private boolean ending;

    @Override
    public void decode(byte[] bytes, int offset, int length, Consumer<StreamEvent> sink) {
        if (state != State.OPEN) {
            return;
        }
        out = sink;
        try {
            sse.feed(bytes, offset, length, onEvent);
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
        ending = true;
        try {
            sse.finish(onEvent);
        } catch (StreamFormatException e) {
            fail(ApiError.of(ErrorKind.BAD_GATEWAY, "the upstream stream broke its framing: " + e.getMessage()));
        }
        if (state == State.OPEN) {
            fail(ApiError.of(ErrorKind.BAD_GATEWAY, "the upstream stream ended before response.completed"));
        }
    }

    private void onEvent(SseEvent e) {
        if (state != State.OPEN || e.data().isBlank() || e.data().startsWith("[DONE]")) {
            return;
        }
        JsonNode ev;
        try {
            ev = Json.tree(e.data());
        } catch (IOException ex) {
            ev = null;
        }
        if (ev == null || !ev.isObject()) {
            fail(ApiError.of(
                    ErrorKind.BAD_GATEWAY,
                    ending
                            ? "the upstream stream ended before response.completed"
                            : "the upstream sent a malformed stream event"));
            return;
        }
        String type = ev.path("type").textValue();
        if (type == null) {
            type = e.event() == null ? "" : e.event();
        }
        switch (type) {
            case "response.created", "response.queued", "response.in_progress" -> start(ev.path("response"));
            case "response.output_item.added" -> itemAdded(ev);
            case "response.output_text.delta", "response.refusal.delta" ->
                text(item(ev), ev.path("delta").asText());
            case "response.reasoning_summary_text.delta", "response.reasoning_text.delta" -> reasoning(ev);
            case "response.function_call_arguments.delta" ->
                arguments(item(ev), ev.path("delta").asText(), false);
            case "response.function_call_arguments.done" ->
                arguments(item(ev), ev.path("arguments").asText(), true);
            case "response.output_item.done" -> itemDone(item(ev), ev.path("item"));
            case "response.completed", "response.incomplete", "response.done" -> completed(ev.path("response"));
            case "response.failed" -> {
                JsonNode error = ev.path("response").path("error");
                fail(
                        error.isObject()
                                ? ResponsesWire.error(error)
                                : ApiError.of(ErrorKind.BAD_GATEWAY, "the upstream provider's response failed"));
            }
            case "error" -> fail(ResponsesWire.error(ev.path("error").isObject() ? ev.get("error") : ev));
            default -> {
                // content_part and *.done events restate what the deltas said; built-in tools' events carry nothing
            }
        }
    }

    private void start(JsonNode response) {
        if (!started) {
            started = true;
            out.accept(new StreamEvent.Start(
                    response.path("id").textValue(), response.path("model").textValue(), null));
        }
    }

    private Item item(JsonNode ev) {
        JsonNode index = ev.get("output_index");
        String key = index != null && index.canConvertToInt()
                ? "#" + index.intValue()
                : ev.path("item_id").asText(ev.path("item").path("id").asText(""));
        return items.computeIfAbsent(key, k -> new Item());
    }

    private void itemAdded(JsonNode ev) {
        start(Json.NODES.objectNode());
        JsonNode item = ev.path("item");
        if ("function_call".equals(item.path("type").textValue())) {
            Item known = item(ev);
            callStarted(known, item);
            String args = item.path("arguments").asText("");
            if (!args.isEmpty()) {
                arguments(known, args, false);
            }
        }
    }

    private void callStarted(Item known, JsonNode call) {
        if (known.toolIndex < 0) {
            known.toolIndex = toolCount++;
            var c = ResponsesWire.functionCall(call);
            out.accept(new StreamEvent.ToolCallStart(known.toolIndex, c.id(), c.name()));
        }
    }

    private void text(Item known, String delta) {
        start(Json.NODES.objectNode());
        if (!delta.isEmpty()) {
            known.streamed = true;
            out.accept(new StreamEvent.TextDelta(delta));
        }
    }

    private void reasoning(JsonNode ev) {
        start(Json.NODES.objectNode());
        Item known = item(ev);
        String delta = ev.path("delta").asText();
        int part = ev.path("summary_index").asInt(known.summaryIndex);
        if (delta.isEmpty()) {
            return;
        }
        if (known.streamed && part != known.summaryIndex) {
            out.accept(new StreamEvent.ThinkingDelta("\n\n"));
        }
        known.summaryIndex = part;
        known.streamed = true;
        out.accept(new StreamEvent.ThinkingDelta(delta));
    }

    /** Argument deltas; {@code whole} (the done event) counts only when no delta came. */
    private void arguments(Item known, String fragment, boolean whole) {
        if (known.toolIndex < 0 || fragment.isEmpty() || (whole && known.streamed)) {
            return;
        }
        known.streamed = true;
        out.accept(new StreamEvent.ToolCallDelta(known.toolIndex, fragment));
    }

    private void itemDone(Item known, JsonNode item) {
        start(Json.NODES.objectNode());
        switch (item.path("type").asText()) {
            case "function_call" -> {
                callStarted(known, item);
                if (!known.streamed) {
                    known.streamed = true;
                    out.accept(new StreamEvent.ToolCallDelta(
                            known.toolIndex, ResponsesWire.arguments(item.get("arguments"))));
                }
            }
            case "message" -> {
                if (!known.streamed) {
                    text(known, ResponsesWire.messageText(item));
                }
            }
            case "reasoning" -> {
                if (!known.streamed) {
                    String text = ResponsesWire.reasoningText(item);
                    if (!text.isEmpty()) {
                        known.streamed = true;
                        out.accept(new StreamEvent.ThinkingDelta(text));
                    }
                }
                var signed = ResponsesWire.reasoning(item, "");
                if (signed != null && signed.signature() != null) {
                    out.accept(new StreamEvent.ThinkingSignature(signed.signature(), Issuer.OPENAI));
                }
            }
            default -> {
                // a built-in tool's item: the provider ran it
            }
        }
    }

    /** The terminal Response; items it holds that no event announced (a server that streams little) go first. */
    private void completed(JsonNode response) {
        start(response);
        if (items.isEmpty()) {
            int index = 0;
            for (JsonNode item : response.path("output")) {
                itemDone(items.computeIfAbsent("#" + index++, k -> new Item()), item);
            }
        }
        state = State.DONE;
        out.accept(new StreamEvent.Finish(ResponsesWire.finish(response, toolCount > 0), null));
        if (response.path("usage").isObject()) {
            out.accept(new StreamEvent.UsageUpdate(ResponsesWire.usage(response.get("usage"))));
        }
        out.accept(new StreamEvent.End());
    }

    private void fail(ApiError error) {
        if (state == State.OPEN) {
            state = State.FAILED;
            out.accept(new StreamEvent.Error(error));
        }
    }
}
