package dev.crossbar.codecs.model;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A whole (non-streamed) assistant reply. {@code content} holds {@link ContentPart.Text},
 * {@link ContentPart.ToolCall} and {@link ContentPart.Thinking} parts in the order produced.
 *
 * @param stopSequence the matched stop sequence when {@code finishReason} is STOP_SEQUENCE, else null
 * @param created      epoch seconds
 */
public record ChatResponse(
        @Nullable String id,
        @Nullable String model,
        List<ContentPart> content,
        FinishReason finishReason,
        @Nullable String stopSequence,
        Usage usage,
        long created) {

    public ChatResponse {
        content = List.copyOf(content);
        usage = usage == null ? Usage.ZERO : usage;
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        for (ContentPart p : content) {
            if (p instanceof ContentPart.Text t) {
                sb.append(t.text());
            }
        }
        return sb.toString();
    }
}
