package dev.crossbar.codecs.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.Message;
import dev.crossbar.codecs.model.ResponseFormat;
import dev.crossbar.codecs.model.Role;
import dev.crossbar.codecs.model.Tool;
import dev.crossbar.codecs.model.ToolChoice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Reads a Chat Completions request body into the canonical request; bad input is a 400 naming the field. */
final class ChatRequestDecoder {

    private ChatRequestDecoder() {}

    static ChatRequest decode(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw CodecException.invalid(null, "request body must be a JSON object");
        }
        String model = Json.requireText(body, "model", "model");
        if (model.isBlank()) {
            throw CodecException.invalid("model", "'model' must not be empty");
        }
        rejectUnsupported(body);

        JsonNode messagesNode = Json.requireArray(body, "messages", "messages");
        if (messagesNode.isEmpty()) {
            throw CodecException.invalid("messages", "'messages' must contain at least one message");
        }
        List<Message> messages = new ArrayList<>(messagesNode.size());
        Map<String, String> toolNamesById = new HashMap<>();
        for (int i = 0; i < messagesNode.size(); i++) {
            messages.add(message(messagesNode.get(i), "messages[" + i + "]", toolNamesById));
        }

        Integer maxTokens = Json.optInt(body, "max_completion_tokens", "max_completion_tokens");
        String maxTokensField = "max_completion_tokens";
        if (maxTokens == null) {
            maxTokens = Json.optInt(body, "max_tokens", "max_tokens");
            maxTokensField = "max_tokens";
        }
        if (maxTokens != null && maxTokens < 1) {
            throw CodecException.invalid(maxTokensField, "'" + maxTokensField + "' must be >= 1, was " + maxTokens);
        }
        Double temperature = range(Json.optDouble(body, "temperature", "temperature"), "temperature", 2.0);
        Double topP = range(Json.optDouble(body, "top_p", "top_p"), "top_p", 1.0);
        Integer topK = Json.optInt(body, "top_k", "top_k");
        boolean stream = Boolean.TRUE.equals(Json.optBoolean(body, "stream", "stream"));
        boolean includeUsage = false;
        JsonNode streamOptions = Json.optObject(body, "stream_options", "stream_options");
        if (streamOptions != null) {
            includeUsage = stream
                    && Boolean.TRUE.equals(
                            Json.optBoolean(streamOptions, "include_usage", "stream_options.include_usage"));
        }
        String user = Json.optText(body, "user", "user");
        if (user == null) {
            user = Json.optText(body, "safety_identifier", "safety_identifier");
        }
        Integer thinkingBudget =
                ReasoningEffort.budget(Json.optText(body, "reasoning_effort", "reasoning_effort"), "reasoning_effort");

