package dev.crossbar.codecs.anthropic;

import dev.crossbar.codecs.json.JsonOutput;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.FinishReason;
import dev.crossbar.codecs.model.Issuer;
import dev.crossbar.codecs.model.SignatureEnvelope;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.codecs.spi.ClientStreamEncoder;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Canonical events to Anthropic's SSE: message_start and a ping, one content block at a time with
 * increasing block index, then message_delta (stop reason and cumulative usage) and message_stop.
 * Finish is held until End because the final usage may follow it.
 */
final class AnthropicStreamEncoder implements ClientStreamEncoder {

    private enum Block {
        NONE,
        TEXT,
        THINKING,
        REDACTED,
        TOOL
    }

    private final String requestModel;
    private final Map<Integer, Integer> toolBlocks = new HashMap<>();
    private boolean started;
    private boolean done;
    private Block open = Block.NONE;
    private int nextBlock;
    private @Nullable FinishReason finish;
    private @Nullable String stopSequence;
    private Usage usage = Usage.ZERO;

    AnthropicStreamEncoder(String requestModel) {
        this.requestModel = requestModel;
    }

    @Override
    public String encode(StreamEvent event) {
        if (done) {
            return "";
        }
        StringBuilder out = new StringBuilder(128);
        if (event instanceof StreamEvent.Error e) {
            // Anthropic sends the error event alone, without closing the open block.
            error(out, e.error());
            done = true;
            return out.toString();
        }
        if (event instanceof StreamEvent.Start s) {
            if (!started) {
                start(out, s.id(), s.model(), s.usage());
            }
            return out.toString();
        }
        if (!started) {
            start(out, null, requestModel, null);
        }
        if (event instanceof StreamEvent.TextDelta t) {
            if (!t.text().isEmpty()) {
                openBlock(out, Block.TEXT, "{\"type\":\"text\",\"text\":\"\"}");
                delta(out, "text_delta", "text", t.text());
            }
        } else if (event instanceof StreamEvent.ThinkingDelta t) {
            if (!t.text().isEmpty()) {
                openBlock(out, Block.THINKING, "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}");
                delta(out, "thinking_delta", "thinking", t.text());
            }
        } else if (event instanceof StreamEvent.ThinkingSignature s) {
            if (s.signature() != null && !s.signature().isEmpty()) {
                openBlock(out, Block.THINKING, "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}");
                delta(
                        out,
                        "signature_delta",
                        "signature",
                        SignatureEnvelope.seal(s.issuer(), false, s.signature(), Issuer.ANTHROPIC, false));
                closeBlock(out); // a signature ends its thinking block, as Anthropic sends it
            }
        } else if (event instanceof StreamEvent.RedactedThinking r) {
            closeBlock(out);
            StringBuilder block =
                    new StringBuilder(r.data().length() + 48).append("{\"type\":\"redacted_thinking\",\"data\":");
            JsonOutput.quote(block, SignatureEnvelope.seal(r.issuer(), true, r.data(), Issuer.ANTHROPIC, true))
                    .append('}');
            openBlock(out, Block.REDACTED, block.toString());
            closeBlock(out);
        } else if (event instanceof StreamEvent.ToolCallStart c) {
            closeBlock(out);
            StringBuilder block = new StringBuilder(64).append("{\"type\":\"tool_use\",\"id\":");
            JsonOutput.quote(block, c.id() != null ? c.id() : "toolu_" + c.toolIndex())
                    .append(",\"name\":");
            JsonOutput.quote(block, c.name() == null ? "" : c.name()).append(",\"input\":{}}");
            toolBlocks.put(c.toolIndex(), nextBlock);
            openBlock(out, Block.TOOL, block.toString());
        } else if (event instanceof StreamEvent.ToolCallDelta d) {
            Integer index = toolBlocks.get(d.toolIndex());
            if (index != null
                    && d.argumentsFragment() != null
                    && !d.argumentsFragment().isEmpty()) {
                blockDelta(out, index, "input_json_delta", "partial_json", d.argumentsFragment());
            }
        } else if (event instanceof StreamEvent.Finish f) {
            closeBlock(out);
            finish = f.reason();
            stopSequence = f.stopSequence();
        } else if (event instanceof StreamEvent.UsageUpdate u) {
            usage = u.usage();
        } else if (event instanceof StreamEvent.End) {
            closeBlock(out);
            messageDelta(out);
            event(out, "message_stop", "{\"type\":\"message_stop\"}");
            done = true;
        }
        return out.toString();
    }

    private void start(StringBuilder out, @Nullable String id, @Nullable String model, @Nullable Usage startUsage) {
        started = true;
        if (startUsage != null) {
            usage = startUsage;
        }
        StringBuilder d = new StringBuilder(320).append("{\"type\":\"message_start\",\"message\":{\"id\":");
        JsonOutput.quote(d, AnthropicClientCodec.messageId(id))
                .append(",\"type\":\"message\",\"role\":\"assistant\",\"model\":");
        JsonOutput.quote(d, model != null ? model : requestModel == null ? "" : requestModel);
        d.append(",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":");
        Usage early = usage;
        JsonOutput.append(d, g -> AnthropicUsage.write(g, early, false)).append("}}");
        event(out, "message_start", d.toString());
        event(out, "ping", "{\"type\":\"ping\"}");
    }

    private void openBlock(StringBuilder out, Block kind, String contentBlock) {
        if (open == kind && kind != Block.TOOL) {
            return;
        }
        closeBlock(out);
        open = kind;
        event(
                out,
                "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":" + nextBlock + ",\"content_block\":" + contentBlock
                        + "}");
    }

    private void closeBlock(StringBuilder out) {
        if (open == Block.NONE) {
            return;
        }
        event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + nextBlock + "}");
        nextBlock++;
        open = Block.NONE;
    }

    private void delta(StringBuilder out, String type, String field, String text) {
        blockDelta(out, nextBlock, type, field, text);
    }

    private static void blockDelta(StringBuilder out, int index, String type, String field, String text) {
        StringBuilder d = new StringBuilder(text.length() + 96)
                .append("{\"type\":\"content_block_delta\",\"index\":")
                .append(index)
                .append(",\"delta\":{\"type\":\"")
                .append(type)
                .append("\",\"")
                .append(field)
                .append("\":");
        JsonOutput.quote(d, text).append("}}");
        event(out, "content_block_delta", d.toString());
    }

    private void messageDelta(StringBuilder out) {
        StringBuilder d = new StringBuilder(200)
                .append("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"")
                .append(AnthropicWire.stopReason(finish))
                .append("\",\"stop_sequence\":");
        if (stopSequence == null) {
            d.append("null");
        } else {
            JsonOutput.quote(d, stopSequence);
        }
        d.append("},\"usage\":");
        Usage last = usage;
        JsonOutput.append(d, g -> AnthropicUsage.writeDelta(g, last)).append('}');
        event(out, "message_delta", d.toString());
    }

    private static void error(StringBuilder out, ApiError error) {
        StringBuilder d = new StringBuilder(128)
                .append("{\"type\":\"error\",\"error\":{\"type\":\"")
                .append(AnthropicWire.errorType(error.status(), error.kind()))
                .append("\",\"message\":");
        JsonOutput.quote(d, error.message()).append("}}");
        event(out, "error", d.toString());
    }

    private static void event(StringBuilder out, String name, String data) {
        out.append("event: ").append(name).append("\ndata: ").append(data).append("\n\n");
    }
}
