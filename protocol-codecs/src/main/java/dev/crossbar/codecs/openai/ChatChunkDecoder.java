package dev.crossbar.codecs.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.model.FinishReason;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.codecs.spi.UpstreamStreamDecoder;
import dev.crossbar.codecs.sse.SseDecoder;
import dev.crossbar.codecs.sse.SseEvent;
import dev.crossbar.codecs.sse.StreamFormatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * {@code chat.completion.chunk} SSE from any OpenAI-compatible server to canonical events. Tolerates the
 * known variations: tool calls keyed by the upstream {@code index} (or, without one, by position and
 * id), ids and names repeated on later deltas or missing (synthesised {@code call_<n>}), a whole call
 * in one chunk, arguments as an object, usage before or with the finish, and no {@code [DONE]} after a
 * finish. Usage is held back until the Finish so the canonical order holds.
 */
final class ChatChunkDecoder implements UpstreamStreamDecoder {

    private static final String CUT = "the upstream stream ended before the reply was complete";

    private final SseDecoder sse = new SseDecoder();
    /** Calls by the upstream's index (a map: a hostile index must not size an array), and in order of arrival. */
    private final Map<Integer, Call> slots = new HashMap<>(4);

    private final List<Call> calls = new ArrayList<>(2);
    private final Consumer<SseEvent> onEvent = this::onEvent;
    private Consumer<StreamEvent> out = event -> {};
    private boolean started;
    private boolean finished;
    private boolean terminal;
    private int toolCount;
    private @Nullable Usage pendingUsage;
    private @Nullable Usage sentUsage;
    /** True while the decoder drains what the upstream left when it closed: a broken event there is a cut. */
    private boolean ending;

    /** One upstream tool call: its canonical index, and arguments held until its name is known. */
    private static final class Call {
        final int toolIndex;
        final @Nullable String upstreamId;
        final String id;

        @Nullable
        String name;

        boolean started;

        @Nullable
        StringBuilder pendingArguments;

        Call(int toolIndex, @Nullable String upstreamId) {
            this.toolIndex = toolIndex;
            this.upstreamId = upstreamId;
            this.id = upstreamId == null || upstreamId.isEmpty() ? "call_" + toolIndex : upstreamId;
        }
    }

    @Override
    public void decode(byte[] bytes, int offset, int length, Consumer<StreamEvent> out) {
        if (terminal) {
            return;
        }
        this.out = out;
        try {
            sse.feed(bytes, offset, length, onEvent);
        } catch (StreamFormatException e) {
            fail(ApiError.of(
                    ErrorKind.BAD_GATEWAY, "the upstream provider sent a malformed stream: " + e.getMessage()));
        }
    }

    @Override
    public void end(Consumer<StreamEvent> out) {
        if (terminal) {
            return;
        }
        this.out = out;
        ending = true;
        try {
            sse.finish(onEvent);
        } catch (StreamFormatException e) {
            fail(ApiError.of(
                    ErrorKind.BAD_GATEWAY, "the upstream provider sent a malformed stream: " + e.getMessage()));
        }
        if (terminal) {
            return;
        }
        if (finished) {
            // Some compatible servers finish the reply but never send [DONE].
            complete();
        } else {
            fail(ApiError.of(ErrorKind.BAD_GATEWAY, CUT));
        }
    }

    private void onEvent(SseEvent event) {
        if (terminal) {
            return;
        }
        String data = event.data();
        if (data.isBlank()) {
            return; // a keep-alive some servers send as an empty data line
        }
        if (data.startsWith("[DONE]")) {
            done();
            return;
        }
        JsonNode root;
        try {
            root = Json.tree(data);
        } catch (Exception e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            fail(ApiError.of(
                    ErrorKind.BAD_GATEWAY, ending ? CUT : "the upstream provider sent a malformed stream event"));
            return;
        }
        JsonNode error = root.get("error");
        if ((error != null && !error.isNull())
                || "error".equals(event.event())
                || "error".equals(ChatResponseDecoder.textOrNull(root.get("object")))) {
            fail(ChatErrorDecoder.decode(0, data.getBytes(StandardCharsets.UTF_8))
                    .error());
            return;
        }
        chunk(root);
    }

    private void chunk(JsonNode root) {
        if (!started) {
            started = true;
            out.accept(new StreamEvent.Start(
                    ChatResponseDecoder.textOrNull(root.get("id")),
                    ChatResponseDecoder.textOrNull(root.get("model")),
                    null));
        }
        JsonNode usage = root.get("usage");
        if (usage != null && usage.isObject()) {
            pendingUsage = ChatResponseDecoder.usage(usage);
        }
        JsonNode choices = root.get("choices");
        if (choices != null && choices.isArray() && !choices.isEmpty()) {
            JsonNode choice = firstChoice(choices);
            JsonNode delta = choice.get("delta");
            if (delta == null || !delta.isObject()) {
                delta = choice.path("message");
            }
            delta(delta);
            String finish = ChatResponseDecoder.textOrNull(choice.get("finish_reason"));
            if (finish != null && !finished) {
                JsonNode stopReason = choice.get("stop_reason");
                finish(finish, stopReason != null && stopReason.isTextual() ? stopReason.textValue() : null);
            }
        }
        if (finished) {
            flushUsage();
        }
    }

