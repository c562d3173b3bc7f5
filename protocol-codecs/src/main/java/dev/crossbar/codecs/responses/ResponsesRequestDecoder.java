package dev.crossbar.codecs.responses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.BuiltinTool;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.Issuer;
import dev.crossbar.codecs.model.Message;
import dev.crossbar.codecs.model.ResponseFormat;
import dev.crossbar.codecs.model.Role;
import dev.crossbar.codecs.model.SignatureEnvelope;
import dev.crossbar.codecs.model.Tool;
import dev.crossbar.codecs.model.ToolChoice;
import dev.crossbar.codecs.openai.ImageUrls;
import dev.crossbar.codecs.openai.ReasoningEffort;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads a Responses API request into the canonical request. References to stored conversation state
 * ({@code previous_response_id}, {@code conversation}, {@code item_reference} items) are read past: the
 * gateway either resolves them from the state it keeps before decoding or forwards them as sent to a
 * Responses provider that keeps its own. Stored prompts, files and background runs are a 400. Built-in
 * tools, built-in tool choices and the items of
 * their runs are noted as {@link BuiltinTool}s for the gateway's policy; namespaced functions go by their
 * flat names ({@link ResponsesTools}).
 */
final class ResponsesRequestDecoder {

    private final List<Message> messages = new ArrayList<>();
    private final Map<String, String> toolNamesById = new HashMap<>();
    private final List<BuiltinTool> builtins = new ArrayList<>();
    private @Nullable List<ContentPart> assistant;

    private ResponsesRequestDecoder() {}

    static ChatRequest decode(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw CodecException.invalid(null, "request body must be a JSON object");
        }
        String model = Json.requireText(body, "model", "model");
        if (model.isBlank()) {
            throw CodecException.invalid("model", "'model' must not be empty");
        }
        rejectStateful(body);
        ResponsesRequestDecoder d = new ResponsesRequestDecoder();
        String instructions = Json.optText(body, "instructions", "instructions");
        if (instructions != null && !instructions.isEmpty()) {
            d.messages.add(Message.text(Role.SYSTEM, instructions));
        }
        d.input(body);

