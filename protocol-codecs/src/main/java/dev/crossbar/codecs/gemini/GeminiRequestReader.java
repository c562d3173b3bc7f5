package dev.crossbar.codecs.gemini;

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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads a client's generateContent body into the canonical request. Calls without ids get
 * {@code call_<k>} (k counts calls in the request) and each functionResponse without an id is paired
 * with the earliest unanswered call of the same name, so the pairing survives translation to
 * protocols that match results by id.
 */
final class GeminiRequestReader {

    private final List<Message> messages = new ArrayList<>();
    private final List<ContentPart.ToolCall> unanswered = new ArrayList<>();
    private final List<BuiltinTool> builtins = new ArrayList<>();
    private int callCount;

    private GeminiRequestReader() {}

    static ChatRequest read(JsonNode body, @Nullable String pathModel, boolean pathStream) {
        if (body == null || !body.isObject()) {
            throw CodecException.invalid(null, "request body must be a JSON object");
        }
        String model = pathModel;
        if (model == null || model.isEmpty()) {
            model = Json.requireText(body, "model", "model");
        }
        if (model.startsWith("models/")) {
            model = model.substring("models/".length());
        }
        if (body.hasNonNull("cachedContent")) {
            throw CodecException.invalid("cachedContent", "'cachedContent' is not supported by this gateway");
        }
        GeminiRequestReader reader = new GeminiRequestReader();
        List<Tool> tools = readTools(body, reader.builtins);
        reader.readSystem(Json.optObject(body, "systemInstruction", "systemInstruction"));
        JsonNode contents = Json.requireArray(body, "contents", "contents");
        for (int i = 0; i < contents.size(); i++) {
            reader.readContent(contents.get(i), i);
        }
        ChatRequest.Builder b = ChatRequest.builder(model).messages(reader.messages).stream(pathStream);
        b.tools(tools);
        b.builtinTools(reader.builtins);
        readToolConfig(body, b);
        readGenerationConfig(body, b);
        return b.build();
    }

    private void readSystem(@Nullable JsonNode system) {
        if (system == null) {
            return;
        }
        JsonNode parts = Json.requireArray(system, "parts", "systemInstruction.parts");
        List<ContentPart> texts = new ArrayList<>(parts.size());
        for (int j = 0; j < parts.size(); j++) {
            JsonNode p = parts.get(j);
            JsonNode t = p.get("text");
            if (t == null || !t.isTextual()) {
                String path = "systemInstruction.parts[" + j + "].text";
                throw CodecException.invalid(
                        path, "'" + path + "' is required: a system instruction carries text only");
            }
            texts.add(new ContentPart.Text(t.textValue()));
        }
        if (!texts.isEmpty()) {
            messages.add(new Message(Role.SYSTEM, texts));
        }
    }

    private void readContent(JsonNode content, int i) {
        if (!content.isObject()) {
            throw CodecException.invalid(at(i, null), "'" + at(i, null) + "' must be an object");
        }
        JsonNode roleNode = content.get("role");
        String role = roleNode == null || roleNode.isNull() ? "user" : roleNode.asText();
        boolean model;
        switch (role) {
            case "user", "function" -> model = false;
            case "model" -> model = true;
            default -> throw CodecException.invalid(at(i, "role"), "'" + at(i, "role") + "' must be user or model");
        }
        JsonNode parts = content.get("parts");
        if (parts == null || !parts.isArray()) {
            throw CodecException.invalid(at(i, "parts"), "'" + at(i, "parts") + "' is required and must be an array");
        }
        if (model) {
            readModelParts(parts, i);
        } else {
            readUserParts(parts, i);
        }
    }

