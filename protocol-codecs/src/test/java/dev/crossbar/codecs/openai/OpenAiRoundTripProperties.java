package dev.crossbar.codecs.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.FinishReason;
import dev.crossbar.codecs.model.Message;
import dev.crossbar.codecs.model.ResponseFormat;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.codecs.spi.ClientStreamEncoder;
import dev.crossbar.codecs.spi.UpstreamRequest;
import dev.crossbar.codecs.testkit.Canon;
import dev.crossbar.codecs.testkit.CanonicalGen;
import dev.crossbar.codecs.testkit.Golden;
import dev.crossbar.codecs.testkit.UsageFields;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * What the OpenAI upstream codec writes, the OpenAI client codec reads back the same, and the other way
 * round; both sides of Chat Completions agree. Where the protocol cannot carry a distinction, the
 * expectation is normalised first, and each normalisation says why.
 */
class OpenAiRoundTripProperties {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
    private final OpenAiUpstreamCodec upstream = new OpenAiUpstreamCodec(OpenAiDialect.OPENAI, CLOCK);
    private final OpenAiChatClientCodec client = new OpenAiChatClientCodec(CLOCK);

    @Property(tries = 400)
    void requestsSurviveUpstreamEncodeThenClientDecode(@ForAll("requests") ChatRequest request) {
        UpstreamRequest encoded = upstream.encodeRequest(request, request.model());
        ChatRequest decoded = client.decodeRequest(Golden.parse(encoded.body()), null, false);
        assertEquals(Canon.render(normalise(request)), Canon.render(decoded));
    }

    @Property(tries = 400)
    void responsesSurviveClientEncodeThenUpstreamDecode(@ForAll("responses") ChatResponse response) {
        byte[] body = client.encodeResponse(response, ChatRequest.builder("m").build());
        ChatResponse decoded = upstream.decodeResponse(body);
        assertEquals(Canon.render(normalise(response)), Canon.render(decoded));
    }

    @Property(tries = 400)
    void streamsSurviveClientEncodeThenUpstreamDecode(
            @ForAll("streams") List<StreamEvent> events,
            @ForAll boolean includeUsage,
            @ForAll("cuts") List<Integer> cuts) {
        ChatRequest request =
                ChatRequest.builder("m").stream(true).includeUsage(includeUsage).build();
        ClientStreamEncoder encoder = client.streamEncoder(request);
        StringBuilder sse = new StringBuilder();
        events.forEach(e -> sse.append(encoder.encode(e)));
        byte[] bytes = sse.toString().getBytes(StandardCharsets.UTF_8);
        int[] points = cuts.stream().mapToInt(c -> c % (bytes.length + 1)).toArray();
        List<StreamEvent> decoded = Golden.decode(upstream::streamDecoder, bytes, points);
        assertEquals(render(normalise(events, includeUsage)), render(withComparableErrors(decoded)));
    }

    /** The request as the client side will see it after the trip through the OpenAI dialect. */
    static ChatRequest normalise(ChatRequest r) {
        List<Message> messages = new ArrayList<>();
        for (Message m : r.messages()) {
            List<ContentPart> content = new ArrayList<>();
            List<ContentPart> calls = new ArrayList<>();
            for (ContentPart p : m.parts()) {
                if (p instanceof ContentPart.ToolCall) {
                    calls.add(p);
                } else if (p instanceof ContentPart.ToolResult tr) {
                    // Chat Completions has no error flag on tool results.
                    content.add(new ContentPart.ToolResult(tr.toolCallId(), tr.name(), tr.content(), false));
                } else if (!(p instanceof ContentPart.Thinking)) {
                    // Thinking is not sent upstream: Chat Completions has no input field for it.
                    content.add(p);
                }
            }
            if (!calls.isEmpty()) {
                // An empty text beside tool calls is how OpenAI says "no text".
                content.removeIf(
                        p -> p instanceof ContentPart.Text t && t.text().isEmpty());
            }
            // Empty texts beside other parts are dropped by the client decoder.
            content = new ArrayList<>(ChatRequestDecoder.withoutEmptyTexts(content));
            if (content.isEmpty() && calls.isEmpty()) {
                content.add(new ContentPart.Text(""));
            }
            content.addAll(calls);
            messages.add(new Message(m.role(), content));
        }
        boolean tools = !r.tools().isEmpty();
        ResponseFormat f = r.responseFormat();
        if (f != null && f.type() == ResponseFormat.Type.JSON_SCHEMA && f.name() == null) {
            // OpenAI requires a schema name: the encoder supplies one.
            f = new ResponseFormat(f.type(), "response", f.schema(), f.strict());
        }
        return new ChatRequest(
                r.model(),
                messages,
                r.tools(),
                tools ? r.toolChoice() : null, // tool_choice and parallel_tool_calls without tools are a 400 at OpenAI
                r.maxTokens(),
                r.temperature(),
                r.topP(),
                null, // OpenAI has no top_k
                r.stop(),
                r.stream(),
                r.stream(), // the upstream codec always asks for usage when streaming
                f,
                tools ? r.parallelToolCalls() : null,
                // the budget travels as an effort level: it comes back as that level's budget
                ReasoningEffort.budget(ReasoningEffort.effort(r.thinkingBudget()), "x"),
                r.user(),
                List.of());
    }

