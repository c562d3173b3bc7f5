package dev.crossbar.codecs.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.crossbar.codecs.json.JsonOutput;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.Usage;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** Writes a canonical reply as a {@code chat.completion} body. */
final class ChatResponseEncoder {

    private ChatResponseEncoder() {}

    static byte[] encode(ChatResponse response, @Nullable String model, long created) {
        return JsonOutput.bytes(g -> {
            g.writeStartObject();
            g.writeStringField("id", response.id());
            g.writeStringField("object", "chat.completion");
            g.writeNumberField("created", created);
            g.writeStringField("model", model);
            g.writeArrayFieldStart("choices");
            g.writeStartObject();
            g.writeNumberField("index", 0);
            g.writeObjectFieldStart("message");
            writeMessage(g, response);
            g.writeEndObject();
            g.writeNullField("logprobs");
            g.writeStringField("finish_reason", ChatFinishReasons.toWire(response.finishReason()));
            g.writeEndObject();
            g.writeEndArray();
            g.writeFieldName("usage");
            writeUsage(g, response.usage());
            g.writeEndObject();
        });
    }

    private static void writeMessage(JsonGenerator g, ChatResponse response) throws IOException {
        g.writeStringField("role", "assistant");
        StringBuilder text = null;
        StringBuilder thinking = null;
        int calls = 0;
        for (ContentPart p : response.content()) {
            if (p instanceof ContentPart.Text t) {
                text = (text == null ? new StringBuilder() : text).append(t.text());
            } else if (p instanceof ContentPart.Thinking th) {
                thinking = (thinking == null ? new StringBuilder() : thinking).append(th.text());
            } else if (p instanceof ContentPart.ToolCall) {
                calls++;
            }
        }
        if (text == null) {
            // OpenAI sends null content for a reply that is only tool calls.
            if (calls > 0) {
                g.writeNullField("content");
            } else {
                g.writeStringField("content", "");
            }
        } else {
            g.writeStringField("content", text.toString());
        }
        g.writeNullField("refusal");
        if (thinking != null) {
            g.writeStringField("reasoning_content", thinking.toString());
        }
        if (calls > 0) {
            g.writeArrayFieldStart("tool_calls");
            int index = 0;
            for (ContentPart p : response.content()) {
                if (p instanceof ContentPart.ToolCall c) {
                    g.writeStartObject();
                    g.writeStringField("id", c.id() == null ? "call_" + index : c.id());
                    index++;
                    g.writeStringField("type", "function");
                    g.writeObjectFieldStart("function");
                    g.writeStringField("name", c.name());
                    g.writeStringField("arguments", c.argumentsJson());
                    g.writeEndObject();
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
        }
    }

    /**
     * {@code {prompt_tokens, completion_tokens, total_tokens, prompt_tokens_details, completion_tokens_details}}:
     * the prompt includes cache reads and writes; {@code cache_write_tokens} (all lifetimes together) is
     * written only when there are any, as OpenAI reports it only for models that bill writes.
     */
    static void writeUsage(JsonGenerator g, Usage usage) throws IOException {
        g.writeStartObject();
        g.writeNumberField("prompt_tokens", usage.inputTokens());
        g.writeNumberField("completion_tokens", usage.outputTokens());
        g.writeNumberField("total_tokens", usage.totalTokens());
        g.writeObjectFieldStart("prompt_tokens_details");
        g.writeNumberField("cached_tokens", usage.cacheReadTokens());
        if (usage.cacheWriteTokens() > 0) {
            g.writeNumberField("cache_write_tokens", usage.cacheWriteTokens());
        }
        g.writeEndObject();
        g.writeObjectFieldStart("completion_tokens_details");
        g.writeNumberField("reasoning_tokens", usage.reasoningTokens());
        g.writeEndObject();
        g.writeEndObject();
    }
}