    private void readModelParts(JsonNode parts, int i) {
        List<ContentPart> out = new ArrayList<>(parts.size());
        for (int j = 0; j < parts.size(); j++) {
            JsonNode p = part(parts, i, j);
            String signature = optText(p, "thoughtSignature", i, j);
            if (p.path("thought").asBoolean(false)) {
                out.add(thinking(text(p, i, j), signature));
                continue;
            }
            if (signature != null && !signature.isEmpty()) {
                out.add(thinking("", signature));
            }
            if (p.has("functionCall")) {
                out.add(functionCall(p.get("functionCall"), i, j));
            } else if (p.has("text")) {
                String t = text(p, i, j);
                if (!t.isEmpty()) {
                    out.add(new ContentPart.Text(t));
                }
            } else if (p.has("executableCode") || p.has("codeExecutionResult")) {
                // the code-execution tool's run: Gemini's own history, which no other provider can take
                builtins.add(
                        new BuiltinTool(p.has("executableCode") ? "executableCode" : "codeExecutionResult", at(i, j)));
            } else {
                throw unsupportedPart(p, i, j, "a model turn");
            }
        }
        messages.add(new Message(Role.ASSISTANT, out));
    }

    /** User parts in order; functionResponse parts become TOOL messages, the rest USER messages. */
    private void readUserParts(JsonNode parts, int i) {
        List<ContentPart> run = new ArrayList<>();
        Role runRole = null;
        for (int j = 0; j < parts.size(); j++) {
            JsonNode p = part(parts, i, j);
            ContentPart part;
            if (p.has("text")) {
                if (p.path("thought").asBoolean(false)) {
                    continue; // thoughts belong to model turns; a client echoing them here gets them ignored
                }
                part = new ContentPart.Text(text(p, i, j));
            } else if (p.has("inlineData")) {
                part = inlineData(p.get("inlineData"), i, j);
            } else if (p.has("fileData")) {
                part = fileData(p.get("fileData"), i, j);
            } else if (p.has("functionResponse")) {
                part = functionResponse(p.get("functionResponse"), i, j);
            } else {
                throw unsupportedPart(p, i, j, "a user turn");
            }
            Role role = part instanceof ContentPart.ToolResult ? Role.TOOL : Role.USER;
            if (runRole != null && role != runRole) {
                messages.add(new Message(runRole, run));
                run = new ArrayList<>();
            }
            runRole = role;
            run.add(part);
        }
        if (runRole != null) {
            messages.add(new Message(runRole, run));
        }
    }

    /** A thought (or a bare signature) as the client replays it; a sealed value opens to its own issuer. */
    private static ContentPart thinking(String text, @Nullable String signature) {
        if (signature == null || signature.isEmpty()) {
            return new ContentPart.Thinking(text);
        }
        return SignatureEnvelope.part(SignatureEnvelope.open(signature, Issuer.GEMINI, false), text);
    }

    private ContentPart.ToolCall functionCall(JsonNode call, int i, int j) {
        String path = at(i, j) + ".functionCall";
        if (!call.isObject()) {
            throw CodecException.invalid(path, "'" + path + "' must be an object");
        }
        String name = Json.requireText(call, "name", path + ".name");
        String id = Json.optText(call, "id", path + ".id");
        JsonNode args = call.get("args");
        String argsJson;
        if (args == null || args.isNull()) {
            argsJson = "{}";
        } else if (args.isObject()) {
            argsJson = Json.string(args);
        } else {
            throw CodecException.invalid(path + ".args", "'" + path + ".args' must be an object");
        }
        int k = callCount++;
        ContentPart.ToolCall c =
                new ContentPart.ToolCall(id != null && !id.isEmpty() ? id : "call_" + k, name, argsJson);
        unanswered.add(c);
        return c;
    }

    /**
     * A function's answer. A response that wraps one value, in {@code result}, {@code output},
     * {@code content} or {@code error} (an error result), beside at most the function's {@code name} (the
     * Vercel AI SDK sends {@code {name, content}}), gives that value: a string as it is, anything else as
     * its JSON text. Any other response is its own JSON text.
     */
    private ContentPart.ToolResult functionResponse(JsonNode fr, int i, int j) {
        String path = at(i, j) + ".functionResponse";
        if (!fr.isObject()) {
            throw CodecException.invalid(path, "'" + path + "' must be an object");
        }
        String name = Json.requireText(fr, "name", path + ".name");
        String id = Json.optText(fr, "id", path + ".id");
        JsonNode response = fr.get("response");
        String content;
        boolean isError = false;
        if (response == null || response.isNull()) {
            content = "";
        } else if (!response.isObject()) {
            throw CodecException.invalid(path + ".response", "'" + path + ".response' must be an object");
        } else {
            String field = wrappedField(response);
            if (field == null) {
                content = Json.string(response);
            } else {
                JsonNode value = response.get(field);
                content = value.isTextual() ? value.textValue() : Json.string(value);
                isError = "error".equals(field);
            }
        }
        return new ContentPart.ToolResult(answer(id, name), name, content, isError);
    }

