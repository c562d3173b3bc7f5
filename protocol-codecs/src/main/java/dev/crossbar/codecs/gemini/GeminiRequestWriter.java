package dev.crossbar.codecs.gemini;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.json.JsonOutput;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.Issuer;
import dev.crossbar.codecs.model.Message;
import dev.crossbar.codecs.model.ResponseFormat;
import dev.crossbar.codecs.model.Role;
import dev.crossbar.codecs.model.Tool;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a canonical request as a Gemini generateContent body. Like the Anthropic writer it first
 * plans the turns (system hoisted, same-role turns merged, function responses first in their user
 * turn and named after their call, nothing empty) and only then writes.
 */
final class GeminiRequestWriter {

    private static final String TARGET = "Gemini";

    private GeminiRequestWriter() {}

    private record Turn(boolean user, List<ContentPart> parts) {}

    static byte[] write(ChatRequest r) {
        List<ContentPart.Text> system = new ArrayList<>(1);
        List<Turn> turns = plan(r.messages(), system);
        return JsonOutput.bytes(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("contents");
            for (Turn t : turns) {
                g.writeStartObject();
                g.writeStringField("role", t.user() ? "user" : "model");
                g.writeArrayFieldStart("parts");
                if (t.user()) {
                    for (ContentPart p : t.parts()) {
                        writeUserPart(g, p);
                    }
                } else {
                    GeminiWire.writeModelParts(g, t.parts(), true);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            if (!system.isEmpty()) {
                g.writeObjectFieldStart("systemInstruction");
                g.writeArrayFieldStart("parts");
                for (ContentPart.Text t : system) {
                    g.writeStartObject();
                    g.writeStringField("text", t.text());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            if (!r.tools().isEmpty()) {
                writeTools(g, r.tools());
                writeToolConfig(g, r);
            }
            writeGenerationConfig(g, r);
            g.writeEndObject();
        });
    }

    // ---- planning -------------------------------------------------------------------------------

    /**
     * System messages anywhere are appended in order to systemInstruction (Gemini has no system turn);
     * they keep their authority rather than being demoted to user text, and lose only their position.
     */
    private static List<Turn> plan(List<Message> messages, List<ContentPart.Text> system) {
        List<Turn> turns = new ArrayList<>(messages.size());
        Map<String, String> callNames = new HashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            if (m.role() == Role.SYSTEM) {
                m.addSystemTexts(system, "messages[" + i + "]", TARGET);
                continue;
            }
            boolean user = m.role() != Role.ASSISTANT;
            List<ContentPart> kept = new ArrayList<>(m.parts().size());
            for (ContentPart p : m.parts()) {
                if (p instanceof ContentPart.Text t) {
                    if (!t.text().isEmpty()) {
                        kept.add(t);
                    }
                } else if (p instanceof ContentPart.Image) {
                    if (!user) {
                        throw CodecException.unsupported(
                                "messages[" + i + "]", TARGET, "an image in an assistant message");
                    }
                    kept.add(p);
                } else if (p instanceof ContentPart.ToolCall c) {
                    if (user) {
                        throw CodecException.invalid(
                                "messages[" + i + "]", "only an assistant message can carry tool calls");
                    }
                    if (c.id() != null) {
                        callNames.put(c.id(), c.name());
                    }
                    kept.add(c);
                } else if (p instanceof ContentPart.ToolResult tr) {
                    String name = tr.name() != null
                            ? tr.name()
                            : tr.toolCallId() == null ? null : callNames.get(tr.toolCallId());
                    if (name == null) {
                        throw CodecException.invalid(
                                "messages[" + i + "]",
                                "the tool result for call '" + tr.toolCallId()
                                        + "' answers no earlier tool call, and Gemini needs the function's name");
                    }
                    kept.add(
                            tr.name() != null
                                    ? tr
                                    : new ContentPart.ToolResult(tr.toolCallId(), name, tr.content(), tr.isError()));
                } else if (p instanceof ContentPart.Thinking th) {
                    // Only Gemini's own signed thoughts are worth replaying; unsigned and foreign reasoning is dropped.
                    if (!user && th.signedBy(Issuer.GEMINI)) {
                        kept.add(th);
                    }
                }
                // RedactedThinking is never Gemini's and means nothing to it.
            }
            if (kept.isEmpty()) {
                continue;
            }
            Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
            if (last != null && last.user() == user) {
                last.parts().addAll(kept);
            } else {
                turns.add(new Turn(user, kept));
            }
        }
        for (Turn t : turns) {
            if (t.user()) {
                shapeUserTurn(t.parts());
            }
        }
        return turns;
    }

    /**
     * Function responses first (right after the model's calls), then the rest; a turn with images but
     * no text gets a " " text part, which Gemini needs (LiteLLM #5515).
     */
    private static void shapeUserTurn(List<ContentPart> parts) {
        List<ContentPart> results = new ArrayList<>();
        List<ContentPart> others = new ArrayList<>();
        boolean image = false;
        boolean text = false;
        for (ContentPart p : parts) {
            if (p instanceof ContentPart.ToolResult) {
                results.add(p);
            } else {
                others.add(p);
                image |= p instanceof ContentPart.Image;
                text |= p instanceof ContentPart.Text;
            }
        }
        if (image && !text) {
            others.add(new ContentPart.Text(" "));
        }
        parts.clear();
        parts.addAll(results);
        parts.addAll(others);
    }

    // ---- writing --------------------------------------------------------------------------------

    private static void writeUserPart(JsonGenerator g, ContentPart p) throws IOException {
        g.writeStartObject();
        if (p instanceof ContentPart.Text t) {
            g.writeStringField("text", t.text());
        } else if (p instanceof ContentPart.Image img) {
            writeImage(g, img);
        } else if (p instanceof ContentPart.ToolResult r) {
            g.writeObjectFieldStart("functionResponse");
            if (r.toolCallId() != null) {
                g.writeStringField("id", r.toolCallId());
            }
            g.writeStringField("name", r.name());
            g.writeFieldName("response");
            writeResponseObject(g, r);
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** A JSON-object result goes as itself; anything else as {"result": text} ({"error": text} on error). */
    private static void writeResponseObject(JsonGenerator g, ContentPart.ToolResult r) throws IOException {
        String content = r.content();
        if (!r.isError() && !content.isEmpty() && content.charAt(0) == '{') {
            try {
                JsonNode parsed = Json.MAPPER.readTree(content);
                if (parsed != null && parsed.isObject()) {
                    g.writeTree(parsed);
                    return;
                }
            } catch (IOException e) {
                // not JSON after all: wrapped below
            }
        }
        g.writeStartObject();
        g.writeStringField(r.isError() ? "error" : "result", content);
        g.writeEndObject();
    }

    /**
     * Inline data and {@code data:} URLs go as inlineData; other URLs as fileData with the MIME type
     * guessed from the extension. Whether the upstream can fetch that URL is its call, and its error
     * comes back truthfully.
     */
    private static void writeImage(JsonGenerator g, ContentPart.Image img) throws IOException {
        String mime = img.mediaType();
        String data = img.data();
        if (data == null) {
            String url = Objects.requireNonNull(img.url(), "an image without data has a url");
            int comma = url.indexOf(',');
            if (url.startsWith("data:") && comma > 0 && url.lastIndexOf(";base64", comma) > 0) {
                mime = url.substring(5, url.lastIndexOf(";base64", comma));
                data = url.substring(comma + 1);
            } else {
                g.writeObjectFieldStart("fileData");
                g.writeStringField("mimeType", guessMime(url));
                g.writeStringField("fileUri", url);
                g.writeEndObject();
                return;
            }
        }
        g.writeObjectFieldStart("inlineData");
        g.writeStringField("mimeType", mime != null && !mime.isEmpty() ? mime : "image/png");
        g.writeStringField("data", data);
        g.writeEndObject();
    }

    static String guessMime(String url) {
        int end = url.length();
        int q = url.indexOf('?');
        if (q >= 0) {
            end = q;
        }
        int h = url.indexOf('#');
        if (h >= 0 && h < end) {
            end = h;
        }
        int dot = url.lastIndexOf('.', end);
        if (dot < 0 || url.indexOf('/', dot) >= 0) {
            return "image/jpeg";
        }
        return switch (url.substring(dot + 1, end).toLowerCase(Locale.ROOT)) {
            case "png" -> "image/png";
            case "gif" -> "image/gif";
            case "webp" -> "image/webp";
            case "heic" -> "image/heic";
            case "heif" -> "image/heif";
            default -> "image/jpeg";
        };
    }

    /**
     * Declarations carry the JSON schema in {@code parametersJsonSchema}, which Gemini accepts as JSON
     * Schema ({@code additionalProperties}, {@code $ref} and all), so nothing is rewritten; only the
     * root's {@code $schema} dialect marker is left out.
     */
    private static void writeTools(JsonGenerator g, List<Tool> tools) throws IOException {
        g.writeArrayFieldStart("tools");
        g.writeStartObject();
        g.writeArrayFieldStart("functionDeclarations");
        for (Tool t : tools) {
            g.writeStartObject();
            g.writeStringField("name", t.name());
            if (t.description() != null) {
                g.writeStringField("description", t.description());
            }
            if (t.parameters() != null && t.parameters().isObject()) {
                g.writeFieldName("parametersJsonSchema");
                g.writeTree(withoutSchemaKeyword(t.parameters()));
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndArray();
    }

    /** The schema without its root {@code $schema} marker; the same node when it has none. */
    static JsonNode withoutSchemaKeyword(JsonNode schema) {
        if (!schema.has("$schema")) {
            return schema;
        }
        ObjectNode copy = ((ObjectNode) schema).deepCopy();
        copy.remove("$schema");
        return copy;
    }

    /** parallelToolCalls has no Gemini equivalent and is dropped. */
    private static void writeToolConfig(JsonGenerator g, ChatRequest r) throws IOException {
        if (r.toolChoice() == null) {
            return;
        }
        g.writeObjectFieldStart("toolConfig");
        g.writeObjectFieldStart("functionCallingConfig");
        switch (r.toolChoice().mode()) {
            case AUTO -> g.writeStringField("mode", "AUTO");
            case NONE -> g.writeStringField("mode", "NONE");
            case REQUIRED -> g.writeStringField("mode", "ANY");
            case SPECIFIC -> {
                g.writeStringField("mode", "ANY");
                g.writeArrayFieldStart("allowedFunctionNames");
                g.writeString(r.toolChoice().name());
                g.writeEndArray();
            }
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeGenerationConfig(JsonGenerator g, ChatRequest r) throws IOException {
        ResponseFormat format = r.responseFormat();
        boolean json = format != null && format.type() != ResponseFormat.Type.TEXT;
        if (r.maxTokens() == null
                && r.temperature() == null
                && r.topP() == null
                && r.topK() == null
                && r.stop().isEmpty()
                && !json
                && r.thinkingBudget() == null) {
            return;
        }
        g.writeObjectFieldStart("generationConfig");
        if (r.maxTokens() != null) {
            g.writeNumberField("maxOutputTokens", r.maxTokens());
        }
        if (r.temperature() != null) {
            g.writeNumberField("temperature", r.temperature());
        }
        if (r.topP() != null) {
            g.writeNumberField("topP", r.topP());
        }
        if (r.topK() != null) {
            g.writeNumberField("topK", r.topK());
        }
        if (!r.stop().isEmpty()) {
            g.writeArrayFieldStart("stopSequences");
            for (String s : r.stop()) {
                g.writeString(s);
            }
            g.writeEndArray();
        }
        if (format != null && json) {
            g.writeStringField("responseMimeType", "application/json");
            if (format.type() == ResponseFormat.Type.JSON_SCHEMA && format.schema() != null) {
                g.writeFieldName("responseJsonSchema");
                g.writeTree(withoutSchemaKeyword(format.schema()));
            }
        }
        if (r.thinkingBudget() != null) {
            g.writeObjectFieldStart("thinkingConfig");
            g.writeNumberField("thinkingBudget", r.thinkingBudget());
            if (r.thinkingBudget() > 0) {
                g.writeBooleanField("includeThoughts", true);
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
