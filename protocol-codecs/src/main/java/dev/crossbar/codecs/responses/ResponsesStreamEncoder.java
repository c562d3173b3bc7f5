package dev.crossbar.codecs.responses;

import dev.crossbar.codecs.json.JsonOutput;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.model.FinishReason;
import dev.crossbar.codecs.model.Issuer;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.codecs.openai.OpenAiErrors;
import dev.crossbar.codecs.spi.ClientStreamEncoder;
import dev.crossbar.codecs.sse.SseWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Canonical events to Responses API SSE ({@code event: <type>}, data with {@code type} and an increasing
 * {@code sequence_number}). Every message, reasoning block and tool call is its own output item. The
 * terminal {@code response.completed} / {@code response.incomplete} carries the whole Response with
 * output and usage, which the SDKs read instead of the deltas. A failure is an {@code error} event (the
 * Node SDK throws on it) followed by {@code response.failed} (the Python SDK's terminal event).
 */
final class ResponsesStreamEncoder implements ClientStreamEncoder {

    private final ChatRequest request;
    private final long createdAt;
    private final String fallbackId;
    private final List<OutputItem> output = new ArrayList<>();
    private final Map<Integer, OutputItem> toolsByIndex = new HashMap<>();
    private @Nullable String id;
    private @Nullable String base;
    private @Nullable String model;
    private int sequence;
    private boolean started;
    private boolean closed;
    private @Nullable OutputItem openMessage;
    private @Nullable OutputItem openReasoning;
    private @Nullable FinishReason reason;
    private @Nullable Usage usage;

    ResponsesStreamEncoder(ChatRequest request, long createdAt, String fallbackId) {
        this.request = request;
        this.createdAt = createdAt;
        this.fallbackId = fallbackId;
    }

    @Override
    public String encode(StreamEvent event) {
        if (closed) {
            return "";
        }
        StringBuilder out = new StringBuilder(256);
        if (event instanceof StreamEvent.Start s) {
            if (!started) {
                model = s.model();
                id = s.id();
            }
            start(out);
        } else if (event instanceof StreamEvent.TextDelta t) {
            if (!t.text().isEmpty()) {
                text(start(out), t.text());
            }
        } else if (event instanceof StreamEvent.ThinkingDelta t) {
            if (!t.text().isEmpty()) {
                thinking(start(out), t.text());
            }
        } else if (event instanceof StreamEvent.ThinkingSignature s) {
            if (s.signature() != null && !s.signature().isEmpty()) {
                signed(start(out), s.issuer(), false, s.signature());
            }
        } else if (event instanceof StreamEvent.RedactedThinking r) {
            closeReasoning(start(out));
            signed(out, r.issuer(), true, r.data());
        } else if (event instanceof StreamEvent.ToolCallStart c) {
            toolStart(start(out), c);
        } else if (event instanceof StreamEvent.ToolCallDelta d) {
            toolDelta(start(out), d);
        } else if (event instanceof StreamEvent.Finish f) {
            reason = f.reason();
            closeAll(start(out));
        } else if (event instanceof StreamEvent.UsageUpdate u) {
            usage = u.usage();
        } else if (event instanceof StreamEvent.End) {
            closeAll(start(out));
            String status = ResponseObjectWriter.status(reason);
            terminal(
                    out,
                    ResponseObjectWriter.COMPLETED.equals(status) ? "response.completed" : "response.incomplete",
                    status,
                    null);
        } else if (event instanceof StreamEvent.Error e) {
            failed(start(out), e.error() == null ? ApiError.of(ErrorKind.SERVER_ERROR, "stream failed") : e.error());
        }
        return out.toString();
    }

    private StringBuilder start(StringBuilder out) {
        if (started) {
            return out;
        }
        started = true;
        if (id == null || id.isEmpty()) {
            id = fallbackId;
        }
        base = ResponsesIds.base(id);
        id = ResponsesIds.responseId(id);
        if (model == null) {
            model = request.model();
        }
        for (String type : new String[] {"response.created", "response.in_progress"}) {
            event(out, type, g -> {
                g.writeFieldName("response");
                ResponseObjectWriter.write(
                        g, id, createdAt, model, request, ResponseObjectWriter.IN_PROGRESS, null, null, null, null);
            });
        }
        return out;
    }

    private void text(StringBuilder out, String delta) {
        if (openMessage == null) {
            closeReasoning(out);
            openMessage = add(out, OutputItem.message(base, output.size()));
            OutputItem item = openMessage;
            event(out, "response.content_part.added", g -> {
                g.writeStringField("item_id", item.id);
                g.writeNumberField("output_index", item.outputIndex);
                g.writeNumberField("content_index", 0);
                g.writeFieldName("part");
                ResponseObjectWriter.writeTextPart(g, "");
            });
        }
        OutputItem item = openMessage;
        item.text.append(delta);
        event(out, "response.output_text.delta", g -> {
            g.writeStringField("item_id", item.id);
            g.writeNumberField("output_index", item.outputIndex);
            g.writeNumberField("content_index", 0);
            g.writeStringField("delta", delta);
            g.writeArrayFieldStart("logprobs");
            g.writeEndArray();
        });
    }

    private void thinking(StringBuilder out, String delta) {
        if (openReasoning == null) {
            openReasoning(out);
        }
        OutputItem item = Objects.requireNonNull(openReasoning);
        if (item.text.length() == 0) {
            event(out, "response.reasoning_summary_part.added", g -> {
                g.writeStringField("item_id", item.id);
                g.writeNumberField("output_index", item.outputIndex);
                g.writeNumberField("summary_index", 0);
                g.writeFieldName("part");
                ResponseObjectWriter.writeSummaryPart(g, "");
            });
        }
        item.text.append(delta);
        event(out, "response.reasoning_summary_text.delta", g -> {
            g.writeStringField("item_id", item.id);
            g.writeNumberField("output_index", item.outputIndex);
            g.writeNumberField("summary_index", 0);
            g.writeStringField("delta", delta);
        });
    }

    private void openReasoning(StringBuilder out) {
        closeMessage(out);
        openReasoning = add(out, OutputItem.reasoning(base, output.size()));
    }

    /**
     * A signature ends the reasoning it signs (Gemini's, on the part after the thoughts, gets a reasoning
     * item of its own); its item goes out with the sealed value in {@code encrypted_content}.
     */
    private void signed(StringBuilder out, @Nullable Issuer issuer, boolean redacted, String value) {
        if (openReasoning == null) {
            openReasoning(out);
        }
        Objects.requireNonNull(openReasoning).sign(issuer, redacted, value);
        closeReasoning(out);
    }

    private void toolStart(StringBuilder out, StreamEvent.ToolCallStart c) {
        if (toolsByIndex.containsKey(c.toolIndex())) {
            return;
        }
        closeMessage(out);
        closeReasoning(out);
        toolsByIndex.put(
                c.toolIndex(),
                add(out, OutputItem.functionCall(base, output.size(), c.id(), c.name(), request.tools())));
    }

    /** Tool items stay open until the reply finishes: some upstreams interleave the arguments of parallel calls. */
    private void toolDelta(StringBuilder out, StreamEvent.ToolCallDelta d) {
        OutputItem item = toolsByIndex.get(d.toolIndex());
        if (item == null
                || item.done
                || d.argumentsFragment() == null
                || d.argumentsFragment().isEmpty()) {
            return;
        }
        item.text.append(d.argumentsFragment());
        event(out, "response.function_call_arguments.delta", g -> {
            g.writeStringField("item_id", item.id);
            g.writeNumberField("output_index", item.outputIndex);
            g.writeStringField("delta", d.argumentsFragment());
        });
    }

    private OutputItem add(StringBuilder out, OutputItem item) {
        output.add(item);
        event(out, "response.output_item.added", g -> {
            g.writeNumberField("output_index", item.outputIndex);
            g.writeFieldName("item");
            ResponseObjectWriter.writeItem(g, item, false);
        });
        return item;
    }

    private void closeAll(StringBuilder out) {
        if (ResponseObjectWriter.INCOMPLETE.equals(ResponseObjectWriter.status(reason)) && !output.isEmpty()) {
            output.get(output.size() - 1).incomplete = true;
        }
        closeMessage(out);
        closeReasoning(out);
        for (OutputItem item : output) {
            if (item.kind == OutputItem.Kind.FUNCTION_CALL && !item.done) {
                event(out, "response.function_call_arguments.done", g -> {
                    g.writeStringField("item_id", item.id);
                    g.writeNumberField("output_index", item.outputIndex);
                    g.writeStringField("name", item.name);
                    g.writeStringField("arguments", item.arguments());
                });
                itemDone(out, item);
            }
        }
    }

    private void closeMessage(StringBuilder out) {
        OutputItem item = openMessage;
        if (item == null) {
            return;
        }
        openMessage = null;
        String text = item.text.toString();
        event(out, "response.output_text.done", g -> {
            g.writeStringField("item_id", item.id);
            g.writeNumberField("output_index", item.outputIndex);
            g.writeNumberField("content_index", 0);
            g.writeStringField("text", text);
            g.writeArrayFieldStart("logprobs");
            g.writeEndArray();
        });
        event(out, "response.content_part.done", g -> {
            g.writeStringField("item_id", item.id);
            g.writeNumberField("output_index", item.outputIndex);
            g.writeNumberField("content_index", 0);
            g.writeFieldName("part");
            ResponseObjectWriter.writeTextPart(g, text);
        });
        itemDone(out, item);
    }

    private void closeReasoning(StringBuilder out) {
        OutputItem item = openReasoning;
        if (item == null) {
            return;
        }
        openReasoning = null;
        String text = item.text.toString();
        if (!text.isEmpty()) {
            event(out, "response.reasoning_summary_text.done", g -> {
                g.writeStringField("item_id", item.id);
                g.writeNumberField("output_index", item.outputIndex);
                g.writeNumberField("summary_index", 0);
                g.writeStringField("text", text);
            });
            event(out, "response.reasoning_summary_part.done", g -> {
                g.writeStringField("item_id", item.id);
                g.writeNumberField("output_index", item.outputIndex);
                g.writeNumberField("summary_index", 0);
                g.writeFieldName("part");
                ResponseObjectWriter.writeSummaryPart(g, text);
            });
        }
        itemDone(out, item);
    }

    private void itemDone(StringBuilder out, OutputItem item) {
        item.done = true;
        event(out, "response.output_item.done", g -> {
            g.writeNumberField("output_index", item.outputIndex);
            g.writeFieldName("item");
            ResponseObjectWriter.writeItem(g, item, true);
        });
    }

    private void failed(StringBuilder out, ApiError error) {
        event(out, "error", g -> {
            g.writeStringField(
                    "code",
                    OpenAiErrors.code(error.kind()) == null
                            ? OpenAiErrors.type(error.kind())
                            : OpenAiErrors.code(error.kind()));
            g.writeStringField("message", error.message());
            JsonOutput.stringField(g, "param", error.param());
        });
        terminal(out, "response.failed", ResponseObjectWriter.FAILED, error);
    }

    private void terminal(StringBuilder out, String type, String status, @Nullable ApiError error) {
        closed = true;
        Usage last = usage == null ? Usage.ZERO : usage;
        event(out, type, g -> {
            g.writeFieldName("response");
            ResponseObjectWriter.write(g, id, createdAt, model, request, status, output, reason, last, error);
        });
    }

    private void event(StringBuilder out, String type, JsonOutput.Body fields) {
        int seq = sequence++;
        SseWriter.appendJson(out, type, g -> {
            g.writeStartObject();
            g.writeStringField("type", type);
            fields.write(g);
            g.writeNumberField("sequence_number", seq);
            g.writeEndObject();
        });
    }
}