        Integer maxTokens = Json.optInt(body, "max_output_tokens", "max_output_tokens");
        if (maxTokens != null && maxTokens < 1) {
            throw CodecException.invalid("max_output_tokens", "'max_output_tokens' must be >= 1, was " + maxTokens);
        }
        Double temperature = range(Json.optDouble(body, "temperature", "temperature"), "temperature", 2.0);
        Double topP = range(Json.optDouble(body, "top_p", "top_p"), "top_p", 1.0);
        boolean stream = Boolean.TRUE.equals(Json.optBoolean(body, "stream", "stream"));
        String user = Json.optText(body, "user", "user");
        if (user == null) {
            user = Json.optText(body, "safety_identifier", "safety_identifier");
        }
        Integer thinkingBudget = null;
        JsonNode reasoning = Json.optObject(body, "reasoning", "reasoning");
        if (reasoning != null) {
            thinkingBudget =
                    ReasoningEffort.budget(Json.optText(reasoning, "effort", "reasoning.effort"), "reasoning.effort");
        }
        // A Responses stream always ends with the usage (in response.completed), so usage is always wanted.
        return new ChatRequest(
                model,
                d.messages,
                ResponsesTools.read(body, d.builtins),
                d.toolChoice(body),
                maxTokens,
                temperature,
                topP,
                null,
                List.of(),
                stream,
                stream,
                responseFormat(body),
                Json.optBoolean(body, "parallel_tool_calls", "parallel_tool_calls"),
                thinkingBudget,
                user,
                d.builtins);
    }

    private static void rejectStateful(JsonNode body) {
        if (present(body, "prompt")) {
            throw CodecException.invalid(
                    "prompt",
                    "'prompt' (a stored prompt template) is not supported by this "
                            + "gateway; send 'instructions' and 'input' instead");
        }
        if (Boolean.TRUE.equals(Json.optBoolean(body, "background", "background"))) {
            throw CodecException.invalid("background", "'background' responses are not supported by this gateway");
        }
    }

    private static boolean present(JsonNode body, String field) {
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

    private void input(JsonNode body) {
        JsonNode input = body.get("input");
        if (input == null || input.isNull()) {
            throw CodecException.invalid("input", "'input' is required");
        }
        if (input.isTextual()) {
            messages.add(Message.text(Role.USER, input.textValue()));
            return;
        }
        if (!input.isArray()) {
            throw CodecException.invalid("input", "'input' must be a string or an array of items");
        }
        if (input.isEmpty()) {
            throw CodecException.invalid("input", "'input' must contain at least one item");
        }
        for (int i = 0; i < input.size(); i++) {
            item(input.get(i), "input[" + i + "]");
        }
        flushAssistant();
    }

    private void item(JsonNode item, String path) {
        if (!item.isObject()) {
            throw CodecException.invalid(path, "'" + path + "' must be an object");
        }
        String type = Json.optText(item, "type", path + ".type");
        if (type == null) {
            if (!item.has("role")) {
                throw CodecException.invalid(path + ".type", "'" + path + ".type' is required");
            }
            type = "message";
        }
        switch (type) {
            case "message" -> message(item, path);
            case "function_call" -> functionCall(item, path);
            case "function_call_output" -> functionCallOutput(item, path);
            case "reasoning" -> reasoning(item, path);
            case "item_reference" -> {
                // Resolved by the gateway before decoding, or the provider's own business.
            }
            default -> {
                if (!isBuiltinToolItem(type)) {
                    throw CodecException.invalid(
                            path + ".type",
                            "'" + path + ".type' '" + type
                                    + "' is not supported by this gateway; input items may be message, function_call, "
                                    + "function_call_output, reasoning, or the items of built-in tools");
                }
                builtins.add(new BuiltinTool(type, path));
            }
        }
    }

    /** The call and output items of the tools OpenAI runs itself (web_search_call, mcp_call...). */
    private static boolean isBuiltinToolItem(String type) {
        if (type.startsWith("custom_tool_call")) {
            return false; // a client tool with free-form input, refused like custom tools
        }
        return type.endsWith("_call") || type.endsWith("_call_output") || type.startsWith("mcp_");
    }

    private void message(JsonNode item, String path) {
        String role = Json.requireText(item, "role", path + ".role");
        switch (role) {
            case "user" -> {
                flushAssistant();
                messages.add(new Message(Role.USER, content(item, path, true)));
            }
            case "system", "developer" -> {
                flushAssistant();
                messages.add(new Message(Role.SYSTEM, content(item, path, false)));
            }
            case "assistant" -> assistantParts().addAll(content(item, path, false));
            default ->
                throw CodecException.invalid(
                        path + ".role",
                        "'" + path + ".role' must be one of user, assistant, system, developer; was '" + role + "'");
        }
    }

    private List<ContentPart> content(JsonNode item, String path, boolean images) {
        JsonNode c = item.get("content");
        String contentPath = path + ".content";
        if (c == null || c.isNull()) {
            throw CodecException.invalid(contentPath, "'" + contentPath + "' is required");
        }
        if (c.isTextual()) {
            return List.of(new ContentPart.Text(c.textValue()));
        }
        if (!c.isArray()) {
            throw CodecException.invalid(contentPath, "'" + contentPath + "' must be a string or an array");
        }
        List<ContentPart> parts = new ArrayList<>(c.size());
        for (int i = 0; i < c.size(); i++) {
            parts.add(part(c.get(i), contentPath + "[" + i + "]", images));
        }
        return parts;
    }

    private static ContentPart part(JsonNode p, String path, boolean images) {
        if (!p.isObject()) {
            throw CodecException.invalid(path, "'" + path + "' must be an object");
        }
        String type = Json.requireText(p, "type", path + ".type");
        switch (type) {
            case "input_text", "output_text" -> {
                return new ContentPart.Text(Json.requireText(p, "text", path + ".text"));
            }
            case "refusal" -> {
                return new ContentPart.Text(Json.requireText(p, "refusal", path + ".refusal"));
            }
            case "input_image" -> {
                if (!images) {
                    throw CodecException.invalid(
                            path + ".type", "'" + path + ".type' 'input_image' is only allowed in user messages");
                }
                if (present(p, "file_id")) {
                    throw CodecException.invalid(
                            path + ".file_id",
                            "'" + path
                                    + ".file_id' refers to an uploaded file, which this gateway does not keep; send image_url");
                }
                String url = Json.requireText(p, "image_url", path + ".image_url");
                return ImageUrls.parse(url, path + ".image_url");
            }
            case "input_file", "input_audio" ->
                throw CodecException.invalid(
                        path + ".type", "'" + path + ".type' '" + type + "' is not supported by this gateway");
            default ->
                throw CodecException.invalid(
                        path + ".type",
                        "'" + path + ".type' must be input_text, " + "input_image or output_text; was '" + type + "'");
        }
    }

    private void functionCall(JsonNode item, String path) {
        String callId = Json.requireText(item, "call_id", path + ".call_id");
        String name = Tool.flatName(
                Json.optText(item, "namespace", path + ".namespace"), Json.requireText(item, "name", path + ".name"));
        JsonNode args = item.get("arguments");
        String arguments;
        if (args == null || args.isNull()) {
            arguments = "{}";
        } else if (args.isTextual()) {
            arguments = args.textValue();
        } else if (args.isObject()) {
            arguments = Json.string(args);
        } else {
            throw CodecException.invalid(
                    path + ".arguments", "'" + path + ".arguments' must be a string holding a JSON object");
        }
        toolNamesById.put(callId, name);
        assistantParts().add(new ContentPart.ToolCall(callId, name, arguments));
    }

    private void functionCallOutput(JsonNode item, String path) {
        flushAssistant();
        String callId = Json.requireText(item, "call_id", path + ".call_id");
        JsonNode output = item.get("output");
        String text;
        if (output == null || output.isNull()) {
            throw CodecException.invalid(path + ".output", "'" + path + ".output' is required");
        } else if (output.isTextual()) {
            text = output.textValue();
        } else if (output.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < output.size(); i++) {
                ContentPart p = part(output.get(i), path + ".output[" + i + "]", false);
                sb.append(((ContentPart.Text) p).text());
            }
            text = sb.toString();
        } else {
            throw CodecException.invalid(path + ".output", "'" + path + ".output' must be a string or an array");
        }
        messages.add(new Message(
                Role.TOOL, List.of(new ContentPart.ToolResult(callId, toolNamesById.get(callId), text, false))));
    }

    /**
     * A reasoning item replayed by the client: its readable text becomes thinking, signed with
     * {@code "<id> <encrypted_content>"} when OpenAI encrypted it (or, sealed, with what another family signed).
     */
    @SuppressWarnings("ReferenceEquality") // whether the envelope opened to the very string it was given
    private void reasoning(JsonNode item, String path) {
        StringBuilder sb = new StringBuilder();
        appendTexts(Json.optArray(item, "summary", path + ".summary"), sb);
        if (sb.length() == 0) {
            appendTexts(Json.optArray(item, "content", path + ".content"), sb);
        }
        String encrypted = Json.optText(item, "encrypted_content", path + ".encrypted_content");
        if (encrypted != null && !encrypted.isEmpty()) {
            SignatureEnvelope.Opened opened =
                    Objects.requireNonNull(SignatureEnvelope.open(encrypted, Issuer.OPENAI, false));
            if (opened.value() == encrypted) { // OpenAI's own, as it came: replaying it takes the item id too
                opened = new SignatureEnvelope.Opened(
                        Issuer.OPENAI,
                        false,
                        ReasoningSignature.of(Json.optText(item, "id", path + ".id"), opened.value()));
            }
            assistantParts().add(SignatureEnvelope.part(opened, sb.toString()));
        } else if (sb.length() > 0) {
            assistantParts().add(new ContentPart.Thinking(sb.toString()));
        }
    }

    private static void appendTexts(@Nullable JsonNode parts, StringBuilder sb) {
        if (parts == null) {
            return;
        }
        for (JsonNode p : parts) {
            JsonNode t = p.get("text");
            if (t != null && t.isTextual()) {
                if (sb.length() > 0) {
                    sb.append("\n\n");
                }
                sb.append(t.textValue());
            }
        }
    }

    private List<ContentPart> assistantParts() {
        if (assistant == null) {
            assistant = new ArrayList<>(4);
        }
        return assistant;
    }

    /** Consecutive assistant items (reasoning, message, function calls) are one canonical turn. */
    private void flushAssistant() {
        if (assistant == null) {
            return;
        }
        boolean calls = assistant.stream().anyMatch(p -> p instanceof ContentPart.ToolCall);
        if (calls) {
            assistant.removeIf(p -> p instanceof ContentPart.Text t && t.text().isEmpty());
        }
        if (!assistant.isEmpty()) {
            messages.add(new Message(Role.ASSISTANT, assistant));
        }
        assistant = null;
    }

    private @Nullable ToolChoice toolChoice(JsonNode body) {
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
            return ToolChoice.specific(Json.requireText(c, "name", "tool_choice.name"));
        } else if (c.isObject()
                && c.path("type").isTextual()
                && !"allowed_tools".equals(c.path("type").textValue())
                && !"custom".equals(c.path("type").textValue())) {
            // A built-in tool forced: what remains when it cannot run is the model's own choice.
            builtins.add(new BuiltinTool(c.path("type").textValue(), "tool_choice"));
            return null;
        }
        throw CodecException.invalid(
                "tool_choice",
                "'tool_choice' must be \"none\", \"auto\", \"required\", {\"type\":\"function\",\"name\":...} "
                        + "or a built-in tool; allowed_tools and custom tool choices are not supported");
    }

    private static @Nullable ResponseFormat responseFormat(JsonNode body) {
        JsonNode text = Json.optObject(body, "text", "text");
        if (text == null) {
            return null;
        }
        JsonNode f = Json.optObject(text, "format", "text.format");
        if (f == null) {
            return null;
        }
        String type = Json.requireText(f, "type", "text.format.type");
        return switch (type) {
            case "text" -> new ResponseFormat(ResponseFormat.Type.TEXT, null, null, false);
            case "json_object" -> new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, null, null, false);
            case "json_schema" -> {
                String name = Json.requireText(f, "name", "text.format.name");
                JsonNode schema = Json.optObject(f, "schema", "text.format.schema");
                if (schema == null) {
                    throw CodecException.invalid("text.format.schema", "'text.format.schema' is required");
                }
                boolean strict = Boolean.TRUE.equals(Json.optBoolean(f, "strict", "text.format.strict"));
                yield new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, name, schema, strict);
            }
            default ->
                throw CodecException.invalid(
                        "text.format.type",
                        "'text.format.type' must be text, json_object or json_schema; was '" + type + "'");
        };
    }
}