    private static JsonNode firstChoice(JsonNode choices) {
        for (JsonNode c : choices) {
            if (c.path("index").asInt(0) == 0) {
                return c;
            }
        }
        return choices.get(0);
    }

    private void delta(JsonNode delta) {
        String reasoning = ChatResponseDecoder.reasoningText(delta);
        if (reasoning != null && !reasoning.isEmpty()) {
            out.accept(new StreamEvent.ThinkingDelta(reasoning));
        }
        String content = ChatResponseDecoder.contentText(delta.get("content"));
        if (content != null && !content.isEmpty()) {
            out.accept(new StreamEvent.TextDelta(content));
        }
        String refusal = ChatResponseDecoder.textOrNull(delta.get("refusal"));
        if (refusal != null && !refusal.isEmpty()) {
            out.accept(new StreamEvent.TextDelta(refusal));
        }
        JsonNode toolCalls = delta.get("tool_calls");
        if (toolCalls != null && toolCalls.isArray()) {
            for (int position = 0; position < toolCalls.size(); position++) {
                toolCallDelta(toolCalls.get(position), position);
            }
        }
    }

    private void toolCallDelta(JsonNode tc, int position) {
        JsonNode indexNode = tc.get("index");
        boolean indexed = indexNode != null && indexNode.canConvertToInt() && indexNode.intValue() >= 0;
        int slot = indexed ? indexNode.intValue() : position;
        String id = ChatResponseDecoder.textOrNull(tc.get("id"));
        JsonNode fn = tc.path("function");
        String name = ChatResponseDecoder.textOrNull(fn.get("name"));
        Call call = slots.get(slot);
        if (call == null || isNewCall(call, id, name, indexed)) {
            call = new Call(toolCount++, id);
            slots.put(slot, call);
            calls.add(call);
        }
        if (call.name == null && name != null && !name.isEmpty()) {
            call.name = name;
        }
        String fragment = fragment(fn.get("arguments"));
        if (!call.started && call.name != null) {
            startCall(call);
        }
        if (fragment.isEmpty()) {
            return;
        }
        if (call.started) {
            out.accept(new StreamEvent.ToolCallDelta(call.toolIndex, fragment));
        } else {
            if (call.pendingArguments == null) {
                call.pendingArguments = new StringBuilder();
            }
            call.pendingArguments.append(fragment);
        }
    }

    /**
     * A delta opens a new call at an occupied slot when it carries a different id (servers that put every
     * call at index 0), or, without index and id, a name for a call that already has one (Ollama).
     */
    private static boolean isNewCall(Call call, @Nullable String id, @Nullable String name, boolean indexed) {
        if (id != null && !id.isEmpty()) {
            return call.upstreamId != null && !call.upstreamId.isEmpty() && !id.equals(call.upstreamId);
        }
        return !indexed && name != null && call.name != null;
    }

    private void startCall(Call call) {
        call.started = true;
        out.accept(new StreamEvent.ToolCallStart(call.toolIndex, call.id, call.name));
        if (call.pendingArguments != null && call.pendingArguments.length() > 0) {
            out.accept(new StreamEvent.ToolCallDelta(call.toolIndex, call.pendingArguments.toString()));
        }
        call.pendingArguments = null;
    }

    private static String fragment(JsonNode args) {
        if (args == null || args.isNull()) {
            return "";
        }
        return args.isTextual() ? args.textValue() : Json.string(args);
    }

    private void finish(@Nullable String reason, @Nullable String matchedStop) {
        for (Call call : calls) {
            if (!call.started) {
                // A call whose name never came: still a call, so the client sees its arguments.
                call.name = "";
                startCall(call);
            }
        }
        finished = true;
        FinishReason canonical = ChatFinishReasons.fromWire(reason, toolCount > 0, matchedStop);
        out.accept(new StreamEvent.Finish(canonical, canonical == FinishReason.STOP_SEQUENCE ? matchedStop : null));
        flushUsage();
    }

    /** Emits held usage after the Finish; a repeat of the last reported usage (vLLM sends it twice) is dropped. */
    private void flushUsage() {
        if (pendingUsage != null && !pendingUsage.equals(sentUsage)) {
            out.accept(new StreamEvent.UsageUpdate(pendingUsage));
            sentUsage = pendingUsage;
        }
        pendingUsage = null;
    }

    private void done() {
        if (!started) {
            fail(ApiError.of(ErrorKind.BAD_GATEWAY, "the upstream stream ended before it sent anything"));
            return;
        }
        if (!finished) {
            finish(null, null);
        }
        complete();
    }

    private void complete() {
        flushUsage();
        terminal = true;
        out.accept(new StreamEvent.End());
    }

    private void fail(ApiError error) {
        terminal = true;
        out.accept(new StreamEvent.Error(error));
    }
}
