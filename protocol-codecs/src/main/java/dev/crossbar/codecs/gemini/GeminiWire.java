package dev.crossbar.codecs.gemini;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.json.IntegerFields;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.model.FinishReason;
import dev.crossbar.codecs.model.Issuer;
import dev.crossbar.codecs.model.SignatureEnvelope;
import dev.crossbar.codecs.model.Usage;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The Gemini vocabulary both sides share: finish reasons, error statuses, RetryInfo delays, usage,
 * and how model parts (with their thought signatures) map to canonical parts.
 */
final class GeminiWire {

    static final int MAX_ERROR_MESSAGE = 500;

    private GeminiWire() {}

    static String finishReason(FinishReason reason) {
        if (reason == null) {
            return "STOP";
        }
        return switch (reason) {
            case STOP, STOP_SEQUENCE, TOOL_CALLS -> "STOP";
            case LENGTH -> "MAX_TOKENS";
            case CONTENT_FILTER -> "SAFETY";
            case OTHER -> "OTHER";
        };
    }

    /**
     * Reads a finishReason (protocols.md section 6). OTHER stays OTHER (LiteLLM's content_filter is a
     * guess); the malformed/unexpected tool-call reasons are OTHER; unknown values are STOP.
     */
    static FinishReason finishReason(String reason) {
        if (reason == null) {
            return FinishReason.STOP;
        }
        return switch (reason) {
            case "MAX_TOKENS" -> FinishReason.LENGTH;
            case "SAFETY",
                    "RECITATION",
                    "BLOCKLIST",
                    "PROHIBITED_CONTENT",
                    "SPII",
                    "LANGUAGE",
                    "IMAGE_SAFETY",
                    "IMAGE_PROHIBITED_CONTENT",
                    "IMAGE_RECITATION" -> FinishReason.CONTENT_FILTER;
            case "OTHER",
                    "MALFORMED_FUNCTION_CALL",
                    "UNEXPECTED_TOOL_CALL",
                    "TOO_MANY_TOOL_CALLS",
                    "MISSING_THOUGHT_SIGNATURE",
                    "IMAGE_OTHER",
                    "NO_IMAGE" -> FinishReason.OTHER;
            default -> FinishReason.STOP;
        };
    }

    static String status(int code, ErrorKind kind) {
        return switch (code) {
            case 400, 413, 422 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 409 -> "ABORTED";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 499 -> "CANCELLED";
            case 500 -> "INTERNAL";
            case 501 -> "UNIMPLEMENTED";
            case 502, 503, 529 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default ->
                switch (kind) {
                    case INVALID_REQUEST, REQUEST_TOO_LARGE -> "INVALID_ARGUMENT";
                    case AUTHENTICATION -> "UNAUTHENTICATED";
                    case PERMISSION -> "PERMISSION_DENIED";
                    case NOT_FOUND -> "NOT_FOUND";
                    case RATE_LIMIT -> "RESOURCE_EXHAUSTED";
                    case OVERLOADED, BAD_GATEWAY -> "UNAVAILABLE";
                    case TIMEOUT -> "DEADLINE_EXCEEDED";
                    case SERVER_ERROR -> "INTERNAL";
                };
        };
    }

    /** The HTTP status of a google.rpc status name, for in-stream errors that carry no code. */
    static int codeOf(String status) {
        if (status == null) {
            return 502;
        }
        return switch (status) {
            case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE" -> 400;
            case "UNAUTHENTICATED" -> 401;
            case "PERMISSION_DENIED" -> 403;
            case "NOT_FOUND" -> 404;
            case "ABORTED", "ALREADY_EXISTS" -> 409;
            case "RESOURCE_EXHAUSTED" -> 429;
            case "CANCELLED" -> 499;
            case "INTERNAL", "UNKNOWN", "DATA_LOSS" -> 500;
            case "UNIMPLEMENTED" -> 501;
            case "UNAVAILABLE" -> 503;
            case "DEADLINE_EXCEEDED" -> 504;
            default -> 502;
        };
    }

