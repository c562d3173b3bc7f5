package dev.crossbar.codecs.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.crossbar.codecs.json.JsonOutput;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.model.FinishReason;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.codecs.spi.ClientStreamEncoder;
import dev.crossbar.codecs.sse.SseWriter;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Canonical events to {@code chat.completion.chunk} SSE. The usage chunk ({@code choices: []}) is sent only
 * when the client asked for it: naive clients index {@code choices[0]} on every chunk.
 */
final class ChatChunkEncoder implements ClientStreamEncoder {

    private static final String DONE = "data: [DONE]\n\n";

    private final ChatRequest request;
    private final long created;
    private final String fallbackId;
    private @Nullable String id;
    private @Nullable String model;
    private boolean started;
    private boolean finished;
    private boolean closed;
    private boolean sawToolCalls;
    private @Nullable Usage usage;

    ChatChunkEncoder(ChatRequest request, long created, String fallbackId) {
        this.request = request;
        this.created = created;
        this.fallbackId = fallbackId;
    }

    @Override
    public String encode(StreamEvent event) {
        if (closed) {
            return "";
        }
        if (event instanceof StreamEvent.Start s) {
            if (started) {
                return "";
            }
            id = s.id() == null || s.id().isEmpty() ? fallbackId : s.id();
            model = s.model() == null ? request.model() : s.model();
            if (s.usage() != null) {
                usage = s.usage();
            }
            return start(new StringBuilder(256)).toString();
        }
        if (event instanceof StreamEvent.TextDelta t) {
            if (t.text().isEmpty()) {
                return "";
            }
            return chunk(
                            start(new StringBuilder(256)),
                            g -> {
                                g.writeObjectFieldStart("delta");
                                g.writeStringField("content", t.text());
                                g.writeEndObject();
                            },
                            null)
                    .toString();
        }
        if (event instanceof StreamEvent.ThinkingDelta t) {
            if (t.text().isEmpty()) {
                return "";
            }
            return chunk(
                            start(new StringBuilder(256)),
                            g -> {
                                g.writeObjectFieldStart("delta");
                                g.writeStringField("reasoning_content", t.text());
                                g.writeEndObject();
                            },
                            null)
                    .toString();
        }
        if (event instanceof StreamEvent.ToolCallStart c) {
            sawToolCalls = true;
            String callId = c.id() == null ? "call_" + c.toolIndex() : c.id();
            return chunk(
                            start(new StringBuilder(160)),
                            g -> {
                                g.writeObjectFieldStart("delta");
                                g.writeArrayFieldStart("tool_calls");
                                g.writeStartObject();
                                g.writeNumberField("index", c.toolIndex());
                                g.writeStringField("id", callId);
                                g.writeStringField("type", "function");
                                g.writeObjectFieldStart("function");
                                g.writeStringField("name", c.name());
                                g.writeStringField("arguments", "");
                                g.writeEndObject();
                                g.writeEndObject();
                                g.writeEndArray();
                                g.writeEndObject();
                            },
                            null)
                    .toString();
        }
        if (event instanceof StreamEvent.ToolCallDelta d) {
            if (d.argumentsFragment() == null || d.argumentsFragment().isEmpty()) {
                return "";
            }
            return chunk(
                            start(new StringBuilder(256)),
                            g -> {
                                g.writeObjectFieldStart("delta");
                                g.writeArrayFieldStart("tool_calls");
                                g.writeStartObject();
                                g.writeNumberField("index", d.toolIndex());
                                g.writeObjectFieldStart("function");
                                g.writeStringField("arguments", d.argumentsFragment());
                                g.writeEndObject();
                                g.writeEndObject();
                                g.writeEndArray();
                                g.writeEndObject();
                            },
                            null)
                    .toString();
        }
        if (event instanceof StreamEvent.Finish f) {
            return finish(start(new StringBuilder(256)), f.reason()).toString();
        }
        if (event instanceof StreamEvent.UsageUpdate u) {
            usage = u.usage();
            return "";
        }
        if (event instanceof StreamEvent.End) {
            StringBuilder out =
                    finish(start(new StringBuilder(256)), sawToolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP);
            if (request.includeUsage()) {
                Usage last = usage == null ? Usage.ZERO : usage;
                SseWriter.appendJson(out, null, g -> {
                    g.writeStartObject();
                    header(g);
                    g.writeArrayFieldStart("choices");
                    g.writeEndArray();
                    g.writeFieldName("usage");
                    ChatResponseEncoder.writeUsage(g, last);
                    g.writeEndObject();
                });
            }
            closed = true;
            return out.append(DONE).toString();
        }
        if (event instanceof StreamEvent.Error e) {
            closed = true;
            return error(e.error());
        }
        return ""; // ThinkingSignature: Chat Completions has nowhere to put it.
    }

    static String error(ApiError error) {
        ApiError shown = error == null ? ApiError.of(ErrorKind.SERVER_ERROR, "stream failed") : error;
        String data = JsonOutput.string(g -> {
            g.writeStartObject();
            g.writeFieldName("error");
            OpenAiErrors.writeErrorObject(g, shown);
            g.writeEndObject();
        });
        return SseWriter.append(new StringBuilder(data.length() + 32), null, data)
                .append(DONE)
                .toString();
    }

    /** The role chunk, once, before anything else (also when the upstream never sent Start). */
    private StringBuilder start(StringBuilder out) {
        if (started) {
            return out;
        }
        started = true;
        if (id == null) {
            id = fallbackId;
            model = request.model();
        }
        return chunk(
                out,
                g -> {
                    g.writeObjectFieldStart("delta");
                    g.writeStringField("role", "assistant");
                    g.writeStringField("content", "");
                    g.writeEndObject();
                },
                null);
    }

    private StringBuilder finish(StringBuilder out, FinishReason reason) {
        if (finished) {
            return out;
        }
        finished = true;
        return chunk(
                out,
                g -> {
                    g.writeObjectFieldStart("delta");
                    g.writeEndObject();
                },
                ChatFinishReasons.toWire(reason));
    }

    private StringBuilder chunk(StringBuilder out, JsonOutput.Body delta, @Nullable String finishReason) {
        return SseWriter.appendJson(out, null, g -> {
            g.writeStartObject();
            header(g);
            g.writeArrayFieldStart("choices");
            g.writeStartObject();
            g.writeNumberField("index", 0);
            delta.write(g);
            g.writeNullField("logprobs");
            JsonOutput.stringField(g, "finish_reason", finishReason);
            g.writeEndObject();
            g.writeEndArray();
            if (request.includeUsage()) {
                g.writeNullField("usage");
            }
            g.writeEndObject();
        });
    }

    private void header(JsonGenerator g) throws IOException {
        g.writeStringField("id", id);
        g.writeStringField("object", "chat.completion.chunk");
        g.writeNumberField("created", created);
        g.writeStringField("model", model);
    }
}
