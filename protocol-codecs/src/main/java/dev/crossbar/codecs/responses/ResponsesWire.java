package dev.crossbar.codecs.responses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.model.FinishReason;
import dev.crossbar.codecs.model.Issuer;
import dev.crossbar.codecs.model.Tool;
import dev.crossbar.codecs.model.Usage;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What the upstream side reads from Responses API answers, whole or streamed: items, usage, status, errors. */
final class ResponsesWire {

    static final int MAX_ERROR_MESSAGE = 500;

    private ResponsesWire() {}

    /**
     * Responses usage: {@code input_tokens} includes {@code input_tokens_details.cached_tokens} (reads) and
     * {@code cache_write_tokens} (writes); {@code output_tokens} includes
     * {@code output_tokens_details.reasoning_tokens}.
     */
    static Usage usage(JsonNode u) {
        if (u == null || !u.isObject()) {
            return Usage.ZERO;
        }
        JsonNode input = u.path("input_tokens_details");
        return new Usage(
                u.path("input_tokens").asLong(0),
                u.path("output_tokens").asLong(0),
                input.path("cached_tokens").asLong(0),
                input.path("cache_write_tokens").asLong(0),
                0,
                u.path("output_tokens_details").path("reasoning_tokens").asLong(0));
    }

    /**
     * The canonical finish of a finished Response: an incomplete one stopped at the token cap or a filter
     * (or for another reason, OTHER); a complete one with function calls called tools.
     */
    static FinishReason finish(JsonNode response, boolean calls) {
        if ("incomplete".equals(response.path("status").textValue())) {
            String reason = response.path("incomplete_details").path("reason").textValue();
            if ("max_output_tokens".equals(reason)) {
                return FinishReason.LENGTH;
            }
            return "content_filter".equals(reason) ? FinishReason.CONTENT_FILTER : FinishReason.OTHER;
        }
        return calls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
    }

    /** A Response's {@code error} or an {@code error} event: {code, message}, the status from the code. */
    static ApiError error(JsonNode error) {
        String code = error.path("code").isTextual() ? error.path("code").textValue() : null;
        if (code == null) {
            code = error.path("type").textValue();
        }
        int status = statusOf(code);
        String message =
                error.path("message").isTextual() ? cap(error.path("message").textValue()) : "";
        if (message.isEmpty()) {
            message = code != null ? code : "the upstream provider's response failed";
        }
        return new ApiError(status, ErrorKind.fromStatus(status), message, null, -1);
    }

    private static int statusOf(String code) {
        if (code == null) {
            return 502;
        }
        return switch (code) {
            case "rate_limit_exceeded", "insufficient_quota" -> 429;
            case "server_error", "internal_error" -> 500;
            case "invalid_prompt", "invalid_request_error", "context_length_exceeded" -> 400;
            default -> code.startsWith("invalid") || code.endsWith("_not_found") ? 400 : 502;
        };
    }

    static String cap(String message) {
        String m = message.strip();
        return m.length() <= MAX_ERROR_MESSAGE ? m : m.substring(0, MAX_ERROR_MESSAGE) + "...";
    }

    /**
     * One output item as canonical parts: a message's text (and refusals), reasoning (its summary, or its
     * text when there is no summary, signed with OpenAI's id and encrypted content when given), a function
     * call (a namespaced one by its flat name). Items of built-in tools carry nothing canonical.
     *
     * @return whether the item was a function call
     */
    static boolean readItem(JsonNode item, List<ContentPart> out) {
        switch (item.path("type").asText()) {
            case "message" -> {
                String text = messageText(item);
                if (!text.isEmpty()) {
                    out.add(new ContentPart.Text(text));
                }
            }
            case "reasoning" -> {
                ContentPart.Thinking th = reasoning(item, reasoningText(item));
                if (th != null) {
                    out.add(th);
                }
            }
            case "function_call" -> {
                out.add(functionCall(item));
                return true;
            }
            default -> {
                // web_search_call, file_search_call...: the provider ran them; nothing to carry
            }
        }
        return false;
    }

    static String messageText(JsonNode item) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : item.path("content")) {
            String type = part.path("type").asText();
            if ("output_text".equals(type) || "text".equals(type)) {
                sb.append(part.path("text").asText());
            } else if ("refusal".equals(type)) {
                sb.append(part.path("refusal").asText());
            }
        }
        return sb.toString();
    }

    /** The summary texts joined by blank lines, else the reasoning text (vLLM, gpt-oss). */
    static String reasoningText(JsonNode item) {
        String summary = joined(item.path("summary"));
        return summary.isEmpty() ? joined(item.path("content")) : summary;
    }

    private static String joined(JsonNode parts) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode p : parts) {
            String t = p.path("text").asText("");
            if (t.isEmpty()) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append("\n\n");
            }
            sb.append(t);
        }
        return sb.toString();
    }

    /** Reasoning with {@code text}, signed when the item carries encrypted content; null when it carries neither. */
    static ContentPart.@Nullable Thinking reasoning(JsonNode item, String text) {
        String encrypted = item.path("encrypted_content").textValue();
        if (encrypted != null && !encrypted.isEmpty()) {
            return new ContentPart.Thinking(
                    text, ReasoningSignature.of(item.path("id").textValue(), encrypted), Issuer.OPENAI);
        }
        return text.isEmpty() ? null : new ContentPart.Thinking(text);
    }

    static ContentPart.ToolCall functionCall(JsonNode item) {
        String callId = item.path("call_id").textValue();
        if (callId == null || callId.isEmpty()) {
            callId = item.path("id").textValue();
        }
        return new ContentPart.ToolCall(callId, name(item), arguments(item.get("arguments")));
    }

    static String name(JsonNode item) {
        return Tool.flatName(
                item.path("namespace").textValue(), item.path("name").asText());
    }

    static String arguments(JsonNode args) {
        if (args == null || args.isNull()) {
            return "{}";
        }
        return args.isTextual() ? args.textValue() : Json.string(args);
    }
}
