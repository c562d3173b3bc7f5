package dev.crossbar.codecs.responses;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.crossbar.codecs.json.JsonOutput;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.Issuer;
import dev.crossbar.codecs.model.Message;
import dev.crossbar.codecs.model.ResponseFormat;
import dev.crossbar.codecs.model.Tool;
import dev.crossbar.codecs.model.ToolChoice;
import dev.crossbar.codecs.openai.ReasoningEffort;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Writes a canonical request as a Responses API body for an upstream ({@code POST {base}/responses}).
 * Stateless on purpose: {@code store: false}, the whole conversation in {@code input}, every message in
 * its place (system messages too, as {@code system} items), and OpenAI's own reasoning replayed from its
 * encrypted content. Namespaced functions go by their flat names, which every server understands. The
 * Responses API has no stop sequences and no top-k: a request with stop sequences is refused, top-k dropped.
 */
final class ResponsesRequestEncoder {

    private static final String TARGET = "OpenAI Responses";

    private ResponsesRequestEncoder() {}

    static byte[] encode(ChatRequest r, @Nullable String model) {
        if (!r.stop().isEmpty()) {
            throw CodecException.unsupported("stop", TARGET, "stop sequences");
        }
        List<Item> input = plan(r.messages());
        boolean reasoning = r.thinkingBudget() != null && r.thinkingBudget() > 0;
        return JsonOutput.bytes(g -> {
            g.writeStartObject();
            g.writeStringField("model", model);
            g.writeArrayFieldStart("input");
            for (Item item : input) {
                item.write(g);
            }
            g.writeEndArray();
            if (!r.tools().isEmpty()) {
                writeTools(g, r.tools());
                writeToolChoice(g, r.toolChoice());
                if (r.parallelToolCalls() != null) {
                    g.writeBooleanField("parallel_tool_calls", r.parallelToolCalls());
                }
            }
            if (r.maxTokens() != null) {
                g.writeNumberField("max_output_tokens", r.maxTokens());
            }
            if (r.temperature() != null) {
                g.writeNumberField("temperature", r.temperature());
            }
            if (r.topP() != null) {
                g.writeNumberField("top_p", r.topP());
            }
            writeFormat(g, r.responseFormat());
            if (reasoning) {
                g.writeObjectFieldStart("reasoning");
                g.writeStringField("effort", ReasoningEffort.effort(r.thinkingBudget()));
                g.writeStringField("summary", "auto");
                g.writeEndObject();
                // Kept stateless, reasoning is replayed next turn from its encrypted content.
                g.writeArrayFieldStart("include");
                g.writeString("reasoning.encrypted_content");
                g.writeEndArray();
            }
            if (r.user() != null) {
                g.writeStringField("user", r.user());
            }
            g.writeBooleanField("store", false);
            if (r.stream()) {
                g.writeBooleanField("stream", true);
            }
            g.writeEndObject();
        });
    }

    /** One input item, written once the whole conversation has been checked. */
    private interface Item {
        void write(JsonGenerator g) throws IOException;
    }

