package dev.crossbar.codecs.anthropic;

import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.model.FinishReason;
import org.jspecify.annotations.Nullable;

/** The Anthropic Messages vocabulary both sides share: stop reasons and error types. */
final class AnthropicWire {

    /**
     * The tool through which a structured-output request is emulated on an Anthropic upstream. A
     * tool_use with this name is read back as the reply's text, so decoding stays stateless.
     */
    static final String JSON_TOOL = "crossbar_json_response";

    /** Longest upstream error message we pass on. */
    static final int MAX_ERROR_MESSAGE = 500;

    private AnthropicWire() {}

    static String stopReason(@Nullable FinishReason reason) {
        if (reason == null) {
            return "end_turn";
        }
        return switch (reason) {
            case STOP, OTHER -> "end_turn";
            case STOP_SEQUENCE -> "stop_sequence";
            case LENGTH -> "max_tokens";
            case TOOL_CALLS -> "tool_use";
            case CONTENT_FILTER -> "refusal";
        };
    }

    /**
     * Reads a stop_reason. {@code pause_turn} (a server-tool loop paused, which we never ask for) is
     * OTHER; {@code model_context_window_exceeded} is LENGTH; unknown values are STOP, as in LiteLLM.
     */
    static FinishReason finishReason(String stopReason) {
        if (stopReason == null) {
            return FinishReason.STOP;
        }
        return switch (stopReason) {
            case "stop_sequence" -> FinishReason.STOP_SEQUENCE;
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "tool_use" -> FinishReason.TOOL_CALLS;
            case "refusal" -> FinishReason.CONTENT_FILTER;
            case "pause_turn" -> FinishReason.OTHER;
            default -> FinishReason.STOP;
        };
    }

    /** The error.type Anthropic sends with an HTTP status; unusual statuses fall back to the kind. */
    static String errorType(int status, ErrorKind kind) {
        return switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 500 -> "api_error";
            case 503, 529 -> "overloaded_error";
            case 504 -> "timeout_error";
            default ->
                switch (kind) {
                    case INVALID_REQUEST -> "invalid_request_error";
                    case AUTHENTICATION -> "authentication_error";
                    case PERMISSION -> "permission_error";
                    case NOT_FOUND -> "not_found_error";
                    case REQUEST_TOO_LARGE -> "request_too_large";
                    case RATE_LIMIT -> "rate_limit_error";
                    case OVERLOADED -> "overloaded_error";
                    case TIMEOUT -> "timeout_error";
                    case SERVER_ERROR, BAD_GATEWAY -> "api_error";
                };
        };
    }

    /** The HTTP status an error.type stands for (an in-stream error has no status of its own). */
    static int statusOf(String errorType, int fallback) {
        if (errorType == null) {
            return fallback;
        }
        return switch (errorType) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "billing_error" -> 402;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "api_error" -> 500;
            case "timeout_error" -> 504;
            case "overloaded_error" -> 529;
            default -> fallback;
        };
    }

    static @Nullable String cap(String message) {
        if (message == null) {
            return null;
        }
        String m = message.strip();
        return m.length() <= MAX_ERROR_MESSAGE ? m : m.substring(0, MAX_ERROR_MESSAGE) + "...";
    }
}
