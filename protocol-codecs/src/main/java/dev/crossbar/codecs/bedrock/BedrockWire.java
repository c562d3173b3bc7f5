package dev.crossbar.codecs.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.model.FinishReason;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.codecs.spi.UpstreamError;
import org.jspecify.annotations.Nullable;

/** What Converse and ConverseStream share: stop reasons, usage, and the errors Bedrock names by type. */
final class BedrockWire {

    private static final int MAX_ERROR_MESSAGE = 1024;

    private BedrockWire() {}

    static FinishReason finishReason(String stopReason) {
        if (stopReason == null) {
            return FinishReason.OTHER;
        }
        return switch (stopReason) {
            case "end_turn" -> FinishReason.STOP;
            case "tool_use" -> FinishReason.TOOL_CALLS;
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "stop_sequence" -> FinishReason.STOP_SEQUENCE;
            case "guardrail_intervened", "content_filtered" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.OTHER;
        };
    }

    /** The matched stop sequence Claude reports in {@code additionalModelResponseFields}, or null. */
    static String stopSequence(JsonNode root) {
        return root.path("additionalModelResponseFields").path("stop_sequence").textValue();
    }

    /**
     * Canonical usage: Converse's {@code inputTokens} leaves the cache out (as Anthropic's does), so the total input
     * is it plus {@code cacheReadInputTokens} and {@code cacheWriteInputTokens}.
     */
    static Usage usage(JsonNode u) {
        if (u == null || !u.isObject()) {
            return Usage.ZERO;
        }
        long read = u.path("cacheReadInputTokens").asLong(0);
        long write = u.path("cacheWriteInputTokens").asLong(0);
        return new Usage(
                u.path("inputTokens").asLong(0) + read + write,
                u.path("outputTokens").asLong(0),
                read,
                write,
                0,
                0);
    }

    /** {@code ThrottlingException} of {@code com.amazon.coral.service#ThrottlingException:http://...}. */
    static @Nullable String shortType(@Nullable String type) {
        if (type == null || type.isBlank()) {
            return null;
        }
        String t = type;
        int hash = t.lastIndexOf('#');
        if (hash >= 0) {
            t = t.substring(hash + 1);
        }
        int colon = t.indexOf(':');
        if (colon >= 0) {
            t = t.substring(0, colon);
        }
        return t.isEmpty() ? null : Character.toUpperCase(t.charAt(0)) + t.substring(1);
    }

    /** The HTTP status Bedrock gives an error type, for an exception inside a stream (which has none). */
    static int statusOf(@Nullable String type, int fallback) {
        if (type == null) {
            return fallback;
        }
        return switch (type) {
            case "ThrottlingException" -> 429;
            case "ValidationException" -> 400;
            case "AccessDeniedException",
                    "UnrecognizedClientException",
                    "InvalidSignatureException",
                    "IncompleteSignatureException",
                    "ExpiredTokenException" -> 403;
            case "ResourceNotFoundException" -> 404;
            case "ModelTimeoutException" -> 408;
            case "ServiceUnavailableException", "ModelNotReadyException" -> 503;
            case "InternalServerException", "ModelStreamErrorException", "ModelErrorException" -> 500;
            default -> fallback;
        };
    }

    static UpstreamError.Cause causeOf(@Nullable String type, int status) {
        if (type == null) {
            return UpstreamError.Cause.ofStatus(status);
        }
        return switch (type) {
            case "AccessDeniedException",
                    "UnrecognizedClientException",
                    "InvalidSignatureException",
                    "IncompleteSignatureException",
                    "ExpiredTokenException" -> UpstreamError.Cause.KEY_INVALID;
            case "ThrottlingException", "ServiceQuotaExceededException" -> UpstreamError.Cause.RATE_LIMITED;
            case "ServiceUnavailableException",
                    "ModelNotReadyException",
                    "ModelTimeoutException",
                    "InternalServerException",
                    "ModelStreamErrorException" -> UpstreamError.Cause.PROVIDER_FAULT;
            default -> UpstreamError.Cause.ofStatus(status);
        };
    }

    static ApiError error(int status, @Nullable String message) {
        String m = message == null || message.isBlank() ? "upstream returned HTTP " + status : cap(message);
        return new ApiError(status, ErrorKind.fromStatus(status), m, null, -1);
    }

    static String cap(String message) {
        String m = message.strip();
        return m.length() <= MAX_ERROR_MESSAGE ? m : m.substring(0, MAX_ERROR_MESSAGE) + "...";
    }
}