    /** A google.protobuf.Duration in JSON ("22s", "1.5s") as milliseconds, or -1. */
    static long parseDelay(String delay) {
        if (delay == null || delay.isEmpty()) {
            return -1;
        }
        String number = delay.endsWith("s") ? delay.substring(0, delay.length() - 1) : delay;
        try {
            double seconds = Double.parseDouble(number);
            return seconds < 0 || Double.isNaN(seconds) || Double.isInfinite(seconds) ? -1 : Math.round(seconds * 1000);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String formatDelay(long ms) {
        return (ms % 1000 == 0
                        ? Long.toString(ms / 1000)
                        : BigDecimal.valueOf(ms)
                                .movePointLeft(3)
                                .stripTrailingZeros()
                                .toPlainString())
                + "s";
    }

    /** A Gemini error object ({@code {code, message, status, details}}); httpStatus <= 0: from the body. */
    static ApiError error(JsonNode error, int httpStatus) {
        int status = httpStatus > 0
                ? httpStatus
                : error.path("code").canConvertToInt() && error.path("code").intValue() >= 400
                        ? error.path("code").intValue()
                        : codeOf(error.path("status").textValue());
        String message =
                error.path("message").isTextual() ? cap(error.path("message").textValue()) : "";
        if (message.isEmpty()) {
            String s = error.path("status").textValue();
            message = s != null ? s : "upstream returned HTTP " + status;
        }
        long retry = -1;
        for (JsonNode d : error.path("details")) {
            if (d.path("@type").asText().endsWith("google.rpc.RetryInfo")) {
                retry = parseDelay(d.path("retryDelay").textValue());
            }
        }
        return new ApiError(status, ErrorKind.fromStatus(status), message, null, retry);
    }

    static String cap(String message) {
        String m = message.strip();
        return m.length() <= MAX_ERROR_MESSAGE ? m : m.substring(0, MAX_ERROR_MESSAGE) + "...";
    }

    /**
     * Canonical usage: input is promptTokenCount (which includes cached content) plus tool-use prompt
     * tokens; the cache read is cachedContentTokenCount; output is candidates plus thoughts, because
     * candidatesTokenCount leaves thoughts out. Gemini reports no cache writes (explicit caches are
     * created, and billed, by a call of their own).
     */
    static Usage usage(JsonNode u) {
        if (u == null || !u.isObject()) {
            return Usage.ZERO;
        }
        long thoughts = u.path("thoughtsTokenCount").asLong(0);
        return usage(
                u.path("promptTokenCount").asLong(0),
                u.path("toolUsePromptTokenCount").asLong(0),
                u.path("candidatesTokenCount").asLong(0),
                u.path("cachedContentTokenCount").asLong(0),
                thoughts);
    }

    /** What {@link #usage(long[])} reads of {@code usageMetadata}, in its order. */
    static final IntegerFields USAGE_FIELDS = IntegerFields.of(
            "promptTokenCount",
            "toolUsePromptTokenCount",
            "candidatesTokenCount",
            "cachedContentTokenCount",
            "thoughtsTokenCount");

    /** {@link #usage(JsonNode)} of {@code usageMetadata}'s {@link #USAGE_FIELDS}, read without its tree. */
    static Usage usage(long[] u) {
        return usage(orZero(u[0]), orZero(u[1]), orZero(u[2]), orZero(u[3]), orZero(u[4]));
    }

    private static long orZero(long value) {
        return value == IntegerFields.ABSENT ? 0 : value;
    }

    private static Usage usage(long prompt, long toolUsePrompt, long candidates, long cached, long thoughts) {
        return new Usage(prompt + toolUsePrompt, candidates + thoughts, cached, 0, 0, thoughts);
    }

    /**
     * {@code usageMetadata}: the prompt is the whole input (cache writes from another provider included:
     * Gemini has no field for them), candidates the output less thoughts.
     */
    static void writeUsage(JsonGenerator g, Usage u) throws IOException {
        g.writeObjectFieldStart("usageMetadata");
        g.writeNumberField("promptTokenCount", u.inputTokens());
        g.writeNumberField("candidatesTokenCount", u.visibleOutputTokens());
        g.writeNumberField("totalTokenCount", u.totalTokens());
        if (u.cacheReadTokens() > 0) {
            g.writeNumberField("cachedContentTokenCount", u.cacheReadTokens());
        }
        if (u.reasoningTokens() > 0) {
            g.writeNumberField("thoughtsTokenCount", u.reasoningTokens());
        }
        g.writeEndObject();
    }

    /** The id given to the {@code k}th call of a reply that came without call ids. */
    static String syntheticCallId(@Nullable String responseId, int k) {
        return responseId == null || responseId.isEmpty() ? "call_" + k : "call_" + responseId + "_" + k;
    }

    /**
     * Writes the parts of a model turn. Thinking with text becomes a {@code thought:true} part; a
     * signature with no text (Gemini signs the part that follows the thoughts, function calls
     * included) is attached to the next part, or stands alone in an empty text part at the end.
     * Upstream ({@code upstream} true) only Gemini's own signed thoughts are replayed; for a client,
     * other families' signatures and redacted thinking travel sealed in {@code thoughtSignature}
     * ({@link SignatureEnvelope}), and unsigned thoughts are written as they are.
     *
     * @return whether any part was written
     */
    static boolean writeModelParts(JsonGenerator g, List<ContentPart> parts, boolean upstream) throws IOException {
        String pending = null;
        boolean wrote = false;
        for (ContentPart p : parts) {
            String signature = null;
            String text = "";
            if (p instanceof ContentPart.Thinking th) {
                if (upstream && !th.signedBy(Issuer.GEMINI)) {
                    continue;
                }
                text = th.text();
                signature = th.signature() == null
                        ? null
                        : SignatureEnvelope.seal(th.issuer(), false, th.signature(), Issuer.GEMINI, false);
            } else if (p instanceof ContentPart.RedactedThinking r) {
                if (upstream) {
                    continue;
                }
                signature = SignatureEnvelope.seal(r.issuer(), true, r.data(), Issuer.GEMINI, false);
            }
            if (p instanceof ContentPart.Thinking || p instanceof ContentPart.RedactedThinking) {
                if (!text.isEmpty()) {
                    wrote = true;
                    pending = flushSignature(g, pending);
                    g.writeStartObject();
                    g.writeStringField("text", text);
                    g.writeBooleanField("thought", true);
                    if (signature != null) {
                        g.writeStringField("thoughtSignature", signature);
                    }
                    g.writeEndObject();
                } else if (signature != null) {
                    wrote |= pending != null;
                    pending = flushSignature(g, pending);
                    pending = signature;
                }
            } else if (p instanceof ContentPart.Text t) {
                if (!t.text().isEmpty()) {
                    wrote = true;
                    g.writeStartObject();
                    g.writeStringField("text", t.text());
                    pending = writeSignature(g, pending);
                    g.writeEndObject();
                }
            } else if (p instanceof ContentPart.ToolCall c) {
                wrote = true;
                g.writeStartObject();
                g.writeObjectFieldStart("functionCall");
                if (c.id() != null) {
                    g.writeStringField("id", c.id());
                }
                g.writeStringField("name", c.name());
                g.writeFieldName("args");
                g.writeTree(Json.argumentsObject(c.argumentsJson()));
                g.writeEndObject();
                pending = writeSignature(g, pending);
                g.writeEndObject();
            }
        }
        if (pending != null) {
            flushSignature(g, pending);
            wrote = true;
        }
        return wrote;
    }

    /** A held signature with no part after it to carry it: it stands alone on an empty text part. */
    private static @Nullable String flushSignature(JsonGenerator g, @Nullable String pending) throws IOException {
        if (pending != null) {
            g.writeStartObject();
            g.writeStringField("text", "");
            g.writeStringField("thoughtSignature", pending);
            g.writeEndObject();
        }
        return null;
    }

    private static @Nullable String writeSignature(JsonGenerator g, @Nullable String pending) throws IOException {
        if (pending != null) {
            g.writeStringField("thoughtSignature", pending);
        }
        return null;
    }

    /**
     * Reads one part of a model reply (lenient: upstream output). A signature on a non-thought part
     * becomes an empty signed Thinking just before it, so it can be replayed in place.
     */
    static void readModelPart(JsonNode part, List<ContentPart> out, @Nullable String responseId, int[] toolCount) {
        String signature = part.path("thoughtSignature").textValue();
        if (part.path("thought").asBoolean(false)) {
            out.add(new ContentPart.Thinking(part.path("text").asText(), signature, Issuer.GEMINI));
            return;
        }
        if (signature != null && !signature.isEmpty()) {
            out.add(new ContentPart.Thinking("", signature, Issuer.GEMINI));
        }
        JsonNode call = part.get("functionCall");
        if (call != null && call.isObject()) {
            String id = call.path("id").textValue();
            int k = toolCount[0]++;
            JsonNode args = call.path("args");
            out.add(new ContentPart.ToolCall(
                    id != null && !id.isEmpty() ? id : syntheticCallId(responseId, k),
                    call.path("name").asText(),
                    args.isObject() ? Json.string(args) : "{}"));
            return;
        }
        String text = part.path("text").textValue();
        if (text != null && !text.isEmpty()) {
            out.add(new ContentPart.Text(text));
        }
    }
}
