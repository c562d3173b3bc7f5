package dev.crossbar.codecs.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.FinishReason;
import dev.crossbar.codecs.model.Issuer;
import dev.crossbar.codecs.model.Message;
import dev.crossbar.codecs.model.ResponseFormat;
import dev.crossbar.codecs.model.Role;
import dev.crossbar.codecs.model.SignatureEnvelope;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.model.Tool;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.codecs.openai.ReasoningEffort;
import dev.crossbar.codecs.spi.ClientStreamEncoder;
import dev.crossbar.codecs.testkit.Canon;
import dev.crossbar.codecs.testkit.CanonicalGen;
import dev.crossbar.codecs.testkit.Golden;
import dev.crossbar.codecs.testkit.UsageFields;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The Responses API as an upstream against the Responses client codec, both ways: a canonical request encoded
 * for the upstream and read back by the client decoder is the request again, up to what the Responses API
 * cannot say ({@link #normalize(ChatRequest)}); a canonical reply written by the client encoder and read by
 * the upstream decoder is the reply again ({@link #normalize(ChatResponse)}); and the same reply streamed
 * (split anywhere) decodes to what the whole one decodes to.
 */
class ResponsesUpstreamRoundTripProperties {

    private static final CanonicalGen.Features FEATURES = new CanonicalGen.Features(true, true, true);
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);

    private final OpenAiResponsesUpstreamCodec upstream = new OpenAiResponsesUpstreamCodec(CLOCK);
    private final OpenAiResponsesClientCodec client = new OpenAiResponsesClientCodec(CLOCK);

    @Provide
    Arbitrary<ChatRequest> requests() {
        return CanonicalGen.requests(FEATURES);
    }

    @Provide
    Arbitrary<ChatResponse> responses() {
        return CanonicalGen.responses(FEATURES);
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 1_000_000).list().ofMaxSize(40);
    }

    @Property(tries = 500)
    void shouldRoundTripRequestsThroughUpstreamEncodeAndClientDecode(@ForAll("requests") ChatRequest generated)
            throws Exception {
        // Stop sequences are refused (ResponsesUpstreamCodecTest): the rest must survive.
        ChatRequest original = withoutStop(generated);
        Assume.that(!normalize(original).messages().isEmpty()); // nothing left to send is the provider's 400
        byte[] wire = upstream.encodeRequest(original, original.model()).body();
        ChatRequest back = client.decodeRequest(Json.MAPPER.readTree(wire), null, false);
        assertEquals(Canon.render(normalize(original)), Canon.render(back), new String(wire, StandardCharsets.UTF_8));
    }

    @Property(tries = 500)
    void shouldRoundTripResponsesThroughClientEncodeAndUpstreamDecode(@ForAll("responses") ChatResponse original) {
        byte[] wire = client.encodeResponse(original, ChatRequest.builder("m").build());
        ChatResponse back = unseal(upstream.decodeResponse(wire));
        assertEquals(Canon.render(normalize(original)), Canon.render(back), new String(wire, StandardCharsets.UTF_8));
    }

    @Property(tries = 300)
    void shouldDecodeAStreamedReplyAsTheWholeOneAtAnySplit(
            @ForAll("responses") ChatResponse original, @ForAll("cuts") List<Integer> cuts) {
        ChatRequest request = ChatRequest.builder("m").stream(true).build();
        ChatResponse whole = upstream.decodeResponse(client.encodeResponse(original, request));

        ClientStreamEncoder encoder = client.streamEncoder(request);
        StringBuilder sse = new StringBuilder();
        events(original).forEach(e -> sse.append(encoder.encode(e)));
        byte[] bytes = sse.toString().getBytes(StandardCharsets.UTF_8);
        int[] points =
                cuts.stream().mapToInt(c -> c % (bytes.length + 1)).sorted().toArray();
        ChatResponse streamed = assemble(Golden.decode(upstream::streamDecoder, bytes, points));

        assertEquals(Canon.render(asStreamed(whole)), Canon.render(streamed), "streamed as " + sse.length() + " chars");
    }

    private static ChatRequest withoutStop(ChatRequest r) {
        return new ChatRequest(
                r.model(),
                r.messages(),
                r.tools(),
                r.toolChoice(),
                r.maxTokens(),
                r.temperature(),
                r.topP(),
                r.topK(),
                List.of(),
                r.stream(),
                r.includeUsage(),
                r.responseFormat(),
                r.parallelToolCalls(),
                r.thinkingBudget(),
                r.user(),
                List.of());
    }

    /**
     * What the Responses API cannot tell apart or does not carry: every message stays in its place (system
     * messages as system items), but each tool result is its own item and comes back in a TOOL message of its
     * own, named after its call, without an error flag; a user or tool message's other parts follow its
     * results; consecutive assistant messages are one run of items, and an assistant's texts between two
     * other items are one message; only OpenAI's signed reasoning is replayed, redacted thinking never; empty
     * texts and messages left empty are not sent; a schema-less tool gets an empty object schema; tool choice
     * and parallel calls travel only with tools; top-k is dropped; the thinking budget travels as an effort
     * level; a JSON schema gets the name {@code response} when it has none; usage is always streamed.
     */
    static ChatRequest normalize(ChatRequest r) {
        Map<String, String> callNames = new HashMap<>();
        List<Message> out = new ArrayList<>();
        List<ContentPart> assistant = null;
        for (Message m : r.messages()) {
            if (m.role() == Role.ASSISTANT) {
                if (assistant == null) {
                    assistant = new ArrayList<>();
                }
                StringBuilder text = new StringBuilder();
                for (ContentPart p : m.parts()) {
                    if (p instanceof ContentPart.Text t) {
                        text.append(t.text());
                        continue;
                    }
                    if (p instanceof ContentPart.RedactedThinking
                            || (p instanceof ContentPart.Thinking th && !th.signedBy(Issuer.OPENAI))) {
                        continue;
                    }
                    flush(assistant, text);
                    if (p instanceof ContentPart.ToolCall c) {
                        callNames.put(c.id(), c.name());
                    }
                    assistant.add(p);
                }
                flush(assistant, text);
                continue;
            }
            List<Message> items = new ArrayList<>();
            List<ContentPart> others = new ArrayList<>();
            for (ContentPart p : m.parts()) {
                if (p instanceof ContentPart.ToolResult tr) {
                    items.add(new Message(
                            Role.TOOL,
                            List.of(new ContentPart.ToolResult(
                                    tr.toolCallId(), callNames.get(tr.toolCallId()), tr.content(), false))));
                } else if (p instanceof ContentPart.Text t && !t.text().isEmpty()) {
                    others.add(t);
                } else if (p instanceof ContentPart.Image img) {
                    others.add(
                            img.url() != null
                                    ? img
                                    : ContentPart.Image.inline(
                                            img.mediaType() == null ? "image/png" : img.mediaType(), img.data()));
                }
            }
            if (!others.isEmpty()) {
                items.add(new Message(m.role() == Role.SYSTEM ? Role.SYSTEM : Role.USER, others));
            }
            if (items.isEmpty()) {
                continue; // nothing sent: the assistant items around it are one run
            }
            if (assistant != null && !assistant.isEmpty()) {
                out.add(new Message(Role.ASSISTANT, assistant));
            }
            assistant = null;
            out.addAll(items);
        }
        if (assistant != null && !assistant.isEmpty()) {
            out.add(new Message(Role.ASSISTANT, assistant));
        }
        List<Tool> tools = new ArrayList<>();
        for (Tool t : r.tools()) {
            ObjectNode empty = Json.NODES.objectNode().put("type", "object");
            empty.putObject("properties");
            tools.add(new Tool(t.name(), t.description(), t.parameters() != null ? t.parameters() : empty));
        }
        ResponseFormat f = r.responseFormat();
        if (f != null && f.type() == ResponseFormat.Type.JSON_SCHEMA && f.name() == null) {
            f = new ResponseFormat(f.type(), "response", f.schema(), f.strict());
        }
        boolean withTools = !tools.isEmpty();
        return new ChatRequest(
                r.model(),
                out,
                tools,
                withTools ? r.toolChoice() : null,
                r.maxTokens(),
                r.temperature(),
                r.topP(),
                null,
                List.of(),
                r.stream(),
                r.stream(),
                f,
                withTools ? r.parallelToolCalls() : null,
                ReasoningEffort.budget(ReasoningEffort.effort(r.thinkingBudget()), "x"),
                r.user(),
                List.of());
    }

    private static void flush(List<ContentPart> assistant, StringBuilder text) {
        if (text.length() > 0) {
            assistant.add(new ContentPart.Text(text.toString()));
            text.setLength(0);
        }
    }

    /**
     * A reply read back: the Response's id; empty texts are no item, consecutive texts one message, consecutive reasoning one
     * item up to and including a signed one, redacted thinking an item of its own; empty texts and empty
     * unsigned reasoning are not items; one STOP for natural ends, stop sequences and OTHER (TOOL_CALLS when
     * the reply has calls), no matched stop sequence.
     */
    static ChatResponse normalize(ChatResponse r) {
        List<ContentPart> content = new ArrayList<>();
        StringBuilder text = null;
        StringBuilder thinking = null;
        boolean calls = false;
        for (ContentPart p : r.content()) {
            if (p instanceof ContentPart.Text t && t.text().isEmpty()) {
                continue; // no item at all
            }
            if (!(p instanceof ContentPart.Text) && text != null) {
                addText(content, text);
                text = null;
            }
            if (!(p instanceof ContentPart.Thinking) && thinking != null) {
                addThinking(content, thinking, null);
                thinking = null;
            }
            if (p instanceof ContentPart.Text t) {
                text = text == null ? new StringBuilder() : text;
                text.append(t.text());
            } else if (p instanceof ContentPart.Thinking th) {
                thinking = thinking == null ? new StringBuilder() : thinking;
                thinking.append(th.text());
                if (th.signature() != null) {
                    addThinking(content, thinking, th);
                    thinking = null;
                }
            } else {
                calls |= p instanceof ContentPart.ToolCall;
                content.add(p);
            }
        }
        if (text != null) {
            addText(content, text);
        }
        if (thinking != null) {
            addThinking(content, thinking, null);
        }
        FinishReason finish = switch (r.finishReason()) {
            case LENGTH, CONTENT_FILTER -> r.finishReason();
            default -> calls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
        };
        return new ChatResponse(
                ResponsesIds.responseId(r.id()), r.model(), content, finish, null, UsageFields.openAi(r.usage()), 0);
    }

    private static void addText(List<ContentPart> content, StringBuilder text) {
        if (text.length() > 0) {
            content.add(new ContentPart.Text(text.toString()));
        }
    }

    private static void addThinking(List<ContentPart> content, StringBuilder text, ContentPart.Thinking signed) {
        if (signed != null) {
            content.add(new ContentPart.Thinking(text.toString(), signed.signature(), signed.issuer()));
        } else if (text.length() > 0) {
            content.add(new ContentPart.Thinking(text.toString()));
        }
    }

    /** What the client was given back under OpenAI's name: its sealed value opens to the original issuer. */
    private static ChatResponse unseal(ChatResponse r) {
        List<ContentPart> content = new ArrayList<>();
        for (ContentPart p : r.content()) {
            if (p instanceof ContentPart.Thinking th && th.signedBy(Issuer.OPENAI)) {
                String sealed = ReasoningSignature.encryptedContent(th.signature());
                p = SignatureEnvelope.part(SignatureEnvelope.open(sealed, null, false), th.text());
            }
            content.add(p);
        }
        return new ChatResponse(r.id(), r.model(), content, r.finishReason(), r.stopSequence(), r.usage(), 0);
    }

    /**
     * A stream has no event that ends unsigned reasoning: unsigned reasoning just before more reasoning runs into
     * it, as a client encoder would put it in one thinking block.
     */
    private static ChatResponse asStreamed(ChatResponse r) {
        List<ContentPart> content = new ArrayList<>();
        String carried = "";
        for (ContentPart p : r.content()) {
            if (p instanceof ContentPart.Thinking th) {
                if (th.signature() == null) {
                    carried += th.text();
                    continue;
                }
                p = new ContentPart.Thinking(carried + th.text(), th.signature(), th.issuer());
            } else if (!carried.isEmpty()) {
                content.add(new ContentPart.Thinking(carried));
            }
            carried = "";
            content.add(p);
        }
        if (!carried.isEmpty()) {
            content.add(new ContentPart.Thinking(carried));
        }
        return new ChatResponse(r.id(), r.model(), content, r.finishReason(), r.stopSequence(), r.usage(), 0);
    }

    /** A reply as an upstream would stream it. */
    private static List<StreamEvent> events(ChatResponse r) {
        List<StreamEvent> events = new ArrayList<>();
        events.add(new StreamEvent.Start(r.id(), r.model(), null));
        int tools = 0;
        for (ContentPart p : r.content()) {
            if (p instanceof ContentPart.Text t) {
                int half = t.text()
                        .offsetByCodePoints(
                                0, t.text().codePointCount(0, t.text().length()) / 2);
                events.add(new StreamEvent.TextDelta(t.text().substring(0, half)));
                events.add(new StreamEvent.TextDelta(t.text().substring(half)));
            } else if (p instanceof ContentPart.Thinking th) {
                events.add(new StreamEvent.ThinkingDelta(th.text()));
                if (th.signature() != null) {
                    events.add(new StreamEvent.ThinkingSignature(th.signature(), th.issuer()));
                }
            } else if (p instanceof ContentPart.RedactedThinking rt) {
                events.add(new StreamEvent.RedactedThinking(rt.data(), rt.issuer()));
            } else if (p instanceof ContentPart.ToolCall c) {
                events.add(new StreamEvent.ToolCallStart(tools, c.id(), c.name()));
                events.add(new StreamEvent.ToolCallDelta(tools++, c.argumentsJson()));
            }
        }
        events.add(new StreamEvent.Finish(r.finishReason(), r.stopSequence()));
        events.add(new StreamEvent.UsageUpdate(r.usage()));
        events.add(new StreamEvent.End());
        return events;
    }

    /** Decoded events as the reply they describe. */
    private static ChatResponse assemble(List<StreamEvent> events) {
        String id = null;
        String model = null;
        List<ContentPart> parts = new ArrayList<>();
        Map<Integer, Integer> callAt = new HashMap<>();
        FinishReason finish = null;
        Usage usage = Usage.ZERO;
        for (StreamEvent e : events) {
            ContentPart last = parts.isEmpty() ? null : parts.get(parts.size() - 1);
            if (e instanceof StreamEvent.Start s) {
                id = s.id();
                model = s.model();
            } else if (e instanceof StreamEvent.TextDelta t) {
                if (last instanceof ContentPart.Text lt) {
                    parts.set(parts.size() - 1, new ContentPart.Text(lt.text() + t.text()));
                } else {
                    parts.add(new ContentPart.Text(t.text()));
                }
            } else if (e instanceof StreamEvent.ThinkingDelta t) {
                if (last instanceof ContentPart.Thinking lt && lt.signature() == null) {
                    parts.set(parts.size() - 1, new ContentPart.Thinking(lt.text() + t.text()));
                } else {
                    parts.add(new ContentPart.Thinking(t.text()));
                }
            } else if (e instanceof StreamEvent.ThinkingSignature s) {
                String text = last instanceof ContentPart.Thinking lt && lt.signature() == null ? lt.text() : null;
                if (text != null) {
                    parts.remove(parts.size() - 1);
                }
                parts.add(new ContentPart.Thinking(text == null ? "" : text, s.signature(), s.issuer()));
            } else if (e instanceof StreamEvent.ToolCallStart c) {
                callAt.put(c.toolIndex(), parts.size());
                parts.add(new ContentPart.ToolCall(c.id(), c.name(), ""));
            } else if (e instanceof StreamEvent.ToolCallDelta d) {
                int at = callAt.get(d.toolIndex());
                ContentPart.ToolCall c = (ContentPart.ToolCall) parts.get(at);
                String args = "{}".equals(c.argumentsJson()) ? "" : c.argumentsJson();
                parts.set(at, new ContentPart.ToolCall(c.id(), c.name(), args + d.argumentsFragment()));
            } else if (e instanceof StreamEvent.Finish f) {
                finish = f.reason();
            } else if (e instanceof StreamEvent.UsageUpdate u) {
                usage = u.usage();
            } else if (e instanceof StreamEvent.Error err) {
                throw new AssertionError("the stream failed: " + err.error());
            }
        }
        return new ChatResponse(id, model, parts, finish, null, usage, 0);
    }
}
