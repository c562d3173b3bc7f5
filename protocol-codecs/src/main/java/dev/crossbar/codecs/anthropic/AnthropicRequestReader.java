package dev.crossbar.codecs.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads a client's {@code POST /v1/messages} (or count_tokens) body into the canonical request. Paths
 * in error messages are built only when something is wrong, so the happy path allocates no strings.
 * Server tools and their blocks are noted as built-in tools; a {@code tool_reference} (tool search) in a
 * tool result becomes the referenced tools' definitions as text.
 */
final class AnthropicRequestReader {

    /** What the messages need from the rest of the body: the tools by name, and where built-in tools go. */
    private record Context(Map<String, Tool> tools, List<BuiltinTool> builtins) {}

    private AnthropicRequestReader() {}

    static ChatRequest read(JsonNode body, boolean countTokens) {
        if (body == null || !body.isObject()) {
            throw CodecException.invalid(null, "request body must be a JSON object");
        }
        String model = Json.requireText(body, "model", "model");
        Integer maxTokens = Json.optInt(body, "max_tokens", "max_tokens");
        if (countTokens) {
            maxTokens = null;
        } else if (maxTokens == null) {
            throw CodecException.invalid("max_tokens", "'max_tokens' is required");
        } else if (maxTokens < 1) {
            throw CodecException.invalid("max_tokens", "'max_tokens' must be >= 1, was " + maxTokens);
        }

        List<BuiltinTool> builtins = new ArrayList<>();
        List<Tool> tools = readTools(body, builtins);
        Map<String, Tool> byName = new HashMap<>();
        tools.forEach(t -> byName.put(t.name(), t));
        Context context = new Context(byName, builtins);
        List<Message> messages = new ArrayList<>();
        readSystem(body.get("system"), messages);
        JsonNode msgs = Json.requireArray(body, "messages", "messages");
        for (int i = 0; i < msgs.size(); i++) {
            readMessage(msgs.get(i), i, messages, context);
        }

        ChatRequest.Builder b = ChatRequest.builder(model)
                .messages(messages)
                .maxTokens(maxTokens)
                .stop(readStopSequences(body))
                .temperature(Json.optDouble(body, "temperature", "temperature"))
                .topP(Json.optDouble(body, "top_p", "top_p"))
                .topK(Json.optInt(body, "top_k", "top_k"));
        Boolean stream = Json.optBoolean(body, "stream", "stream");
        b.stream(!countTokens && stream != null && stream);
        b.tools(tools);
        b.builtinTools(builtins);
        readToolChoice(body, b);
        b.thinkingBudget(readThinking(body));
        JsonNode metadata = Json.optObject(body, "metadata", "metadata");
        if (metadata != null) {
            b.user(Json.optText(metadata, "user_id", "metadata.user_id"));
        }
        b.responseFormat(readOutputFormat(body));
        return b.build();
    }

    // ---- system ---------------------------------------------------------------------------------

    private static void readSystem(JsonNode system, List<Message> out) {
        if (system == null || system.isNull()) {
            return;
        }
        List<ContentPart> parts = systemParts(system, "system");
        if (!parts.isEmpty()) {
            out.add(new Message(Role.SYSTEM, parts));
        }
    }

    /** A system prompt: a string, or an array of text blocks (their cache_control is dropped). */
    private static List<ContentPart> systemParts(JsonNode system, String path) {
        if (system.isTextual()) {
            return List.of(new ContentPart.Text(system.textValue()));
        }
        if (!system.isArray()) {
            throw CodecException.invalid(path, "'" + path + "' must be a string or an array of text blocks");
        }
        List<ContentPart> parts = new ArrayList<>(system.size());
        for (int j = 0; j < system.size(); j++) {
            JsonNode block = system.get(j);
            if (!block.isObject() || !"text".equals(block.path("type").textValue())) {
                String at = path + "[" + j + "]";
                throw CodecException.invalid(at, "'" + at + "' must be a text block");
            }
            parts.add(new ContentPart.Text(text(block, "text", path, j)));
        }
        return parts;
    }

    // ---- messages -------------------------------------------------------------------------------