    /** The reply as the upstream side reads it back from a chat.completion body. */
    static ChatResponse normalise(ChatResponse r) {
        StringBuilder thinking = new StringBuilder();
        StringBuilder text = new StringBuilder();
        List<ContentPart> calls = new ArrayList<>();
        for (ContentPart p : r.content()) {
            if (p instanceof ContentPart.Thinking t) {
                thinking.append(t.text());
            } else if (p instanceof ContentPart.Text t) {
                text.append(t.text());
            } else {
                calls.add(p);
            }
        }
        // One message holds one reasoning string, one content string, then the tool calls; signatures have no field.
        List<ContentPart> content = new ArrayList<>();
        if (thinking.length() > 0) {
            content.add(new ContentPart.Thinking(thinking.toString()));
        }
        if (text.length() > 0) {
            content.add(new ContentPart.Text(text.toString()));
        }
        content.addAll(calls);
        return new ChatResponse(
                r.id(),
                r.model(),
                content,
                roundTrip(r.finishReason(), !calls.isEmpty()),
                null,
                UsageFields.openAi(r.usage()),
                r.created());
    }

    /** OpenAI has no stop-sequence or "other" reason, and "stop" with tool calls reads as TOOL_CALLS. */
    static FinishReason roundTrip(FinishReason reason, boolean calls) {
        return ChatFinishReasons.fromWire(ChatFinishReasons.toWire(reason), calls, null);
    }

    static List<StreamEvent> normalise(List<StreamEvent> events, boolean includeUsage) {
        List<StreamEvent> out = new ArrayList<>();
        boolean calls = false;
        for (StreamEvent e : events) {
            if ((e instanceof StreamEvent.TextDelta t && t.text().isEmpty())
                    || (e instanceof StreamEvent.ThinkingDelta th && th.text().isEmpty())
                    || (e instanceof StreamEvent.ToolCallDelta d
                            && d.argumentsFragment().isEmpty())) {
                continue; // an empty delta is not worth a chunk
            }
            if (e instanceof StreamEvent.ToolCallStart) {
                calls = true;
            }
            if (e instanceof StreamEvent.UsageUpdate) {
                continue; // the usage goes out once, after the finish (findUsage)
            }
            if (e instanceof StreamEvent.Finish f) {
                out.add(new StreamEvent.Finish(roundTrip(f.reason(), calls), null));
                if (includeUsage) {
                    // The usage chunk exists only when asked for, and carries zeros when nothing was reported.
                    out.add(new StreamEvent.UsageUpdate(UsageFields.openAi(findUsage(events))));
                }
                continue;
            }
            if (e instanceof StreamEvent.Error err) {
                out.add(comparable(err));
                continue;
            }
            out.add(e);
        }
        return out;
    }

    private static Usage findUsage(List<StreamEvent> events) {
        for (StreamEvent e : events) {
            if (e instanceof StreamEvent.UsageUpdate u) {
                return u.usage();
            }
        }
        return Usage.ZERO;
    }

    /** In-stream errors keep their message; their kind survives only as far as OpenAI's error type. */
    static List<StreamEvent> withComparableErrors(List<StreamEvent> events) {
        List<StreamEvent> out = new ArrayList<>();
        events.forEach(e -> out.add(e instanceof StreamEvent.Error err ? comparable(err) : e));
        return out;
    }

    private static StreamEvent comparable(StreamEvent.Error e) {
        return new StreamEvent.TextDelta(
                "error:" + OpenAiErrors.type(e.error().kind()) + ":" + e.error().message());
    }

    private static List<String> render(List<StreamEvent> events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(Canon.render(e).toString()));
        return out;
    }

    @Provide
    Arbitrary<ChatRequest> requests() {
        return CanonicalGen.chatRequests();
    }

    @Provide
    Arbitrary<ChatResponse> responses() {
        return CanonicalGen.chatResponses();
    }

    @Provide
    Arbitrary<List<StreamEvent>> streams() {
        return CanonicalGen.streams();
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofMaxSize(8);
    }
}
