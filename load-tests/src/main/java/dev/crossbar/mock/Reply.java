package dev.crossbar.mock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The deterministic answer to a request, before any protocol renders it. */
sealed interface Reply permits Reply.Text, Reply.ToolCall {

    long inputTokens();

    long outputTokens();

    /** True when max tokens cut the reply short. */
    boolean truncated();

    /** A text reply and its stream chunks (words, each but the first starting with its space). */
    record Text(String text, List<String> chunks, long inputTokens, long outputTokens, boolean truncated)
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
            boolean truncated)
            implements Reply {}
}