    private static void readMessage(JsonNode m, int i, List<Message> out, Context context) {
        if (!m.isObject()) {
            throw CodecException.invalid(at(i, null), "'" + at(i, null) + "' must be an object");
        }
        JsonNode roleNode = m.get("role");
        if (roleNode == null || !roleNode.isTextual()) {
            String p = at(i, "role");
            throw CodecException.invalid(p, "'" + p + "' is required and must be a string");
        }
        JsonNode content = m.get("content");
        if (content == null || content.isNull()) {
            String p = at(i, "content");
            throw CodecException.invalid(p, "'" + p + "' is required");
        }
        switch (roleNode.textValue()) {
            case "user" -> readUser(content, i, out, context);
            case "assistant" -> readAssistant(content, i, out, context);
            // Allowed mid-conversation by newer API versions; canonical keeps it where it stands.
            case "system" -> out.add(new Message(Role.SYSTEM, systemParts(content, at(i, "content"))));
            default -> {
                String p = at(i, "role");
                throw CodecException.invalid(p, "'" + p + "' must be one of user, assistant, system");
            }
        }
    }

    /**
     * A user turn. tool_result blocks become TOOL messages and the other blocks USER messages, split
     * in order; images inside a tool_result follow it in a USER message (canonical results are text).
     */
    private static void readUser(JsonNode content, int i, List<Message> out, Context context) {
        if (content.isTextual()) {
            out.add(Message.text(Role.USER, content.textValue()));
            return;
        }
        if (!content.isArray()) {
            String p = at(i, "content");
            throw CodecException.invalid(p, "'" + p + "' must be a string or an array of content blocks");
        }
        List<ContentPart> run = new ArrayList<>();
        Role runRole = null;
        for (int j = 0; j < content.size(); j++) {
            JsonNode block = content.get(j);
            String type = blockType(block, i, j);
            Role role = "tool_result".equals(type) ? Role.TOOL : Role.USER;
            if (runRole != null && role != runRole) {
                out.add(new Message(runRole, run));
                run = new ArrayList<>();
            }
            runRole = role;
            switch (type) {
                case "text" -> run.add(new ContentPart.Text(text(block, "text", i, j)));
                case "image" -> run.add(image(block, i, j));
                case "tool_result" -> {
                    List<ContentPart> images = toolResult(block, i, j, run, context);
                    if (!images.isEmpty()) {
                        out.add(new Message(Role.TOOL, run));
                        run = new ArrayList<>(images);
                        runRole = Role.USER;
                    }
                }
                case "document" -> throw unsupportedBlock(i, j, "document blocks");
                default -> throw unknownBlock(i, j, type, "user");
            }
        }
        if (runRole != null) {
            out.add(new Message(runRole, run));
        }
    }

    private static void readAssistant(JsonNode content, int i, List<Message> out, Context context) {
        if (content.isTextual()) {
            out.add(Message.text(Role.ASSISTANT, content.textValue()));
            return;
        }
        if (!content.isArray()) {
            String p = at(i, "content");
            throw CodecException.invalid(p, "'" + p + "' must be a string or an array of content blocks");
        }
        List<ContentPart> parts = new ArrayList<>(content.size());
        for (int j = 0; j < content.size(); j++) {
            JsonNode block = content.get(j);
            String type = blockType(block, i, j);
            switch (type) {
                case "text" -> parts.add(new ContentPart.Text(text(block, "text", i, j)));
                case "tool_use" -> parts.add(toolUse(block, i, j));
                case "thinking" -> {
                    String thinking = text(block, "thinking", i, j);
                    String signature = optText(block, "signature", i, j);
                    parts.add(
                            signature == null || signature.isEmpty()
                                    ? new ContentPart.Thinking(thinking)
                                    : SignatureEnvelope.part(
                                            SignatureEnvelope.open(signature, Issuer.ANTHROPIC, false), thinking));
                }
                case "redacted_thinking" ->
                    parts.add(SignatureEnvelope.part(
                            SignatureEnvelope.open(text(block, "data", i, j), Issuer.ANTHROPIC, true), ""));
                default -> {
                    if (isServerToolBlock(type)) {
                        context.builtins().add(new BuiltinTool(type, at(i, j, null)));
                    } else {
                        throw unknownBlock(i, j, type, "assistant");
                    }
                }
            }
        }
        if (!parts.isEmpty() || content.isEmpty()) {
            out.add(new Message(Role.ASSISTANT, parts));
        }
    }

