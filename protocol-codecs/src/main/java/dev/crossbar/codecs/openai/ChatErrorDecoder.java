package dev.crossbar.codecs.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.spi.UpstreamError;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads an error body from any OpenAI-compatible server: nested {@code {"error":{...}}} (OpenAI, newer
 * vLLM, llama.cpp, DeepSeek, Ollama), {@code {"error":"text"}}, flat {@code {"object":"error",...}}
 * (Mistral, older vLLM), FastAPI {@code {"detail":...}}, HTML pages, plain text, nothing. Never throws.
 */
final class ChatErrorDecoder {

    /** Upstream messages are shown to clients: long enough to be useful, short enough not to echo a page. */
    static final int MAX_MESSAGE_CHARS = 500;

    private static final Pattern TRY_AGAIN = Pattern.compile(
            "(?:try again|retry) (?:in|after) (\\d+(?:\\.\\d+)?) ?(ms|milliseconds?|s|sec|seconds?)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern TITLE =
            Pattern.compile("<title[^>]*>(.*?)</title>", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern TAGS = Pattern.compile("<[^>]*>");
    private static final Set<String> NO_CREDIT =
            Set.of("insufficient_quota", "billing_hard_limit_reached", "billing_not_active", "insufficient_balance");
    private static final Set<String> KEY_REFUSED = Set.of("invalid_api_key", "account_deactivated");

    private ChatErrorDecoder() {}

    static UpstreamError decode(int status, byte[] body) {
        try {
            return read(status, body == null ? new byte[0] : body);
        } catch (RuntimeException | StackOverflowError e) {
            // The last line of defence: an error body must never turn into a gateway crash.
            return error(status, null, null, null, null);
        }
    }

    private static UpstreamError read(int status, byte[] body) {
        JsonNode root = null;
        if (body.length > 0) {
            try {
                root = Json.MAPPER.readTree(body);
            } catch (Exception e) {
                root = null;
            }
        }
        if (root != null && root.isArray() && root.size() > 0) {
            root = root.get(0);
        }
        if (root == null || !root.isObject()) {
            String text = plainText(body);
            if (text == null) {
                return error(status, null, null, null, null);
            }
            if (text.startsWith("{") || text.startsWith("[")) {
                return error(
                        status,
                        "the upstream provider returned HTTP " + status + " with a malformed JSON body",
                        null,
                        null,
                        null);
            }
            if (!readable(text)) {
                return error(
                        status,
                        "the upstream provider returned HTTP " + status + " with an unreadable body",
                        null,
                        null,
                        null);
            }
            return error(status, text, null, null, null);
        }
        JsonNode err = root.get("error");
        boolean nested = err != null && err.isObject();
        JsonNode holder = nested ? err : root;
        String message;
        if (err != null && err.isTextual()) {
            message = err.textValue();
        } else {
            message = messageOf(holder.get("message"));
            if (message == null) {
                message = messageOf(holder.get("detail"));
            }
            if (message == null && nested) {
                message = messageOf(root.get("message"));
            }
        }
        return error(
                status,
                message,
                ChatResponseDecoder.textOrNull(holder.get("type")),
                ChatResponseDecoder.textOrNull(holder.get("param")),
                holder.get("code"));
    }

    private static @Nullable String messageOf(JsonNode m) {
        if (m == null || m.isNull()) {
            return null;
        }
        if (m.isTextual()) {
            return m.textValue();
        }
        if (m.isArray()) {
            // FastAPI / Mistral validation errors: [{"loc":[...],"msg":"...","type":"..."}]
            StringBuilder sb = new StringBuilder();
            for (JsonNode d : m) {
                JsonNode msg = d.get("msg");
                if (msg != null && msg.isTextual()) {
                    if (sb.length() > 0) {
                        sb.append("; ");
                    }
                    JsonNode loc = d.get("loc");
                    if (loc != null && loc.isArray() && !loc.isEmpty()) {
                        StringBuilder path = new StringBuilder();
                        for (JsonNode l : loc) {
                            path.append(path.length() > 0 ? "." : "").append(l.asText());
                        }
                        sb.append(path).append(": ");
                    }
                    sb.append(msg.textValue());
                }
            }
            return sb.length() > 0 ? sb.toString() : Json.string(m);
        }
        if (m.isObject()) {
            JsonNode inner = m.has("detail") ? m.get("detail") : m.get("message");
            String nested = inner == null ? null : messageOf(inner);
            return nested != null ? nested : Json.string(m);
        }
        return m.asText();
    }

    private static @Nullable String plainText(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        int len = Math.min(body.length, 64 * 1024);
        String text = new String(body, 0, len, StandardCharsets.UTF_8).trim();
        if (text.isEmpty()) {
            return null;
        }
        if (text.startsWith("<")) {
            Matcher title = TITLE.matcher(text);
            if (title.find()) {
                text = title.group(1);
            } else {
                text = TAGS.matcher(text).replaceAll(" ");
            }
        }
        text = text.replaceAll("\\s+", " ").trim();
        return text.isEmpty() ? null : text;
    }

    /** Text a person could read: no control characters and nothing that failed to decode as UTF-8. */
    private static boolean readable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\uFFFD' || (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
                return false;
            }
        }
        return true;
    }

    private static UpstreamError error(
            int status,
            @Nullable String message,
            @Nullable String type,
            @Nullable String param,
            @Nullable JsonNode code) {
        int effective = status >= 400 && status <= 599 ? status : statusOf(code, type);
        ErrorKind kind = ErrorKind.fromStatus(effective);
        String shown;
        if (message != null && !message.isBlank()) {
            shown = cap(message);
        } else if (status >= 400 && status <= 599) {
            shown = "the upstream provider returned HTTP " + status + " without an error message";
        } else {
            shown = "the upstream provider reported an error without a message";
        }
        long retryAfterMs = retryAfter(shown);
        String name = code != null && code.isTextual() && !code.textValue().isBlank() ? code.textValue() : type;
        return new UpstreamError(
                new ApiError(effective, kind, shown, param, retryAfterMs),
                retryAfterMs,
                causeOf(effective, name, type),
                name);
    }

    /**
     * OpenAI says "no money" with a 429 whose code and type are {@code insufficient_quota}: a rate limit by
     * status, but no wait will end it. DeepSeek, Mistral and OpenRouter say it with 402; a wrong or
     * deactivated key is a 401 with code {@code invalid_api_key} or {@code account_deactivated}.
     */
    private static UpstreamError.Cause causeOf(int status, @Nullable String code, @Nullable String type) {
        if (named(NO_CREDIT, code, type)) {
            return UpstreamError.Cause.OUT_OF_CREDIT;
        }
        if (named(KEY_REFUSED, code, type)) {
            return UpstreamError.Cause.KEY_INVALID;
        }
        return UpstreamError.Cause.ofStatus(status);
    }

    private static boolean named(Set<String> names, @Nullable String code, @Nullable String type) {
        return (code != null && names.contains(code)) || (type != null && names.contains(type));
    }

    /** For an error reported inside a 200 (a stream): the status its code or type stands for. */
    private static int statusOf(@Nullable JsonNode code, @Nullable String type) {
        if (code != null && code.canConvertToInt() && code.intValue() >= 400 && code.intValue() <= 599) {
            return code.intValue();
        }
        String t = type == null ? (code != null && code.isTextual() ? code.textValue() : "") : type;
        return switch (t) {
            case "invalid_request_error", "invalid_request", "BadRequestError" -> 400;
            case "authentication_error", "invalid_api_key" -> 401;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "rate_limit_error", "rate_limit_exceeded", "tokens", "requests" -> 429;
            case "overloaded_error", "service_unavailable" -> 503;
            case "server_error", "internal_error", "api_error" -> 500;
            default -> ErrorKind.BAD_GATEWAY.status();
        };
    }

    private static String cap(String message) {
        if (message.length() <= MAX_MESSAGE_CHARS) {
            return message;
        }
        int end = Character.isHighSurrogate(message.charAt(MAX_MESSAGE_CHARS - 1))
                ? MAX_MESSAGE_CHARS - 1
                : MAX_MESSAGE_CHARS;
        return message.substring(0, end) + "…";
    }

    private static long retryAfter(String message) {
        Matcher m = TRY_AGAIN.matcher(message);
        if (!m.find()) {
            return -1;
        }
        double value = Double.parseDouble(m.group(1));
        return (long) Math.ceil(m.group(2).toLowerCase(Locale.ROOT).startsWith("m") ? value : value * 1000);
    }
}
