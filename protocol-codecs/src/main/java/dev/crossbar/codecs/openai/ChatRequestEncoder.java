package dev.crossbar.codecs.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.crossbar.codecs.json.JsonOutput;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.Message;
import dev.crossbar.codecs.model.ResponseFormat;
import dev.crossbar.codecs.model.Tool;
import dev.crossbar.codecs.model.ToolChoice;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes the canonical request as a Chat Completions body for one dialect. Thinking parts are not sent
 * (Chat Completions has no field for them and DeepSeek rejects {@code reasoning_content} in input);
 * tool results become one {@code tool} message each.
 */
final class ChatRequestEncoder {

    private static final String DIALECT_NAME = "OpenAI-compatible";

    private final OpenAiDialect dialect;
    private final @Nullable MistralToolIds mistralIds;
    /** Ids given to calls the canonical request left without one, queued per tool name for their results. */
    private final Map<String, ArrayDeque<String>> synthesisedIds = new HashMap<>();

    private int synthesised;

    private ChatRequestEncoder(OpenAiDialect dialect) {
        this.dialect = dialect;
        this.mistralIds = dialect.needsNineCharToolIds() ? new MistralToolIds() : null;
    }

    static byte[] encode(ChatRequest request, String model, OpenAiDialect dialect) {
        ChatRequestEncoder encoder = new ChatRequestEncoder(dialect);
        return JsonOutput.bytes(g -> encoder.write(g, request, model));
    }

    private void write(JsonGenerator g, ChatRequest r, String model) throws IOException {
        g.writeStartObject();
        g.writeStringField("model", model);
        g.writeArrayFieldStart("messages");
        for (int i = 0; i < r.messages().size(); i++) {
            message(g, r.messages().get(i), i);
        }
        g.writeEndArray();
        if (r.maxTokens() != null) {
            g.writeNumberField(
                    dialect.usesMaxCompletionTokens() ? "max_completion_tokens" : "max_tokens", r.maxTokens());
        }
        if (r.temperature() != null) {
            g.writeNumberField("temperature", r.temperature());
        }
        if (r.topP() != null) {
            g.writeNumberField("top_p", r.topP());
        }
        if (r.topK() != null && dialect.acceptsTopK()) {
            g.writeNumberField("top_k", r.topK());
        }
        if (!r.stop().isEmpty()) {
            g.writeArrayFieldStart("stop");
            for (String s : r.stop()) {
                g.writeString(s);
            }
            g.writeEndArray();
        }
        if (r.stream()) {
            g.writeBooleanField("stream", true);
            if (dialect.asksForStreamUsage()) {
                g.writeObjectFieldStart("stream_options");
                g.writeBooleanField("include_usage", true);
                g.writeEndObject();
            }
        }
        if (!r.tools().isEmpty()) {
            tools(g, r.tools());
            if (r.toolChoice() != null) {
                toolChoice(g, r.toolChoice());
            }
            if (r.parallelToolCalls() != null) {
                g.writeBooleanField("parallel_tool_calls", r.parallelToolCalls());
            }
        }
        if (r.responseFormat() != null) {
            responseFormat(g, r.responseFormat());
        }
        if (r.user() != null && dialect.acceptsUser()) {
            g.writeStringField("user", r.user());
        }
        if (dialect.acceptsReasoningEffort()) {
            String effort = ReasoningEffort.effort(r.thinkingBudget());
            if (effort != null) {
                g.writeStringField("reasoning_effort", effort);
            }
        }
        g.writeEndObject();
    }

    private void message(JsonGenerator g, Message m, int index) throws IOException {
        List<ContentPart> rest = m.parts();
        boolean hasResults = false;
        for (ContentPart p : m.parts()) {
            if (p instanceof ContentPart.ToolResult) {
                hasResults = true;
                break;
            }
        }
        if (hasResults) {
            rest = new ArrayList<>();
            for (ContentPart p : m.parts()) {
                if (p instanceof ContentPart.ToolResult r) {
                    toolResult(g, r);
                } else {
                    rest.add(p);
                }
            }
            if (rest.isEmpty() || onlyThinking(rest)) {
                return;
            }
        }
        switch (m.role()) {
            case SYSTEM -> contentMessage(g, "system", rest, index);
            case ASSISTANT -> assistant(g, rest, index);
            // Whatever a tool message holds besides results is context the model should still read.
            case USER, TOOL -> contentMessage(g, "user", rest, index);
        }
    }

    private static boolean onlyThinking(List<ContentPart> parts) {
        for (ContentPart p : parts) {
            if (!(p instanceof ContentPart.Thinking || p instanceof ContentPart.RedactedThinking)) {
                return false;
            }
        }
        return true;
    }

    private void contentMessage(JsonGenerator g, String role, List<ContentPart> parts, int index) throws IOException {
        g.writeStartObject();
        g.writeStringField("role", role);
        g.writeFieldName("content");
        content(g, parts, index);
        g.writeEndObject();
    }