    /** The blocks of a server tool's run (its call and its result): the provider's own history. */
    private static boolean isServerToolBlock(String type) {
        return type.equals("server_tool_use")
                || type.endsWith("_tool_result")
                || type.startsWith("mcp_")
                || type.equals("container_upload");
    }

    private static ContentPart.ToolCall toolUse(JsonNode block, int i, int j) {
        String id = text(block, "id", i, j);
        String name = text(block, "name", i, j);
        JsonNode input = block.get("input");
        String args;
        if (input == null || input.isNull()) {
            args = "{}";
        } else if (input.isObject()) {
            args = Json.string(input);
        } else {
            String p = at(i, j, "input");
            throw CodecException.invalid(p, "'" + p + "' must be an object");
        }
        return new ContentPart.ToolCall(id, name, args);
    }

    /** Adds the ToolResult to {@code run}; returns the images the result carried, in order. */
    private static List<ContentPart> toolResult(JsonNode block, int i, int j, List<ContentPart> run, Context context) {
        String id = text(block, "tool_use_id", i, j);
        JsonNode isError = block.get("is_error");
        if (isError != null && !isError.isNull() && !isError.isBoolean()) {
            String p = at(i, j, "is_error");
            throw CodecException.invalid(p, "'" + p + "' must be true or false");
        }
        JsonNode content = block.get("content");
        String text;
        List<ContentPart> images = List.of();
        if (content == null || content.isNull()) {
            text = "";
        } else if (content.isTextual()) {
            text = content.textValue();
        } else if (content.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < content.size(); k++) {
                JsonNode inner = content.get(k);
                String type = inner.path("type").textValue();
                String p = at(i, j, "content") + "[" + k + "]";
                if ("text".equals(type)) {
                    JsonNode t = inner.get("text");
                    if (t == null || !t.isTextual()) {
                        throw CodecException.invalid(p + ".text", "'" + p + ".text' must be a string");
                    }
                    if (sb.length() > 0) {
                        sb.append('\n');
                    }
                    sb.append(t.textValue());
                } else if ("image".equals(type)) {
                    if (images.isEmpty()) {
                        images = new ArrayList<>();
                    }
                    images.add(imageFrom(inner, p));
                } else if ("tool_reference".equals(type)) {
                    JsonNode name = inner.get("tool_name");
                    if (name == null || !name.isTextual()) {
                        throw CodecException.invalid(p + ".tool_name", "'" + p + ".tool_name' is required");
                    }
                    if (sb.length() > 0) {
                        sb.append('\n');
                    }
                    sb.append(toolReference(name.textValue(), context.tools()));
                } else {
                    throw CodecException.invalid(
                            p, "'" + p + "' must be a text, image or tool_reference block, was " + type);
                }
            }
            text = sb.toString();
        } else {
            String p = at(i, j, "content");
            throw CodecException.invalid(p, "'" + p + "' must be a string or an array of blocks");
        }
        run.add(new ContentPart.ToolResult(id, null, text, isError != null && isError.asBoolean()));
        return images;
    }

    /**
     * A tool search result names a deferred tool for the provider to load. Providers without tool search get
     * every deferred tool as an ordinary tool, and this text: the tool's definition in the
     * {@code <functions>} form Claude Code's own ToolSearch answers with when the provider does not search.
     */
    static String toolReference(String name, Map<String, Tool> tools) {
        Tool tool = tools.get(name);
        ObjectNode definition = Json.NODES.objectNode();
        if (tool != null && tool.description() != null) {
            definition.put("description", tool.description());
        }
        definition.put("name", name);
        if (tool != null && tool.parameters() != null) {
            definition.set("parameters", tool.parameters());
        }
        return "<functions>\n<function>" + Json.string(definition) + "</function>\n</functions>";
    }

    private static ContentPart.Image image(JsonNode block, int i, int j) {
        return imageFrom(block, at(i, j, null));
    }

    private static ContentPart.Image imageFrom(JsonNode block, String path) {
        JsonNode source = block.get("source");
        if (source == null || !source.isObject()) {
            throw CodecException.invalid(path + ".source", "'" + path + ".source' is required and must be an object");
        }
        String type = source.path("type").textValue();
        if ("base64".equals(type)) {
            JsonNode mediaType = source.get("media_type");
            JsonNode data = source.get("data");
            if (mediaType == null || !mediaType.isTextual()) {
                throw CodecException.invalid(
                        path + ".source.media_type", "'" + path + ".source.media_type' is required");
            }
            if (data == null || !data.isTextual()) {
                throw CodecException.invalid(path + ".source.data", "'" + path + ".source.data' is required");
            }
            return ContentPart.Image.inline(mediaType.textValue(), data.textValue());
        }
        if ("url".equals(type)) {
            JsonNode url = source.get("url");
            if (url == null || !url.isTextual()) {
                throw CodecException.invalid(path + ".source.url", "'" + path + ".source.url' is required");
            }
            return ContentPart.Image.remote(url.textValue());
        }
        throw CodecException.invalid(
                path + ".source.type",
                "'" + path + ".source.type' must be base64 or url (file sources are not supported), was " + type);
    }

    // ---- parameters -----------------------------------------------------------------------------

    private static List<String> readStopSequences(JsonNode body) {
        JsonNode stop = Json.optArray(body, "stop_sequences", "stop_sequences");
        if (stop == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(stop.size());
        for (int k = 0; k < stop.size(); k++) {
            JsonNode s = stop.get(k);
            if (!s.isTextual()) {
                String p = "stop_sequences[" + k + "]";
                throw CodecException.invalid(p, "'" + p + "' must be a string");
            }
            out.add(s.textValue());
        }
        return out;
    }

    /** Client tools; server tools (any other {@code type}) go to {@code builtins}. {@code defer_loading} is dropped. */
    private static List<Tool> readTools(JsonNode body, List<BuiltinTool> builtins) {
        JsonNode tools = Json.optArray(body, "tools", "tools");
        if (tools == null) {
            return List.of();
        }
        List<Tool> out = new ArrayList<>(tools.size());
        for (int k = 0; k < tools.size(); k++) {
            JsonNode t = tools.get(k);
            String p = "tools[" + k + "]";
            if (!t.isObject()) {
                throw CodecException.invalid(p, "'" + p + "' must be an object");
            }
            JsonNode type = t.get("type");
            if (type != null && !type.isNull() && !"custom".equals(type.textValue())) {
                if (!type.isTextual()) {
                    throw CodecException.invalid(p + ".type", "'" + p + ".type' must be a string");
                }
                builtins.add(new BuiltinTool(type.textValue(), p));
                continue;
            }
            String name = Json.requireText(t, "name", p + ".name");
            String description = Json.optText(t, "description", p + ".description");
            JsonNode schema = t.get("input_schema");
            if (schema == null || !schema.isObject()) {
                throw CodecException.invalid(
                        p + ".input_schema", "'" + p + ".input_schema' is required and must be an object");
            }
            out.add(new Tool(name, description, schema));
        }
        return out;
    }

    private static void readToolChoice(JsonNode body, ChatRequest.Builder b) {
        JsonNode choice = Json.optObject(body, "tool_choice", "tool_choice");
        if (choice == null) {
            return;
        }
        String type = Json.requireText(choice, "type", "tool_choice.type");
        switch (type) {
            case "auto" -> b.toolChoice(ToolChoice.AUTO);
            case "any" -> b.toolChoice(ToolChoice.REQUIRED);
            case "none" -> b.toolChoice(ToolChoice.NONE);
            case "tool" -> b.toolChoice(ToolChoice.specific(Json.requireText(choice, "name", "tool_choice.name")));
            default ->
                throw CodecException.invalid(
                        "tool_choice.type", "'tool_choice.type' must be one of auto, any, tool, none, was " + type);
        }
        Boolean disableParallel =
                Json.optBoolean(choice, "disable_parallel_tool_use", "tool_choice.disable_parallel_tool_use");
        if (disableParallel != null && disableParallel) {
            b.parallelToolCalls(false);
        }
    }

    /** enabled -> its budget; disabled and adaptive (no budget to carry) -> null. */
    private static @Nullable Integer readThinking(JsonNode body) {
        JsonNode thinking = Json.optObject(body, "thinking", "thinking");
        if (thinking == null) {
            return null;
        }
        String type = Json.requireText(thinking, "type", "thinking.type");
        switch (type) {
            case "enabled" -> {
                Integer budget = Json.optInt(thinking, "budget_tokens", "thinking.budget_tokens");
                if (budget == null) {
                    throw CodecException.invalid("thinking.budget_tokens", "'thinking.budget_tokens' is required");
                }
                return budget;
            }
            case "disabled", "adaptive" -> {
                return null;
            }
            default ->
                throw CodecException.invalid(
                        "thinking.type", "'thinking.type' must be enabled, disabled or adaptive, was " + type);
        }
    }

    /** Native structured output: output_config.format (GA) or output_format (beta), JSON schema only. */
    private static @Nullable ResponseFormat readOutputFormat(JsonNode body) {
        String path = "output_config.format";
        JsonNode format = null;
        JsonNode config = Json.optObject(body, "output_config", "output_config");
        if (config != null) {
            format = Json.optObject(config, "format", path);
        }
        if (format == null) {
            path = "output_format";
            format = Json.optObject(body, "output_format", path);
        }
        if (format == null) {
            return null;
        }
        String type = Json.requireText(format, "type", path + ".type");
        if (!"json_schema".equals(type)) {
            throw CodecException.invalid(path + ".type", "'" + path + ".type' must be json_schema, was " + type);
        }
        JsonNode schema = Json.optObject(format, "schema", path + ".schema");
        if (schema == null) {
            throw CodecException.invalid(path + ".schema", "'" + path + ".schema' is required");
        }
        return new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, null, schema, true);
    }

    // ---- small readers --------------------------------------------------------------------------

    private static String blockType(JsonNode block, int i, int j) {
        if (!block.isObject()) {
            String p = at(i, j, null);
            throw CodecException.invalid(p, "'" + p + "' must be an object");
        }
        JsonNode type = block.get("type");
        if (type == null || !type.isTextual()) {
            String p = at(i, j, "type");
            throw CodecException.invalid(p, "'" + p + "' is required");
        }
        return type.textValue();
    }

    private static String text(JsonNode block, String field, int i, int j) {
        JsonNode v = block.get(field);
        if (v == null || !v.isTextual()) {
            String p = at(i, j, field);
            throw CodecException.invalid(p, "'" + p + "' is required and must be a string");
        }
        return v.textValue();
    }

    /** For system blocks, whose path is not under messages. */
    private static String text(JsonNode block, String field, String path, int j) {
        JsonNode v = block.get(field);
        if (v == null || !v.isTextual()) {
            String p = path + "[" + j + "]." + field;
            throw CodecException.invalid(p, "'" + p + "' is required and must be a string");
        }
        return v.textValue();
    }

    private static @Nullable String optText(JsonNode block, String field, int i, int j) {
        JsonNode v = block.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            String p = at(i, j, field);
            throw CodecException.invalid(p, "'" + p + "' must be a string");
        }
        return v.textValue();
    }

    private static CodecException unsupportedBlock(int i, int j, String what) {
        String p = at(i, j, "type");
        return CodecException.invalid(p, what + " in '" + p + "' are not supported by this gateway");
    }

    private static CodecException unknownBlock(int i, int j, String type, String role) {
        String p = at(i, j, "type");
        return CodecException.invalid(
                p, "'" + p + "' has type '" + type + "', which a " + role + " message cannot carry");
    }

    private static String at(int i, @Nullable String field) {
        return "messages[" + i + "]" + (field == null ? "" : "." + field);
    }

    private static String at(int i, int j, @Nullable String field) {
        return "messages[" + i + "].content[" + j + "]" + (field == null ? "" : "." + field);
    }
}
