package dev.crossbar.codecs.anthropic;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
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
import dev.crossbar.codecs.model.ToolChoice;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Writes a canonical request as an Anthropic Messages body. The conversation is first planned into
 * wire turns (system hoisted, same-role turns merged, tool results first in their user turn, nothing
 * empty), so a request that cannot be expressed fails before a byte is written.
 */
final class AnthropicRequestWriter {

    /** max_tokens when the client set none (Anthropic requires one). */
    static final int DEFAULT_MAX_TOKENS = 4096;

    private static final String TARGET = "Anthropic";

    private AnthropicRequestWriter() {}

    /** One Anthropic message: user (user text, images, tool results) or assistant. */
    private record Turn(boolean user, List<ContentPart> parts) {}

    static byte[] write(ChatRequest r, String model) {
        List<ContentPart.Text> system = new ArrayList<>(1);
        List<Turn> turns = plan(r.messages(), system);
        ResponseFormat format = r.responseFormat();
        boolean jsonTool = format != null && format.type() != ResponseFormat.Type.TEXT;
        int thinkingBudget = r.thinkingBudget() == null ? 0 : r.thinkingBudget();
        boolean thinking = thinkingBudget > 0;
        JsonNode jsonSchema = format != null && jsonTool ? jsonToolSchema(r, format, thinking) : null;
        int maxTokens = r.maxTokens() != null
                ? r.maxTokens()
                : thinking ? thinkingBudget + DEFAULT_MAX_TOKENS : DEFAULT_MAX_TOKENS;

        return JsonOutput.bytes(g -> {
            g.writeStartObject();
            g.writeStringField("model", model);
            g.writeNumberField("max_tokens", maxTokens);
            writeSystem(g, system);
            g.writeArrayFieldStart("messages");
            for (Turn t : turns) {
                writeTurn(g, t);
            }
            g.writeEndArray();
            if (!r.stop().isEmpty()) {
                g.writeArrayFieldStart("stop_sequences");
                for (String s : r.stop()) {
                    g.writeString(s);
                }
                g.writeEndArray();
            }
            if (r.temperature() != null) {
                g.writeNumberField("temperature", r.temperature());
            }
            if (r.topP() != null) {
                g.writeNumberField("top_p", r.topP());
            }
            if (r.topK() != null) {
                g.writeNumberField("top_k", r.topK());
            }
            if (r.stream()) {
                g.writeBooleanField("stream", true);
            }
            if (jsonTool) {
                writeJsonTool(g, jsonSchema);
            } else if (!r.tools().isEmpty()) {
                writeTools(g, r.tools());
                writeToolChoice(g, r.toolChoice(), r.parallelToolCalls());
            }
            if (thinking) {
                g.writeObjectFieldStart("thinking");
                g.writeStringField("type", "enabled");
                g.writeNumberField("budget_tokens", thinkingBudget);
                g.writeEndObject();
            }
            if (r.user() != null) {
                g.writeObjectFieldStart("metadata");
                g.writeStringField("user_id", r.user());
                g.writeEndObject();
            }
            g.writeEndObject();
        });
    }

    // ---- planning -------------------------------------------------------------------------------

