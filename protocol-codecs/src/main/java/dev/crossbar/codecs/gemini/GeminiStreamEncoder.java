package dev.crossbar.codecs.gemini;

import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.FinishReason;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.codecs.sse.SseWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Canonical events to Gemini's SSE: one {@code data: GenerateContentResponse} per text delta. A thought's
 * text is held until its signature (or anything else) arrives, so a signed thought goes out as one part the
 * client can replay whole; a signature with no thought text before it rides on the next part, as Gemini
 * signs the part after the thoughts. Gemini sends a function call whole, so a call's argument fragments
 * are buffered; the calls
 * pending are sent together in one chunk (as Gemini sends parallel calls) as soon as anything else
 * arrives. The last chunk carries finishReason and usageMetadata; the stream then just ends. An error
 * is a final {@code data: {"error":{...}}} chunk, as Google sends it.
 */
final class GeminiStreamEncoder implements dev.crossbar.codecs.spi.ClientStreamEncoder {

    private static final class PendingCall {
        final String id;
        final @Nullable String name;
        final StringBuilder arguments = new StringBuilder();

        PendingCall(String id, @Nullable String name) {
            this.id = id;
            this.name = name;
        }
    }

    private final String requestModel;
    private final Map<Integer, PendingCall> calls = new LinkedHashMap<>();
    private @Nullable String id;
    private @Nullable String model;
    /** Signatures (and redacted thinking) held for the next part. */
    private final List<ContentPart> held = new ArrayList<>(1);
    /** Thought text held for its signature. */
    private final StringBuilder thought = new StringBuilder();

    private @Nullable FinishReason finish;
    private @Nullable Usage usage;
    private boolean done;

    GeminiStreamEncoder(String requestModel) {
        this.requestModel = requestModel;
    }

    @Override
    public String encode(StreamEvent event) {
        if (done) {
            return "";
        }
        if (event instanceof StreamEvent.Start s) {
            id = s.id();
            model = s.model();
            return "";
        }
        if (event instanceof StreamEvent.ToolCallStart c) {
            calls.put(c.toolIndex(), new PendingCall(c.id(), c.name()));
            return "";
        }
        if (event instanceof StreamEvent.ToolCallDelta d) {
            PendingCall call = calls.get(d.toolIndex());
            if (call != null && d.argumentsFragment() != null) {
                call.arguments.append(d.argumentsFragment());
            }
            return "";
        }
        StringBuilder out = new StringBuilder(128);
        flushCalls(out);
        if (event instanceof StreamEvent.ThinkingDelta t) {
            thought.append(t.text());
            return out.toString();
        }
        if (event instanceof StreamEvent.ThinkingSignature s) {
            if (s.signature() != null && !s.signature().isEmpty()) {
                if (thought.length() > 0) {
                    chunk(
                            out,
                            List.of(new ContentPart.Thinking(thought.toString(), s.signature(), s.issuer())),
                            null,
                            null);
                    thought.setLength(0);
                } else {
                    held.add(new ContentPart.Thinking("", s.signature(), s.issuer()));
                }
            }
            return out.toString();
        }
        if (!(event instanceof StreamEvent.Error) && thought.length() > 0) {
            chunk(out, List.of(new ContentPart.Thinking(thought.toString())), null, null);
            thought.setLength(0);
        }
        if (event instanceof StreamEvent.TextDelta t) {
            if (!t.text().isEmpty()) {
                chunk(out, List.of(new ContentPart.Text(t.text())), null, null);
            }
        } else if (event instanceof StreamEvent.RedactedThinking r) {
            held.add(new ContentPart.RedactedThinking(r.data(), r.issuer()));
        } else if (event instanceof StreamEvent.Finish f) {
            finish = f.reason();
        } else if (event instanceof StreamEvent.UsageUpdate u) {
            usage = u.usage();
        } else if (event instanceof StreamEvent.End) {
            chunk(out, List.of(), finish == null ? FinishReason.STOP : finish, usage); // no usage known: none claimed
            done = true;
        } else if (event instanceof StreamEvent.Error e) {
            SseWriter.appendJson(out, null, g -> GeminiClientCodec.writeError(g, e.error()));
            done = true;
        }
        return out.toString();
    }

    private void flushCalls(StringBuilder out) {
        if (calls.isEmpty()) {
            return;
        }
        List<ContentPart> parts = new ArrayList<>(calls.size());
        for (PendingCall c : calls.values()) {
            parts.add(new ContentPart.ToolCall(c.id, c.name == null ? "" : c.name, c.arguments.toString()));
        }
        calls.clear();
        chunk(out, parts, null, null);
    }

    private void chunk(
            StringBuilder out,
            List<ContentPart> parts,
            @Nullable FinishReason finishReason,
            @Nullable Usage chunkUsage) {
        List<ContentPart> signed = parts;
        if (!held.isEmpty()) {
            signed = new ArrayList<>(held.size() + parts.size());
            signed.addAll(held);
            signed.addAll(parts);
            held.clear();
        }
        List<ContentPart> body = signed;
        SseWriter.appendJson(
                out,
                null,
                g -> GeminiClientCodec.writeResponse(
                        g,
                        body,
                        finishReason,
                        chunkUsage,
                        model != null ? model : requestModel,
                        id,
                        finishReason != null));
    }
}
