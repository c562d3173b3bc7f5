package dev.crossbar.codecs.responses;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.crossbar.codecs.json.JsonOutput;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.model.FinishReason;
import dev.crossbar.codecs.model.ResponseFormat;
import dev.crossbar.codecs.model.ToolChoice;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.codecs.openai.ReasoningEffort;
import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Writes the Response object and its output items. The official SDKs parse the echoed request fields
 * ({@code tools}, {@code tool_choice}, {@code parallel_tool_calls} are required), so every one is written,
 * with OpenAI's defaults where the request did not set it.
 */
final class ResponseObjectWriter {

    static final String COMPLETED = "completed";
    static final String INCOMPLETE = "incomplete";
    static final String IN_PROGRESS = "in_progress";
    static final String FAILED = "failed";

    private ResponseObjectWriter() {}

    /** The Response's status for a finish reason: the token cap and the content filter leave it incomplete. */
    static String status(@Nullable FinishReason reason) {
        return reason == FinishReason.LENGTH || reason == FinishReason.CONTENT_FILTER ? INCOMPLETE : COMPLETED;
    }

    /**
     * @param output null for the lifecycle events that carry no output yet
     * @param usage  null until the response is over
     * @param error  set only for a failed response
     */
    static void write(
            JsonGenerator g,
            @Nullable String id,
            long createdAt,
            @Nullable String model,
            ChatRequest request,
            String status,
            @Nullable List<OutputItem> output,
            @Nullable FinishReason reason,
            @Nullable Usage usage,
            @Nullable ApiError error)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("id", id);
        g.writeStringField("object", "response");
        g.writeNumberField("created_at", createdAt);
        g.writeStringField("status", status);
        g.writeBooleanField("background", false);
        if (error != null) {
            g.writeObjectFieldStart("error");
            g.writeStringField("code", errorCode(error.kind()));
            g.writeStringField("message", error.message());
            g.writeEndObject();
        } else {
            g.writeNullField("error");
        }
        if (INCOMPLETE.equals(status)) {
            g.writeObjectFieldStart("incomplete_details");
            g.writeStringField(
                    "reason", reason == FinishReason.CONTENT_FILTER ? "content_filter" : "max_output_tokens");
            g.writeEndObject();
        } else {
            g.writeNullField("incomplete_details");
        }
        g.writeNullField("instructions");
        JsonOutput.numberField(g, "max_output_tokens", request.maxTokens());
        g.writeNullField("max_tool_calls");
        g.writeStringField("model", model);
        g.writeArrayFieldStart("output");
        if (output != null) {
            for (OutputItem item : output) {
                writeItem(g, item, true);
            }
        }
        g.writeEndArray();
        g.writeBooleanField("parallel_tool_calls", request.parallelToolCalls() == null || request.parallelToolCalls());
        g.writeNullField("previous_response_id");
        g.writeObjectFieldStart("reasoning");
        JsonOutput.stringField(g, "effort", ReasoningEffort.effort(request.thinkingBudget()));
        g.writeNullField("summary");
        g.writeEndObject();
        g.writeStringField("service_tier", "default");
        g.writeBooleanField("store", false);
        g.writeNumberField("temperature", request.temperature() == null ? 1.0 : request.temperature());
        g.writeObjectFieldStart("text");
        g.writeFieldName("format");
        writeFormat(g, request.responseFormat());
        g.writeEndObject();
        g.writeFieldName("tool_choice");
        writeToolChoice(g, request.toolChoice());
        ResponsesTools.writeEcho(g, request.tools());
        g.writeNumberField("top_logprobs", 0);
        g.writeNumberField("top_p", request.topP() == null ? 1.0 : request.topP());
        g.writeStringField("truncation", "disabled");
        if (usage == null) {
            g.writeNullField("usage");
        } else {
            g.writeFieldName("usage");
            writeUsage(g, usage);
        }
        JsonOutput.stringField(g, "user", request.user());
        g.writeObjectFieldStart("metadata");
        g.writeEndObject();
        g.writeEndObject();
    }

    /**
     * One output item; {@code whole} false writes it as announced by {@code response.output_item.added}
     * (no text yet, arguments empty).
     */
    static void writeItem(JsonGenerator g, OutputItem item, boolean whole) throws IOException {
        String status = item.done && !item.incomplete ? COMPLETED : whole ? INCOMPLETE : IN_PROGRESS;
        g.writeStartObject();
        switch (item.kind) {
            case REASONING -> {
                g.writeStringField("type", "reasoning");
                g.writeStringField("id", item.id);
                g.writeArrayFieldStart("summary");
                if (whole && item.text.length() > 0) {
                    writeSummaryPart(g, item.text.toString());
                }
                g.writeEndArray();
                if (whole && item.encryptedContent != null) {
                    g.writeStringField("encrypted_content", item.encryptedContent);
                }
            }
            case MESSAGE -> {
                g.writeStringField("type", "message");
                g.writeStringField("id", item.id);
                g.writeStringField("status", status);
                g.writeStringField("role", "assistant");
                g.writeArrayFieldStart("content");
                if (whole) {
                    writeTextPart(g, item.text.toString());
                }
                g.writeEndArray();
            }
            case FUNCTION_CALL -> {
                g.writeStringField("type", "function_call");
                g.writeStringField("id", item.id);
                g.writeStringField("call_id", item.callId);
                g.writeStringField("name", item.name);
                if (item.namespace != null) {
                    g.writeStringField("namespace", item.namespace);
                }
                g.writeStringField("arguments", whole ? item.arguments() : "");
                g.writeStringField("status", status);
            }
        }
        g.writeEndObject();
    }

    static void writeTextPart(JsonGenerator g, String text) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "output_text");
        g.writeStringField("text", text);
        g.writeArrayFieldStart("annotations");
        g.writeEndArray();
        g.writeArrayFieldStart("logprobs");
        g.writeEndArray();
        g.writeEndObject();
    }

    static void writeSummaryPart(JsonGenerator g, String text) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "summary_text");
        g.writeStringField("text", text);
        g.writeEndObject();
    }

    /** Input includes cache reads and writes ({@code cache_write_tokens} only when there are any), output reasoning. */
    static void writeUsage(JsonGenerator g, Usage usage) throws IOException {
        g.writeStartObject();
        g.writeNumberField("input_tokens", usage.inputTokens());
        g.writeObjectFieldStart("input_tokens_details");
        g.writeNumberField("cached_tokens", usage.cacheReadTokens());
        if (usage.cacheWriteTokens() > 0) {
            g.writeNumberField("cache_write_tokens", usage.cacheWriteTokens());
        }
        g.writeEndObject();
        g.writeNumberField("output_tokens", usage.outputTokens());
        g.writeObjectFieldStart("output_tokens_details");
        g.writeNumberField("reasoning_tokens", usage.reasoningTokens());
        g.writeEndObject();
        g.writeNumberField("total_tokens", usage.totalTokens());
        g.writeEndObject();
    }

    /** The {@code code} of a failed Response (the SDKs know a fixed set; these three fit every kind). */
    static String errorCode(ErrorKind kind) {
        return switch (kind) {
            case RATE_LIMIT -> "rate_limit_exceeded";
            case INVALID_REQUEST, REQUEST_TOO_LARGE -> "invalid_prompt";
            default -> "server_error";
        };
    }

    private static void writeFormat(JsonGenerator g, @Nullable ResponseFormat f) throws IOException {
        g.writeStartObject();
        if (f == null || f.type() == ResponseFormat.Type.TEXT) {
            g.writeStringField("type", "text");
        } else if (f.type() == ResponseFormat.Type.JSON_OBJECT) {
            g.writeStringField("type", "json_object");
        } else {
            g.writeStringField("type", "json_schema");
            g.writeStringField("name", f.name() == null ? "response" : f.name());
            if (f.schema() != null) {
                g.writeFieldName("schema");
                g.writeTree(f.schema());
            }
            g.writeBooleanField("strict", f.strict());
        }
        g.writeEndObject();
    }

    private static void writeToolChoice(JsonGenerator g, @Nullable ToolChoice c) throws IOException {
        if (c == null || c.mode() == ToolChoice.Mode.AUTO) {
            g.writeString("auto");
        } else if (c.mode() == ToolChoice.Mode.NONE) {
            g.writeString("none");
        } else if (c.mode() == ToolChoice.Mode.REQUIRED) {
            g.writeString("required");
        } else {
            g.writeStartObject();
            g.writeStringField("type", "function");
            g.writeStringField("name", c.name());
            g.writeEndObject();
        }
    }
}