    /** A plain string for one text, else an array of parts (or one joined string where arrays are not safe). */
    private void content(JsonGenerator g, List<ContentPart> parts, int index) throws IOException {
        int texts = 0;
        boolean images = false;
        for (ContentPart p : parts) {
            if (p instanceof ContentPart.Text) {
                texts++;
            } else if (p instanceof ContentPart.Image) {
                images = true;
            }
        }
        if (images && !dialect.acceptsImages()) {
            throw CodecException.unsupported(
                    "messages[" + index + "].content",
                    DIALECT_NAME + " (" + dialect.name().toLowerCase(Locale.ROOT) + ")",
                    "an image");
        }
        if (!images && texts <= 1) {
            String text = "";
            for (ContentPart p : parts) {
                if (p instanceof ContentPart.Text t) {
                    text = t.text();
                }
            }
            g.writeString(text);
            return;
        }
        if (!images && !dialect.acceptsContentArrays()) {
            StringBuilder sb = new StringBuilder();
            for (ContentPart p : parts) {
                if (p instanceof ContentPart.Text t) {
                    if (sb.length() > 0) {
                        sb.append('\n');
                    }
                    sb.append(t.text());
                }
            }
            g.writeString(sb.toString());
            return;
        }
        g.writeStartArray();
        for (ContentPart p : parts) {
            if (p instanceof ContentPart.Text t) {
                g.writeStartObject();
                g.writeStringField("type", "text");
                g.writeStringField("text", t.text());
                g.writeEndObject();
            } else if (p instanceof ContentPart.Image img) {
                g.writeStartObject();
                g.writeStringField("type", "image_url");
                g.writeObjectFieldStart("image_url");
                g.writeStringField("url", ImageUrls.toUrl(img));
                g.writeEndObject();
                g.writeEndObject();
            }
        }
        g.writeEndArray();
    }

    private void assistant(JsonGenerator g, List<ContentPart> parts, int index) throws IOException {
        List<ContentPart> content = new ArrayList<>(parts.size());
        List<ContentPart.ToolCall> calls = new ArrayList<>(2);
        for (ContentPart p : parts) {
            if (p instanceof ContentPart.ToolCall c) {
                calls.add(c);
            } else if (p instanceof ContentPart.Text || p instanceof ContentPart.Image) {
                content.add(p);
            }
        }
        g.writeStartObject();
        g.writeStringField("role", "assistant");
        if (content.isEmpty() && !calls.isEmpty()) {
            g.writeNullField("content");
        } else {
            g.writeFieldName("content");
            content(g, content, index);
        }
        if (!calls.isEmpty()) {
            g.writeArrayFieldStart("tool_calls");
            for (ContentPart.ToolCall c : calls) {
                g.writeStartObject();
                g.writeStringField("id", callId(c));
                g.writeStringField("type", "function");
                g.writeObjectFieldStart("function");
                g.writeStringField("name", c.name());
                g.writeStringField("arguments", c.argumentsJson());
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private void toolResult(JsonGenerator g, ContentPart.ToolResult r) throws IOException {
        g.writeStartObject();
        g.writeStringField("role", "tool");
        g.writeStringField("tool_call_id", resultId(r));
        g.writeStringField("content", r.content());
        g.writeEndObject();
    }

    private String callId(ContentPart.ToolCall c) {
        String id = c.id();
        if (id == null || id.isEmpty()) {
            id = "call_" + synthesised++;
            synthesisedIds.computeIfAbsent(c.name(), k -> new ArrayDeque<>()).add(id);
        }
        return mistralIds == null ? id : mistralIds.rewrite(id);
    }

    private String resultId(ContentPart.ToolResult r) {
        String id = r.toolCallId();
        if (id == null || id.isEmpty()) {
            // A protocol without call ids (Gemini): answer the oldest unanswered call of that name.
            ArrayDeque<String> pending = r.name() == null ? null : synthesisedIds.get(r.name());
            id = pending == null || pending.isEmpty() ? "call_" + synthesised++ : pending.poll();
        }
        return mistralIds == null ? id : mistralIds.rewrite(id);
    }

    private void tools(JsonGenerator g, List<Tool> tools) throws IOException {
        g.writeArrayFieldStart("tools");
        for (Tool t : tools) {
            g.writeStartObject();
            g.writeStringField("type", "function");
            g.writeObjectFieldStart("function");
            g.writeStringField("name", t.name());
            if (t.description() != null) {
                g.writeStringField("description", t.description());
            }
            if (t.parameters() != null) {
                g.writeFieldName("parameters");
                g.writeTree(t.parameters());
            } else if (dialect.needsParameters()) {
                g.writeObjectFieldStart("parameters");
                g.writeStringField("type", "object");
                g.writeObjectFieldStart("properties");
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private void toolChoice(JsonGenerator g, ToolChoice choice) throws IOException {
        switch (choice.mode()) {
            case AUTO -> g.writeStringField("tool_choice", "auto");
            case NONE -> g.writeStringField("tool_choice", "none");
            case REQUIRED -> g.writeStringField("tool_choice", dialect.requiredToolChoice());
            case SPECIFIC -> {
                g.writeObjectFieldStart("tool_choice");
                g.writeStringField("type", "function");
                g.writeObjectFieldStart("function");
                g.writeStringField("name", choice.name());
                g.writeEndObject();
                g.writeEndObject();
            }
        }
    }

    private void responseFormat(JsonGenerator g, ResponseFormat f) throws IOException {
        switch (f.type()) {
            case TEXT -> {
                g.writeObjectFieldStart("response_format");
                g.writeStringField("type", "text");
                g.writeEndObject();
            }
            case JSON_OBJECT -> {
                g.writeObjectFieldStart("response_format");
                g.writeStringField("type", "json_object");
                g.writeEndObject();
            }
            case JSON_SCHEMA -> {
                if (!dialect.acceptsJsonSchema()) {
                    throw CodecException.unsupported(
                            "response_format",
                            DIALECT_NAME + " (" + dialect.name().toLowerCase(Locale.ROOT) + ")",
                            "a JSON schema response format");
                }
                g.writeObjectFieldStart("response_format");
                g.writeStringField("type", "json_schema");
                g.writeObjectFieldStart("json_schema");
                g.writeStringField("name", f.name() == null || f.name().isEmpty() ? "response" : f.name());
                if (f.schema() != null) {
                    g.writeFieldName("schema");
                    g.writeTree(f.schema());
                }
                g.writeBooleanField("strict", f.strict());
                g.writeEndObject();
                g.writeEndObject();
            }
        }
    }
}
