package dev.crossbar.mock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The deterministic answer to a request, before any protocol renders it. */
sealed interface Reply permits Reply.Text, Reply.ToolCall {

    /** The prompt's own tokens (its text), neither read from nor written to a cache. */
    long inputTokens();

    /** The reply's own tokens (its text or arguments), reasoning not included. */
    long outputTokens();

    /** Cache reads and writes and reasoning a test asked for with {@code mock:usage}. */
    TokenKinds kinds();

    /** Every output token, reasoning included. */
    default long allOutputTokens() {
        return outputTokens() + kinds().reasoning();
    }

    /** True when max tokens cut the reply short. */
    boolean truncated();

    /** A text reply and its stream chunks (words, each but the first starting with its space). */
    record Text(
            String text, List<String> chunks, long inputTokens, long outputTokens, boolean truncated, TokenKinds kinds)
            implements Reply {}

    /**
     * One call to a tool. {@code arguments} is the JSON text (cut short when truncated);
     * {@code input} is the same as an object, or empty when truncated; {@code fragments} split
     * {@code arguments} for streaming.
     */
    record ToolCall(
            String name,
            String arguments,
            ObjectNode input,
            List<String> fragments,
            long inputTokens,
            long outputTokens,
            boolean truncated,
            TokenKinds kinds)
            implements Reply {}
}