    /**
     * System messages, wherever they stand, are appended in order to the top-level system prompt:
     * Anthropic has no mid-conversation system turn in the API version we speak, and a system
     * instruction keeps its authority there rather than being demoted to user text.
     */
    private static List<Turn> plan(List<Message> messages, List<ContentPart.Text> system) {
        List<Turn> turns = new ArrayList<>(messages.size());
        int syntheticIds = 0;
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
                } else if (p instanceof ContentPart.ToolResult tr) {
                    if (tr.toolCallId() == null) {
                        throw CodecException.invalid(
                                "messages[" + i + "]", "a tool result needs the id of the call it answers");
                    }
                    kept.add(p);
                } else if (p instanceof ContentPart.ToolCall c) {
                    if (user) {
                        throw CodecException.invalid(
                                "messages[" + i + "]", "only an assistant message can carry tool calls");
                    }
                    kept.add(
                            c.id() != null
                                    ? c
                                    : new ContentPart.ToolCall(
                                            "toolu_cb_" + syntheticIds++, c.name(), c.argumentsJson()));
                } else if (p instanceof ContentPart.Thinking th) {
                    // Anthropic rejects thinking it did not sign: unsigned reasoning and other families' is dropped.
                    if (!user && th.signedBy(Issuer.ANTHROPIC)) {
                        kept.add(th);
                    }
                } else if (p instanceof ContentPart.RedactedThinking rt && !user && rt.issuer() == Issuer.ANTHROPIC) {
                    kept.add(p);
                }
            }
            if (kept.isEmpty()) {
                continue; // Anthropic rejects empty messages; dropping one may merge its neighbours.
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
                resultsFirst(t.parts());
            }
        }
        return turns;
    }

    /** Anthropic wants a user turn's tool_result blocks before its other content: a stable partition. */
    private static void resultsFirst(List<ContentPart> parts) {
        boolean seenOther = false;
        boolean needed = false;
        for (ContentPart p : parts) {
            if (p instanceof ContentPart.ToolResult) {
                if (seenOther) {
                    needed = true;
                    break;
                }
            } else {
                seenOther = true;
            }
        }
        if (!needed) {
            return;
        }
        List<ContentPart> results = new ArrayList<>();
        List<ContentPart> others = new ArrayList<>();
        for (ContentPart p : parts) {
            (p instanceof ContentPart.ToolResult ? results : others).add(p);
        }
        parts.clear();
        parts.addAll(results);
        parts.addAll(others);
    }

    private static JsonNode jsonToolSchema(ChatRequest r, ResponseFormat format, boolean thinking) {
        if (!r.tools().isEmpty()) {
            throw CodecException.unsupported("response_format", TARGET, "structured output together with tools");
        }
        if (thinking) {
            throw CodecException.unsupported(
                    "response_format", TARGET, "structured output together with extended thinking");
        }
        JsonNode schema = format.schema();
        if (format.type() == ResponseFormat.Type.JSON_OBJECT || schema == null) {
            return Json.NODES.objectNode().put("type", "object");
        }
        if (!"object".equals(schema.path("type").asText())) {
            throw CodecException.unsupported("response_format", TARGET, "a JSON schema whose root is not an object");
        }
        return schema;
    }

    // ---- writing --------------------------------------------------------------------------------

    private static void writeSystem(JsonGenerator g, List<ContentPart.Text> system) throws IOException {
        if (system.isEmpty()) {
            return;
        }
        if (system.size() == 1) {
            g.writeStringField("system", system.get(0).text());
            return;
        }
        g.writeArrayFieldStart("system");
        for (ContentPart.Text t : system) {
            textBlock(g, t.text());
        }
        g.writeEndArray();
    }

    private static void writeTurn(JsonGenerator g, Turn t) throws IOException {
        g.writeStartObject();
        g.writeStringField("role", t.user() ? "user" : "assistant");
        g.writeArrayFieldStart("content");
        for (ContentPart p : t.parts()) {
            writePart(g, p);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writePart(JsonGenerator g, ContentPart p) throws IOException {
        if (p instanceof ContentPart.Text t) {
            textBlock(g, t.text());
        } else if (p instanceof ContentPart.ToolResult r) {
            g.writeStartObject();
            g.writeStringField("type", "tool_result");
            g.writeStringField("tool_use_id", r.toolCallId());
            if (!r.content().isEmpty()) {
                g.writeStringField("content", r.content());
            }
            if (r.isError()) {
                g.writeBooleanField("is_error", true);
            }
            g.writeEndObject();
        } else if (p instanceof ContentPart.ToolCall c) {
            g.writeStartObject();
            g.writeStringField("type", "tool_use");
            g.writeStringField("id", c.id());
            g.writeStringField("name", c.name());
            g.writeFieldName("input");
            g.writeTree(Json.argumentsObject(c.argumentsJson()));
            g.writeEndObject();
        } else if (p instanceof ContentPart.Image img) {
            writeImage(g, img);
        } else if (p instanceof ContentPart.Thinking th) {
            g.writeStartObject();
            g.writeStringField("type", "thinking");
            g.writeStringField("thinking", th.text());
            g.writeStringField("signature", th.signature());
            g.writeEndObject();
        } else if (p instanceof ContentPart.RedactedThinking rt) {
            g.writeStartObject();
            g.writeStringField("type", "redacted_thinking");
            g.writeStringField("data", rt.data());
            g.writeEndObject();
        }
    }

    private static void textBlock(JsonGenerator g, String text) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "text");
        g.writeStringField("text", text);
        g.writeEndObject();
    }

    /** Inline data and {@code data:} URLs go as base64 sources, other URLs as url sources. */
    private static void writeImage(JsonGenerator g, ContentPart.Image img) throws IOException {
        String mediaType = img.mediaType();
        String data = img.data();
        if (data == null) {
            String url = Objects.requireNonNull(img.url(), "an image without data has a url");
            int comma = url.indexOf(',');
            if (url.startsWith("data:") && comma > 0 && url.lastIndexOf(";base64", comma) > 0) {
                mediaType = url.substring(5, url.lastIndexOf(";base64", comma));
                data = url.substring(comma + 1);
            } else {
                g.writeStartObject();
                g.writeStringField("type", "image");
                g.writeObjectFieldStart("source");
                g.writeStringField("type", "url");
                g.writeStringField("url", url);
                g.writeEndObject();
                g.writeEndObject();
                return;
            }
        }
        g.writeStartObject();
        g.writeStringField("type", "image");
        g.writeObjectFieldStart("source");
        g.writeStringField("type", "base64");
        g.writeStringField("media_type", mediaType != null && !mediaType.isEmpty() ? mediaType : sniffMediaType(data));
        g.writeStringField("data", data);
        g.writeEndObject();
        g.writeEndObject();
    }

    /** The image type from the first base64 characters of its magic number; PNG when unknown. */
    static String sniffMediaType(String base64) {
        if (base64.startsWith("/9j/")) {
            return "image/jpeg";
        }
        if (base64.startsWith("R0lG")) {
            return "image/gif";
        }
        if (base64.startsWith("UklG")) {
            return "image/webp";
        }
        return "image/png";
    }

    private static void writeTools(JsonGenerator g, List<Tool> tools) throws IOException {
        g.writeArrayFieldStart("tools");
        for (Tool t : tools) {
            g.writeStartObject();
            g.writeStringField("name", t.name());
            if (t.description() != null) {
                g.writeStringField("description", t.description());
            }
            g.writeFieldName("input_schema");
            if (t.parameters() != null && t.parameters().isObject()) {
                g.writeTree(t.parameters());
            } else {
                g.writeStartObject();
                g.writeStringField("type", "object");
                g.writeObjectFieldStart("properties");
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeToolChoice(JsonGenerator g, @Nullable ToolChoice choice, @Nullable Boolean parallel)
            throws IOException {
        boolean disableParallel = parallel != null && !parallel;
        if (choice == null && !disableParallel) {
            return;
        }
        ToolChoice.Mode mode = choice == null ? ToolChoice.Mode.AUTO : choice.mode();
        g.writeObjectFieldStart("tool_choice");
        switch (mode) {
            case AUTO -> g.writeStringField("type", "auto");
            case NONE -> g.writeStringField("type", "none");
            case REQUIRED -> g.writeStringField("type", "any");
            case SPECIFIC -> {
                g.writeStringField("type", "tool");
                g.writeStringField("name", Objects.requireNonNull(choice).name());
            }
        }
        if (disableParallel && mode != ToolChoice.Mode.NONE) {
            g.writeBooleanField("disable_parallel_tool_use", true);
        }
        g.writeEndObject();
    }

    /** Structured output emulated with one forced tool whose input is the answer. */
    private static void writeJsonTool(JsonGenerator g, @Nullable JsonNode schema) throws IOException {
        g.writeArrayFieldStart("tools");
        g.writeStartObject();
        g.writeStringField("name", AnthropicWire.JSON_TOOL);
        g.writeStringField("description", "Give your complete answer as this tool's input; it must match the schema.");
        g.writeFieldName("input_schema");
        g.writeTree(schema);
        g.writeEndObject();
        g.writeEndArray();
        g.writeObjectFieldStart("tool_choice");
        g.writeStringField("type", "tool");
        g.writeStringField("name", AnthropicWire.JSON_TOOL);
        g.writeEndObject();
    }
}