    /** The one field of {@code result, output, content, error} a response wraps its value in, or null. */
    private static @Nullable String wrappedField(JsonNode response) {
        String wrapped = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = response.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            switch (e.getKey()) {
                case "result", "output", "content", "error" -> {
                    if (wrapped != null || e.getValue().isNull()) {
                        return null;
                    }
                    wrapped = e.getKey();
                }
                case "name" -> {
                    if (!e.getValue().isTextual()) {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        return wrapped;
    }

    /** The id of the call a response answers: its own, else the earliest unanswered call by name. */
    private String answer(@Nullable String id, String name) {
        if (id != null && !id.isEmpty()) {
            unanswered.removeIf(c -> id.equals(c.id()));
            return id;
        }
        for (Iterator<ContentPart.ToolCall> it = unanswered.iterator(); it.hasNext(); ) {
            ContentPart.ToolCall c = it.next();
            if (c.name().equals(name)) {
                it.remove();
                return c.id();
            }
        }
        return unanswered.isEmpty()
                ? "call_" + callCount++
                : unanswered.remove(0).id();
    }

    private static ContentPart.Image inlineData(JsonNode d, int i, int j) {
        String path = at(i, j) + ".inlineData";
        if (!d.isObject()) {
            throw CodecException.invalid(path, "'" + path + "' must be an object");
        }
        String mime = imageMime(Json.requireText(d, "mimeType", path + ".mimeType"), path + ".mimeType");
        return ContentPart.Image.inline(mime, Json.requireText(d, "data", path + ".data"));
    }

    private static ContentPart.Image fileData(JsonNode d, int i, int j) {
        String path = at(i, j) + ".fileData";
        if (!d.isObject()) {
            throw CodecException.invalid(path, "'" + path + "' must be an object");
        }
        String mime = Json.optText(d, "mimeType", path + ".mimeType");
        if (mime != null) {
            imageMime(mime, path + ".mimeType");
        }
        return ContentPart.Image.remote(Json.requireText(d, "fileUri", path + ".fileUri"));
    }

    /** Only images translate to every protocol; audio, video and PDFs are refused. */
    private static String imageMime(String mime, String path) {
        if (!mime.startsWith("image/")) {
            throw CodecException.invalid(
                    path, "'" + path + "' is " + mime + "; only image/* data is supported by this gateway");
        }
        return mime;
    }

    // ---- tools and config -----------------------------------------------------------------------

    /** Function declarations; every other kind of tool (googleSearch, codeExecution...) goes to {@code builtins}. */
    private static List<Tool> readTools(JsonNode body, List<BuiltinTool> builtins) {
        JsonNode tools = Json.optArray(body, "tools", "tools");
        if (tools == null) {
            return List.of();
        }
        List<Tool> out = new ArrayList<>();
        for (int k = 0; k < tools.size(); k++) {
            JsonNode t = tools.get(k);
            String p = "tools[" + k + "]";
            if (!t.isObject()) {
                throw CodecException.invalid(p, "'" + p + "' must be an object");
            }
            for (Iterator<String> it = t.fieldNames(); it.hasNext(); ) {
                String kind = it.next();
                if (!"functionDeclarations".equals(kind)) {
                    builtins.add(new BuiltinTool(kind, p + "." + kind));
                }
            }
            JsonNode decls = Json.optArray(t, "functionDeclarations", p + ".functionDeclarations");
            if (decls == null) {
                continue;
            }
            for (int d = 0; d < decls.size(); d++) {
                JsonNode f = decls.get(d);
                String fp = p + ".functionDeclarations[" + d + "]";
                if (!f.isObject()) {
                    throw CodecException.invalid(fp, "'" + fp + "' must be an object");
                }
                String name = Json.requireText(f, "name", fp + ".name");
                String description = Json.optText(f, "description", fp + ".description");
                JsonNode schema = Json.optObject(f, "parametersJsonSchema", fp + ".parametersJsonSchema");
                if (schema == null) {
                    schema = Json.optObject(f, "parameters", fp + ".parameters");
                    schema = schema == null ? null : lowerCaseTypes(schema);
                }
                out.add(new Tool(name, description, schema));
            }
        }
        return out;
    }

    private static void readToolConfig(JsonNode body, ChatRequest.Builder b) {
        JsonNode config = Json.optObject(body, "toolConfig", "toolConfig");
        if (config == null) {
            return;
        }
        JsonNode fc = Json.optObject(config, "functionCallingConfig", "toolConfig.functionCallingConfig");
        if (fc == null) {
            return;
        }
        String mode = Json.optText(fc, "mode", "toolConfig.functionCallingConfig.mode");
        JsonNode allowed =
                Json.optArray(fc, "allowedFunctionNames", "toolConfig.functionCallingConfig.allowedFunctionNames");
        if (mode == null) {
            return;
        }
        switch (mode) {
            case "AUTO", "VALIDATED", "MODE_UNSPECIFIED" -> b.toolChoice(ToolChoice.AUTO);
            case "NONE" -> b.toolChoice(ToolChoice.NONE);
            case "ANY" -> {
                if (allowed != null && allowed.size() == 1 && allowed.get(0).isTextual()) {
                    b.toolChoice(ToolChoice.specific(allowed.get(0).textValue()));
                } else {
                    b.toolChoice(ToolChoice.REQUIRED); // a longer allow-list cannot be carried; any tool may be called
                }
            }
            default ->
                throw CodecException.invalid(
                        "toolConfig.functionCallingConfig.mode",
                        "'toolConfig.functionCallingConfig.mode' must be AUTO, ANY, NONE or VALIDATED, was " + mode);
        }
    }

    private static void readGenerationConfig(JsonNode body, ChatRequest.Builder b) {
        JsonNode gc = Json.optObject(body, "generationConfig", "generationConfig");
        if (gc == null) {
            return;
        }
        Integer maxTokens = Json.optInt(gc, "maxOutputTokens", "generationConfig.maxOutputTokens");
        if (maxTokens != null && maxTokens < 1) {
            // As the other client codecs do: a cap below 1 asks for nothing, and would make a negative token
            // reservation at the gateway.
            throw CodecException.invalid(
                    "generationConfig.maxOutputTokens",
                    "'generationConfig.maxOutputTokens' must be >= 1, was " + maxTokens);
        }
        b.maxTokens(maxTokens);
        b.temperature(Json.optDouble(gc, "temperature", "generationConfig.temperature"));
        b.topP(Json.optDouble(gc, "topP", "generationConfig.topP"));
        b.topK(Json.optInt(gc, "topK", "generationConfig.topK"));
        JsonNode stop = Json.optArray(gc, "stopSequences", "generationConfig.stopSequences");
        if (stop != null) {
            List<String> out = new ArrayList<>(stop.size());
            for (int k = 0; k < stop.size(); k++) {
                if (!stop.get(k).isTextual()) {
                    String p = "generationConfig.stopSequences[" + k + "]";
                    throw CodecException.invalid(p, "'" + p + "' must be a string");
                }
                out.add(stop.get(k).textValue());
            }
            b.stop(out);
        }
        Integer candidates = Json.optInt(gc, "candidateCount", "generationConfig.candidateCount");
        if (candidates != null && candidates != 1) {
            throw CodecException.invalid(
                    "generationConfig.candidateCount",
                    "'generationConfig.candidateCount' must be 1: this gateway returns one candidate, was "
                            + candidates);
        }
        b.responseFormat(readResponseFormat(gc));
        JsonNode thinking = Json.optObject(gc, "thinkingConfig", "generationConfig.thinkingConfig");
        if (thinking != null) {
            Integer budget = Json.optInt(thinking, "thinkingBudget", "generationConfig.thinkingConfig.thinkingBudget");
            b.thinkingBudget(budget == null || budget < 0 ? null : budget); // -1 (dynamic) has no canonical form
        }
    }

    private static @Nullable ResponseFormat readResponseFormat(JsonNode gc) {
        String mime = Json.optText(gc, "responseMimeType", "generationConfig.responseMimeType");
        JsonNode jsonSchema = Json.optObject(gc, "responseJsonSchema", "generationConfig.responseJsonSchema");
        JsonNode schema = jsonSchema != null
                ? jsonSchema
                : Json.optObject(gc, "responseSchema", "generationConfig.responseSchema");
        if (jsonSchema == null && schema != null) {
            schema = lowerCaseTypes(schema);
        }
        if (mime == null || "text/plain".equals(mime)) {
            if (schema != null) {
                throw CodecException.invalid(
                        "generationConfig.responseMimeType",
                        "'generationConfig.responseMimeType' must be application/json when a response schema is set");
            }
            return null;
        }
        if (!"application/json".equals(mime)) {
            throw CodecException.invalid(
                    "generationConfig.responseMimeType",
                    "'generationConfig.responseMimeType' " + mime
                            + " is not supported; use text/plain or application/json");
        }
        return schema == null
                ? new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, null, null, false)
                : new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, null, schema, false);
    }

    /**
     * Gemini's OpenAPI-subset schemas may spell types in capitals ("OBJECT"); JSON Schema needs lower
     * case. Returns the node itself when nothing needs changing.
     */
    static JsonNode lowerCaseTypes(JsonNode schema) {
        if (!needsLowering(schema)) {
            return schema;
        }
        JsonNode copy = schema.deepCopy();
        lower(copy);
        return copy;
    }

    private static boolean needsLowering(JsonNode n) {
        if (n.isObject()) {
            JsonNode type = n.get("type");
            if (type != null
                    && type.isTextual()
                    && !type.textValue().equals(type.textValue().toLowerCase(java.util.Locale.ROOT))) {
                return true;
            }
            for (JsonNode child : n) {
                if (needsLowering(child)) {
                    return true;
                }
            }
        } else if (n.isArray()) {
            for (JsonNode child : n) {
                if (needsLowering(child)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void lower(JsonNode n) {
        if (n.isObject()) {
            JsonNode type = n.get("type");
            if (type != null && type.isTextual()) {
                ((ObjectNode) n).put("type", type.textValue().toLowerCase(java.util.Locale.ROOT));
            }
        }
        for (JsonNode child : n) {
            lower(child);
        }
    }

    // ---- small readers --------------------------------------------------------------------------

    private static JsonNode part(JsonNode parts, int i, int j) {
        JsonNode p = parts.get(j);
        if (!p.isObject()) {
            throw CodecException.invalid(at(i, j), "'" + at(i, j) + "' must be an object");
        }
        return p;
    }

    private static String text(JsonNode p, int i, int j) {
        JsonNode t = p.get("text");
        if (t == null || !t.isTextual()) {
            String path = at(i, j) + ".text";
            throw CodecException.invalid(path, "'" + path + "' must be a string");
        }
        return t.textValue();
    }

    private static @Nullable String optText(JsonNode p, String field, int i, int j) {
        JsonNode v = p.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            String path = at(i, j) + "." + field;
            throw CodecException.invalid(path, "'" + path + "' must be a string");
        }
        return v.textValue();
    }

    private static CodecException unsupportedPart(JsonNode p, int i, int j, String where) {
        String kind = null;
        for (Iterator<String> it = p.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!"thoughtSignature".equals(f) && !"thought".equals(f) && !"videoMetadata".equals(f)) {
                kind = f;
                break;
            }
        }
        String path = at(i, j) + (kind == null ? "" : "." + kind);
        return CodecException.invalid(
                path,
                kind == null
                        ? "'" + at(i, j) + "' is an empty part"
                        : "'" + path + "' is not supported in " + where + " by this gateway");
    }

    private static String at(int i, @Nullable String field) {
        return "contents[" + i + "]" + (field == null ? "" : "." + field);
    }

    private static String at(int i, int j) {
        return "contents[" + i + "].parts[" + j + "]";
    }
}
