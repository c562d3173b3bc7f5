package dev.crossbar.codecs.openai;

import dev.crossbar.codecs.model.FinishReason;
import org.jspecify.annotations.Nullable;

/** The Chat Completions {@code finish_reason} row of the mapping table (docs/protocols.md, section 3). */
final class ChatFinishReasons {

    private ChatFinishReasons() {}

    /** What an OpenAI client is told. OpenAI has no stop-sequence or "other" reason: both are {@code stop}. */
    static String toWire(FinishReason reason) {
        if (reason == null) {
            return "stop";
        }
        return switch (reason) {
            case STOP, STOP_SEQUENCE, OTHER -> "stop";
            case LENGTH -> "length";
            case TOOL_CALLS -> "tool_calls";
            case CONTENT_FILTER -> "content_filter";
        };
    }

    /**
     * What an upstream's reason means. {@code stop} with tool calls is {@code TOOL_CALLS} (Ollama, some
     * vLLM and llama.cpp builds answer so); a matched stop string reported by vLLM's {@code stop_reason}
     * is {@code STOP_SEQUENCE}. Unknown values are {@code STOP}, as in LiteLLM.
     */
    static FinishReason fromWire(@Nullable String reason, boolean sawToolCalls, @Nullable String matchedStop) {
        if (reason == null) {
            return sawToolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
        }
        return switch (reason) {
            case "length", "model_length", "max_tokens" -> FinishReason.LENGTH;
            case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            case "error" -> FinishReason.OTHER;
            default -> {
                if (sawToolCalls) {
                    yield FinishReason.TOOL_CALLS;
                }
                yield matchedStop != null ? FinishReason.STOP_SEQUENCE : FinishReason.STOP;
            }
        };
    }
}
