package dev.crossbar.codecs.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.model.FinishReason;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.codecs.spi.UpstreamStreamDecoder;
import dev.crossbar.codecs.sse.SseDecoder;
import dev.crossbar.codecs.sse.SseEvent;
import dev.crossbar.codecs.sse.StreamFormatException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Gemini's {@code alt=sse} stream to canonical events. Every chunk is a whole GenerateContentResponse;
 * function calls arrive whole and become a ToolCallStart plus one ToolCallDelta with all arguments.
 * usageMetadata is cumulative, so only the last is reported, once, at the end. Gemini ends by closing
 * the connection: that is a complete stream only if a finishReason arrived.
 */
final class GeminiStreamDecoder implements UpstreamStreamDecoder {

    private enum State {
        OPEN,
        DONE,
        FAILED
    }

    private final SseDecoder sse = new SseDecoder();
    private final Consumer<SseEvent> onEvent = this::onEvent;
    private final List<ContentPart> parts = new ArrayList<>();
    private final int[] toolCount = {0};
    private Consumer<StreamEvent> out = event -> {};
    private State state = State.OPEN;
    private boolean started;
    private boolean finished;
    private @Nullable String responseId;
    private @Nullable Usage usage;

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
        try {
            sse.finish(onEvent);
        } catch (StreamFormatException e) {
            fail(ApiError.of(ErrorKind.BAD_GATEWAY, "the upstream stream broke its framing: " + e.getMessage()));
        }
        if (state != State.OPEN) {
            return;
        }
        if (!finished) {
            fail(ApiError.of(ErrorKind.BAD_GATEWAY, "the upstream stream ended before a finishReason"));
            return;
        }
        if (usage != null) {
            out.accept(new StreamEvent.UsageUpdate(usage));
        }
        out.accept(new StreamEvent.End());
        state = State.DONE;
    }

    private void onEvent(SseEvent e) {
        if (state != State.OPEN) {
            return;
        }
        JsonNode chunk;
        try {
            chunk = Json.tree(e.data());
        } catch (IOException ex) {
            chunk = null;
        }
        if (chunk != null && chunk.isArray()) {
            chunk = chunk.path(0);
        }
        if (chunk == null || !chunk.isObject()) {
            fail(ApiError.of(ErrorKind.BAD_GATEWAY, "the upstream sent a malformed stream chunk"));
            return;
        }
        if (chunk.path("error").isObject()) {
            fail(GeminiWire.error(chunk.get("error"), 0));
            return;
        }
        if (!started) {
            started = true;
            responseId = chunk.path("responseId").textValue();
            Usage first = chunk.hasNonNull("usageMetadata") ? GeminiWire.usage(chunk.get("usageMetadata")) : null;
            Usage early = first == null ? null : first.withOutput(0, 0);
            out.accept(
                    new StreamEvent.Start(responseId, chunk.path("modelVersion").textValue(), early));
        }
        if (chunk.hasNonNull("usageMetadata")) {
            usage = GeminiWire.usage(chunk.get("usageMetadata"));
        }
        if (finished) {
            return; // a trailing chunk may restate usage; content after the finish is not expected
        }
        JsonNode candidate = chunk.path("candidates").path(0);
        if (candidate.isMissingNode()) {
            if (chunk.path("promptFeedback").hasNonNull("blockReason")) {
                finished = true;
                out.accept(new StreamEvent.Finish(FinishReason.CONTENT_FILTER, null));
            }
            return;
        }
        for (JsonNode part : candidate.path("content").path("parts")) {
            parts.clear();
            int before = toolCount[0];
            GeminiWire.readModelPart(part, parts, responseId, toolCount);
            for (ContentPart p : parts) {
                emit(p, before);
            }
        }
        String reason = candidate.path("finishReason").textValue();
        if (reason != null) {
            finished = true;
            FinishReason finish = GeminiWire.finishReason(reason);
            if (finish == FinishReason.STOP && toolCount[0] > 0) {
                finish = FinishReason.TOOL_CALLS;
            }
            out.accept(new StreamEvent.Finish(finish, null));
        }
    }

    private void emit(ContentPart p, int toolIndex) {
        if (p instanceof ContentPart.Text t) {
            out.accept(new StreamEvent.TextDelta(t.text()));
        } else if (p instanceof ContentPart.Thinking th) {
            if (!th.text().isEmpty()) {
                out.accept(new StreamEvent.ThinkingDelta(th.text()));
            }
            if (th.signature() != null && !th.signature().isEmpty()) {
                out.accept(new StreamEvent.ThinkingSignature(th.signature(), th.issuer()));
            }
        } else if (p instanceof ContentPart.ToolCall c) {
            out.accept(new StreamEvent.ToolCallStart(toolIndex, c.id(), c.name()));
            out.accept(new StreamEvent.ToolCallDelta(toolIndex, c.argumentsJson()));
        }
    }

    private void fail(ApiError error) {
        if (state == State.OPEN) {
            state = State.FAILED;
            out.accept(new StreamEvent.Error(error));
        }
    }
}