    private static List<Item> plan(List<Message> messages) {
        List<Item> items = new ArrayList<>(messages.size() + 4);
        int syntheticIds = 0;
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            String param = "messages[" + i + "]";
            switch (m.role()) {
                case SYSTEM -> {
                    List<ContentPart.Text> texts = new ArrayList<>(1);
                    m.addSystemTexts(texts, param, TARGET);
                    if (!texts.isEmpty()) {
                        items.add(g -> message(g, "system", new ArrayList<>(texts)));
                    }
                }
                case USER, TOOL -> {
                    List<ContentPart> content = new ArrayList<>();
                    for (ContentPart p : m.parts()) {
                        if (p instanceof ContentPart.ToolResult tr) {
                            if (tr.toolCallId() == null) {
                                throw CodecException.invalid(
                                        param, "a tool result needs the id of the call it answers");
                            }
                            items.add(g -> functionCallOutput(g, tr));
                        } else if (p instanceof ContentPart.ToolCall) {
                            throw CodecException.invalid(param, "only an assistant message can carry tool calls");
                        } else if ((p instanceof ContentPart.Text t && !t.text().isEmpty())
                                || p instanceof ContentPart.Image) {
                            content.add(p);
                        }
                    }
                    if (!content.isEmpty()) {
                        items.add(g -> message(g, "user", content));
                    }
                }
                case ASSISTANT -> {
                    StringBuilder text = new StringBuilder();
                    for (ContentPart p : m.parts()) {
                        if (p instanceof ContentPart.Text t) {
                            text.append(t.text());
                            continue;
                        }
                        if (p instanceof ContentPart.Image) {
                            throw CodecException.unsupported(param, TARGET, "an image in an assistant message");
                        }
                        if (p instanceof ContentPart.ToolResult) {
                            throw CodecException.invalid(param, "a tool result cannot be part of an assistant message");
                        }
                        if (p instanceof ContentPart.RedactedThinking
                                || (p instanceof ContentPart.Thinking th && !th.signedBy(Issuer.OPENAI))) {
                            continue; // OpenAI reads only its own encrypted reasoning back
                        }
                        flushAssistantText(items, text);
                        if (p instanceof ContentPart.Thinking th) {
                            items.add(g -> reasoning(g, th));
                        } else if (p instanceof ContentPart.ToolCall c) {
                            String id = c.id() != null ? c.id() : "call_cb_" + syntheticIds++;
                            items.add(g -> functionCall(g, id, c));
                        }
                    }
                    flushAssistantText(items, text);
                }
            }
        }
        return items;
    }

    private static void flushAssistantText(List<Item> items, StringBuilder text) {
        if (text.length() == 0) {
            return;
        }
        String content = text.toString();
        text.setLength(0);
        items.add(g -> {
            g.writeStartObject();
            g.writeStringField("type", "message");
            g.writeStringField("role", "assistant");
            g.writeStringField("content", content);
            g.writeEndObject();
        });
    }

    /** A system or user message: a string for plain text, input parts when there are several or images. */
    private static void message(JsonGenerator g, String role, List<? extends ContentPart> content) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "message");
        g.writeStringField("role", role);
        if (content.size() == 1 && content.get(0) instanceof ContentPart.Text t) {
            g.writeStringField("content", t.text());
        } else {
            g.writeArrayFieldStart("content");
            for (ContentPart p : content) {
                g.writeStartObject();
                if (p instanceof ContentPart.Text t) {
                    g.writeStringField("type", "input_text");
                    g.writeStringField("text", t.text());
                } else if (p instanceof ContentPart.Image img) {
                    g.writeStringField("type", "input_image");
                    g.writeStringField("image_url", imageUrl(img));
                    g.writeStringField("detail", "auto");
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static String imageUrl(ContentPart.Image img) {
        if (img.url() != null) {
            return img.url();
        }
        String mediaType = img.mediaType() == null || img.mediaType().isEmpty() ? "image/png" : img.mediaType();
        return "data:" + mediaType + ";base64," + img.data();
    }

    private static void functionCall(JsonGenerator g, String id, ContentPart.ToolCall c) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "function_call");
        g.writeStringField("call_id", id);
        g.writeStringField("name", c.name());
        g.writeStringField("arguments", c.argumentsJson());
        g.writeEndObject();
    }

    /** The result's text; the Responses API has no error flag, so an error result reads as its text. */
    private static void functionCallOutput(JsonGenerator g, ContentPart.ToolResult r) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "function_call_output");
        g.writeStringField("call_id", r.toolCallId());
        g.writeStringField("output", r.content());
        g.writeEndObject();
    }

    private static void reasoning(JsonGenerator g, ContentPart.Thinking th) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "reasoning");
        String signature = Objects.requireNonNull(th.signature(), "a reasoning item replays a signature");
        String id = ReasoningSignature.id(signature);
        if (id != null) {
            g.writeStringField("id", id);
        }
        g.writeArrayFieldStart("summary");
        if (!th.text().isEmpty()) {
            ResponseObjectWriter.writeSummaryPart(g, th.text());
        }
        g.writeEndArray();
        g.writeStringField("encrypted_content", ReasoningSignature.encryptedContent(signature));
        g.writeEndObject();
    }

    /** Function tools, flat; a schema-less function gets an empty object schema; strict is off, as elsewhere. */
    private static void writeTools(JsonGenerator g, List<Tool> tools) throws IOException {
        g.writeArrayFieldStart("tools");
        for (Tool t : tools) {
            g.writeStartObject();
            g.writeStringField("type", "function");
            g.writeStringField("name", t.name());
            if (t.description() != null) {
                g.writeStringField("description", t.description());
            }
            g.writeFieldName("parameters");
            if (t.parameters() != null && t.parameters().isObject()) {
                g.writeTree(t.parameters());
            } else {
                g.writeStartObject();
                g.writeStringField("type", "object");
                g.writeObjectFieldStart("properties");
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeBooleanField("strict", false);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeToolChoice(JsonGenerator g, @Nullable ToolChoice c) throws IOException {
        if (c == null) {
            return;
        }
        switch (c.mode()) {
            case AUTO -> g.writeStringField("tool_choice", "auto");
            case NONE -> g.writeStringField("tool_choice", "none");
            case REQUIRED -> g.writeStringField("tool_choice", "required");
            case SPECIFIC -> {
                g.writeObjectFieldStart("tool_choice");
                g.writeStringField("type", "function");
                g.writeStringField("name", c.name());
                g.writeEndObject();
            }
        }
    }

    private static void writeFormat(JsonGenerator g, @Nullable ResponseFormat f) throws IOException {
        if (f == null) {
            return;
        }
        g.writeObjectFieldStart("text");
        g.writeObjectFieldStart("format");
        switch (f.type()) {
            case TEXT -> g.writeStringField("type", "text");
            case JSON_OBJECT -> g.writeStringField("type", "json_object");
            case JSON_SCHEMA -> {
                g.writeStringField("type", "json_schema");
                g.writeStringField("name", f.name() == null ? "response" : f.name());
                if (f.schema() != null) {
                    g.writeFieldName("schema");
                    g.writeTree(f.schema());
                }
                g.writeBooleanField("strict", f.strict());
            }
        }
        g.writeEndObject();
        g.writeEndObject();
    }
}