        return new ChatRequest(
                model,
                messages,
                tools(body),
                toolChoice(body),
                maxTokens,
                temperature,
                topP,
                topK,
                stop(body),
                stream,
                includeUsage,
                responseFormat(body),
                Json.optBoolean(body, "parallel_tool_calls", "parallel_tool_calls"),
                thinkingBudget,
                user,
                List.of());
    }

    private static void rejectUnsupported(JsonNode body) {
        Integer n = Json.optInt(body, "n", "n");
        if (n != null && n != 1) {
            throw CodecException.invalid("n", "'n' must be 1: this gateway returns one choice per request, was " + n);
        }
        if (has(body, "functions") || has(body, "function_call")) {
            String field = has(body, "functions") ? "functions" : "function_call";
            throw CodecException.invalid(
                    field,
                    "'" + field
                            + "' (legacy function calling) is not supported; send 'tools' and 'tool_choice' instead");
        }
        if (has(body, "audio")) {
            throw CodecException.invalid("audio", "'audio' output is not supported by this gateway");
        }
        JsonNode modalities = Json.optArray(body, "modalities", "modalities");
        if (modalities != null) {
            for (JsonNode m : modalities) {
                if (!"text".equals(m.asText())) {
                    throw CodecException.invalid("modalities", "'modalities' may only contain \"text\"");
                }
            }
        }
    }

    private static boolean has(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v != null && !v.isNull();
    }

    private static @Nullable Double range(@Nullable Double value, String field, double max) {
        if (value != null && (value < 0 || value > max)) {
            throw CodecException.invalid(
                    field, "'" + field + "' must be between 0 and " + (int) max + ", was " + value);
        }
        return value;
    }

    private static Message message(JsonNode m, String path, Map<String, String> toolNamesById) {
        if (!m.isObject()) {
            throw CodecException.invalid(path, "'" + path + "' must be an object");
        }
        String role = Json.requireText(m, "role", path + ".role");
        return switch (role) {
            case "system", "developer" -> new Message(Role.SYSTEM, content(m, path, false, true));
            case "user" -> new Message(Role.USER, content(m, path, true, true));
            case "assistant" -> assistant(m, path, toolNamesById);
            case "tool" -> tool(m, path, toolNamesById);
            default ->
                throw CodecException.invalid(
                        path + ".role",
                        "'" + path + ".role' must be one of system, developer, user, assistant, tool; was '" + role
                                + "'");
        };
    }

    /** A string or an array of parts; images only where the role allows them. */
    private static List<ContentPart> content(JsonNode m, String path, boolean images, boolean required) {
        JsonNode c = m.get("content");
        String contentPath = path + ".content";
        if (c == null || c.isNull()) {
            if (required) {
                throw CodecException.invalid(contentPath, "'" + contentPath + "' is required");
            }
            return List.of();
        }
        if (c.isTextual()) {
            return List.of(new ContentPart.Text(c.textValue()));
        }
        if (!c.isArray()) {
            throw CodecException.invalid(contentPath, "'" + contentPath + "' must be a string or an array");
        }
        if (c.isEmpty()) {
            throw CodecException.invalid(contentPath, "'" + contentPath + "' must not be an empty array");
        }
        List<ContentPart> parts = new ArrayList<>(c.size());
        for (int i = 0; i < c.size(); i++) {
            parts.add(part(c.get(i), contentPath + "[" + i + "]", images));
        }
        return withoutEmptyTexts(parts);
    }

    /** Empty text parts beside other parts say nothing, and some upstreams (Anthropic) reject them. */
    static List<ContentPart> withoutEmptyTexts(List<ContentPart> parts) {
        if (parts.size() < 2) {
            return parts;
        }
        List<ContentPart> kept = new ArrayList<>(parts.size());
        for (ContentPart p : parts) {
            if (!(p instanceof ContentPart.Text t && t.text().isEmpty())) {
                kept.add(p);
            }
        }
        return kept.isEmpty() ? List.of(parts.get(0)) : kept;
    }

    private static ContentPart part(JsonNode p, String path, boolean images) {
        if (!p.isObject()) {
            throw CodecException.invalid(path, "'" + path + "' must be an object");
        }
        String type = Json.requireText(p, "type", path + ".type");
        return switch (type) {
            case "text" -> new ContentPart.Text(Json.requireText(p, "text", path + ".text"));
            case "refusal" -> new ContentPart.Text(Json.requireText(p, "refusal", path + ".refusal"));
            case "image_url" -> {
                if (!images) {
                    throw CodecException.invalid(
                            path + ".type", "'" + path + ".type' 'image_url' is only allowed in user messages");
                }
                yield image(p, path);
            }
            case "input_audio", "file" ->
                throw CodecException.invalid(
                        path + ".type", "'" + path + ".type' '" + type + "' is not supported by this gateway");
            default ->
                throw CodecException.invalid(
                        path + ".type",
                        "'" + path + ".type' must be " + (images ? "text or image_url" : "text") + "; was '" + type
                                + "'");
        };
    }

    private static ContentPart.Image image(JsonNode p, String path) {
        JsonNode imageUrl = p.get("image_url");
        String urlPath = path + ".image_url.url";
        String url;
        if (imageUrl != null && imageUrl.isTextual()) {
            url = imageUrl.textValue();
        } else {
            JsonNode obj = Json.optObject(p, "image_url", path + ".image_url");
            if (obj == null) {
                throw CodecException.invalid(path + ".image_url", "'" + path + ".image_url' is required");
            }
            url = Json.requireText(obj, "url", urlPath);
        }
        return ImageUrls.parse(url, urlPath);
    }

    private static Message assistant(JsonNode m, String path, Map<String, String> toolNamesById) {
        List<ContentPart> parts = new ArrayList<>(4);
        String reasoning = Json.optText(m, "reasoning_content", path + ".reasoning_content");
        if (reasoning != null && !reasoning.isEmpty()) {
            parts.add(new ContentPart.Thinking(reasoning));
        }
        List<ContentPart> content = content(m, path, false, false);
        JsonNode calls = Json.optArray(m, "tool_calls", path + ".tool_calls");
        boolean hasCalls = calls != null && !calls.isEmpty();
        for (ContentPart p : content) {
            // An empty text beside tool calls is how OpenAI clients say "no text"; other protocols reject it.
            if (!(hasCalls && p instanceof ContentPart.Text t && t.text().isEmpty())) {
                parts.add(p);
            }
        }
        String refusal = Json.optText(m, "refusal", path + ".refusal");
        if (refusal != null && !refusal.isEmpty() && content.isEmpty()) {
            parts.add(new ContentPart.Text(refusal));
        }
        if (calls != null && hasCalls) {
            for (int i = 0; i < calls.size(); i++) {
                ContentPart.ToolCall call = toolCall(calls.get(i), path + ".tool_calls[" + i + "]");
                toolNamesById.put(call.id(), call.name());
                parts.add(call);
            }
        }
        if (parts.isEmpty() && m.get("content") == null) {
            throw CodecException.invalid(
                    path + ".content",
                    "'" + path + ".content' is required when the assistant message has no tool_calls");
        }
        if (parts.isEmpty()) {
            parts.add(new ContentPart.Text(""));
        }
        return new Message(Role.ASSISTANT, parts);
    }

    private static ContentPart.ToolCall toolCall(JsonNode c, String path) {
        if (!c.isObject()) {
            throw CodecException.invalid(path, "'" + path + "' must be an object");
        }
        String type = Json.optText(c, "type", path + ".type");
        if (type != null && !"function".equals(type)) {
            throw CodecException.invalid(path + ".type", "'" + path + ".type' must be 'function', was '" + type + "'");
        }
        String id = Json.requireText(c, "id", path + ".id");
        JsonNode fn = Json.optObject(c, "function", path + ".function");
        if (fn == null) {
            throw CodecException.invalid(path + ".function", "'" + path + ".function' is required");
        }
        String name = Json.requireText(fn, "name", path + ".function.name");
        JsonNode args = fn.get("arguments");
        String arguments;
        if (args == null || args.isNull()) {
            arguments = "{}";
        } else if (args.isTextual()) {
            arguments = args.textValue();
        } else if (args.isObject()) {
            // Some clients replay arguments as an object; the JSON text is what the canonical model holds.
            arguments = Json.string(args);
        } else {
            throw CodecException.invalid(
                    path + ".function.arguments",
                    "'" + path + ".function.arguments' must be a string holding a JSON object");
        }
        return new ContentPart.ToolCall(id, name, arguments);
    }

    private static Message tool(JsonNode m, String path, Map<String, String> toolNamesById) {
        String id = Json.requireText(m, "tool_call_id", path + ".tool_call_id");
        List<ContentPart> content = content(m, path, false, true);
        String text;
        if (content.size() == 1) {
            text = ((ContentPart.Text) content.get(0)).text();
        } else {
            StringBuilder sb = new StringBuilder();
            for (ContentPart p : content) {
                sb.append(((ContentPart.Text) p).text());
            }
            text = sb.toString();
        }
        return new Message(Role.TOOL, List.of(new ContentPart.ToolResult(id, toolNamesById.get(id), text, false)));
    }

    private static List<Tool> tools(JsonNode body) {
        return FunctionTools.read(body);
    }

    static @Nullable ToolChoice toolChoice(JsonNode body) {
        JsonNode c = body.get("tool_choice");
        if (c == null || c.isNull()) {
            return null;
        }
        if (c.isTextual()) {
            switch (c.textValue()) {
                case "none" -> {
                    return ToolChoice.NONE;
                }
                case "auto" -> {
                    return ToolChoice.AUTO;
                }
                case "required" -> {
                    return ToolChoice.REQUIRED;
                }
                default -> {}
            }
        } else if (c.isObject() && "function".equals(c.path("type").asText(null))) {
            JsonNode fn = Json.optObject(c, "function", "tool_choice.function");
            if (fn != null) {
                return ToolChoice.specific(Json.requireText(fn, "name", "tool_choice.function.name"));
            }
        }
        throw CodecException.invalid(
                "tool_choice",
                "'tool_choice' must be \"none\", \"auto\", \"required\" or "
                        + "{\"type\":\"function\",\"function\":{\"name\":...}}");
    }

    private static List<String> stop(JsonNode body) {
        JsonNode s = body.get("stop");
        if (s == null || s.isNull()) {
            return List.of();
        }
        if (s.isTextual()) {
            return List.of(s.textValue());
        }
        if (s.isArray()) {
            List<String> out = new ArrayList<>(s.size());
            for (JsonNode v : s) {
                if (!v.isTextual()) {
                    throw CodecException.invalid("stop", "'stop' must be a string or an array of strings");
                }
                out.add(v.textValue());
            }
            return out;
        }
        throw CodecException.invalid("stop", "'stop' must be a string or an array of strings");
    }

    private static @Nullable ResponseFormat responseFormat(JsonNode body) {
        JsonNode f = Json.optObject(body, "response_format", "response_format");
        if (f == null) {
            return null;
        }
        String type = Json.requireText(f, "type", "response_format.type");
        return switch (type) {
            case "text" -> new ResponseFormat(ResponseFormat.Type.TEXT, null, null, false);
            case "json_object" -> new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, null, null, false);
            case "json_schema" -> {
                JsonNode js = Json.optObject(f, "json_schema", "response_format.json_schema");
                if (js == null) {
                    throw CodecException.invalid(
                            "response_format.json_schema", "'response_format.json_schema' is required");
                }
                String name = Json.requireText(js, "name", "response_format.json_schema.name");
                JsonNode schema = Json.optObject(js, "schema", "response_format.json_schema.schema");
                if (schema == null) {
                    throw CodecException.invalid(
                            "response_format.json_schema.schema", "'response_format.json_schema.schema' is required");
                }
                boolean strict =
                        Boolean.TRUE.equals(Json.optBoolean(js, "strict", "response_format.json_schema.strict"));
                yield new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, name, schema, strict);
            }
            default ->
                throw CodecException.invalid(
                        "response_format.type",
                        "'response_format.type' must be text, json_object or json_schema; was '" + type + "'");
        };
    }
}
