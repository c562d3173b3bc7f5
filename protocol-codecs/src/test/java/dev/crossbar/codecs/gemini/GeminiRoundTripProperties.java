package dev.crossbar.codecs.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.FinishReason;
import dev.crossbar.codecs.model.Issuer;
import dev.crossbar.codecs.model.Message;
import dev.crossbar.codecs.model.ResponseFormat;
import dev.crossbar.codecs.model.SignatureEnvelope;
import dev.crossbar.codecs.model.ToolChoice;
import dev.crossbar.codecs.testkit.Canon;
import dev.crossbar.codecs.testkit.CanonicalGen;
import dev.crossbar.codecs.testkit.Normalize;
import dev.crossbar.codecs.testkit.UsageFields;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Canonical -> Gemini upstream request -> Gemini client decode gives the request back, up to what
 * generateContent cannot tell apart (see {@link #normalize}); likewise for replies the other way.
 */
class GeminiRoundTripProperties {

    private static final CanonicalGen.Features FEATURES = new CanonicalGen.Features(false, true, true);

    private final GeminiUpstreamCodec upstream = new GeminiUpstreamCodec();
    private final GeminiClientCodec client = new GeminiClientCodec();

    @Provide
    Arbitrary<ChatRequest> requests() {
        return CanonicalGen.requests(FEATURES);
    }

    @Provide
    Arbitrary<ChatResponse> responses() {
        return CanonicalGen.responses(FEATURES);
    }

    @Property(tries = 500)
    void shouldRoundTripRequestsThroughUpstreamEncodeAndClientDecode(@ForAll("requests") ChatRequest original)
            throws Exception {
        var encoded = upstream.encodeRequest(original, original.model());
        ChatRequest back =
                client.decodeRequest(Json.MAPPER.readTree(encoded.body()), original.model(), encoded.stream());
        assertEquals(
                Canon.render(normalize(original)),
                Canon.render(back),
                new String(encoded.body(), StandardCharsets.UTF_8));
    }

    @Property(tries = 500)
    void shouldRoundTripResponsesThroughClientEncodeAndUpstreamDecode(@ForAll("responses") ChatResponse original) {
        byte[] wire = client.encodeResponse(original, ChatRequest.builder("m").build());
        ChatResponse back = upstream.decodeResponse(wire);
        assertEquals(Canon.render(normalize(original)), Canon.render(back), new String(wire, StandardCharsets.UTF_8));
    }

    /**
     * Besides the conversation shape ({@link Normalize}): only thinking Gemini signed is replayed, and
     * redacted thinking is never Gemini's; a function response always names its function and its content is the
     * response object (see {@link #resultContent}); an image-only user turn gains a " " text; tool
     * choice travels only with tools; parallelToolCalls and user have no Gemini form; a response
     * format keeps neither name nor strictness.
     */
    static ChatRequest normalize(ChatRequest r) {
        Map<String, String> names = new HashMap<>();
        for (Message m : r.messages()) {
            for (ContentPart p : m.parts()) {
                if (p instanceof ContentPart.ToolCall c) {
                    names.put(c.id(), c.name());
                }
            }
        }
        List<Message> messages = Normalize.conversation(
                r.messages(),
                p -> {
                    if (p instanceof ContentPart.Thinking th) {
                        return th.signedBy(Issuer.GEMINI) ? th : null;
                    }
                    if (p instanceof ContentPart.RedactedThinking) {
                        return null;
                    }
                    if (p instanceof ContentPart.ToolResult tr) {
                        return resultContent(new ContentPart.ToolResult(
                                tr.toolCallId(),
                                tr.name() != null ? tr.name() : names.get(tr.toolCallId()),
                                tr.content(),
                                tr.isError()));
                    }
                    return p;
                },
                others -> {
                    boolean image = others.stream().anyMatch(p -> p instanceof ContentPart.Image);
                    boolean text = others.stream().anyMatch(p -> p instanceof ContentPart.Text);
                    if (image && !text) {
                        List<ContentPart> withText = new ArrayList<>(others);
                        withText.add(new ContentPart.Text(" "));
                        return withText;
                    }
                    return others;
                });
        ToolChoice choice = r.tools().isEmpty() ? null : r.toolChoice();
        ResponseFormat format = r.responseFormat() == null
                ? null
                : new ResponseFormat(
                        r.responseFormat().type(), null, r.responseFormat().schema(), false);
        return new ChatRequest(
                r.model(),
                messages,
                r.tools(),
                choice,
                r.maxTokens(),
                r.temperature(),
                r.topP(),
                r.topK(),
                r.stop(),
                r.stream(),
                false,
                format,
                null,
                r.thinkingBudget(),
                null,
                List.of());
    }

    /**
     * A JSON-object result travels as itself and comes back re-serialised; one with a single string
     * field result/output/content (or error) comes back as that string (an error result).
     */
    private static ContentPart.ToolResult resultContent(ContentPart.ToolResult tr) {
        if (tr.isError() || !tr.content().startsWith("{")) {
            return tr;
        }
        try {
            JsonNode o = Json.MAPPER.readTree(tr.content());
            if (o.size() == 1 && o.elements().next().isTextual()) {
                String field = o.fieldNames().next();
                String value = o.elements().next().textValue();
                if (field.equals("result") || field.equals("output") || field.equals("content")) {
                    return new ContentPart.ToolResult(tr.toolCallId(), tr.name(), value, false);
                }
                if (field.equals("error")) {
                    return new ContentPart.ToolResult(tr.toolCallId(), tr.name(), value, true);
                }
            }
            return new ContentPart.ToolResult(tr.toolCallId(), tr.name(), Json.string(o), false);
        } catch (java.io.IOException e) {
            return tr;
        }
    }

    /**
     * Gemini has one STOP for natural ends, stop sequences and function calls (a reply with calls reads
     * back as TOOL_CALLS), no matched stop sequence and no empty text parts; other families' signatures and
     * redacted thinking come back sealed in thoughtSignature, read as Gemini's own.
     */
    static ChatResponse normalize(ChatResponse r) {
        List<ContentPart> content = new ArrayList<>();
        boolean calls = false;
        for (ContentPart p : r.content()) {
            if ((p instanceof ContentPart.Text t && t.text().isEmpty())
                    || (p instanceof ContentPart.Thinking th && th.text().isEmpty() && th.signature() == null)) {
                continue;
            }
            if (p instanceof ContentPart.Thinking th && th.signature() != null) {
                p = new ContentPart.Thinking(
                        th.text(),
                        SignatureEnvelope.seal(th.issuer(), false, th.signature(), Issuer.GEMINI, false),
                        Issuer.GEMINI);
            } else if (p instanceof ContentPart.RedactedThinking rt) {
                p = new ContentPart.Thinking(
                        "", SignatureEnvelope.seal(rt.issuer(), true, rt.data(), Issuer.GEMINI, false), Issuer.GEMINI);
            }
            calls |= p instanceof ContentPart.ToolCall;
            content.add(p);
        }
        FinishReason finish = r.finishReason();
        if (finish == FinishReason.STOP_SEQUENCE || finish == FinishReason.TOOL_CALLS) {
            finish = FinishReason.STOP;
        }
        if (finish == FinishReason.STOP && calls) {
            finish = FinishReason.TOOL_CALLS;
        }
        return new ChatResponse(r.id(), r.model(), content, finish, null, UsageFields.gemini(r.usage()), 0);
    }
}
