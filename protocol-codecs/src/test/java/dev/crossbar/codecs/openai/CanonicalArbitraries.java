package dev.crossbar.codecs.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.model.FinishReason;
import dev.crossbar.codecs.model.Issuer;
import dev.crossbar.codecs.model.Message;
import dev.crossbar.codecs.model.ResponseFormat;
import dev.crossbar.codecs.model.Role;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.model.Tool;
import dev.crossbar.codecs.model.ToolChoice;
import dev.crossbar.codecs.model.Usage;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generators of canonical requests, replies and event streams for the property tests. */
public final class CanonicalArbitraries {

    private CanonicalArbitraries() {}

    public static Arbitrary<String> text() {
        return Arbitraries.strings()
                .withCharRange(' ', '~')
                .withChars('é', '☃', '\n', '\t', '"', '\\', '/')
                .ofMaxLength(24);
    }

    public static Arbitrary<String> nonEmptyText() {
        return text().filter(s -> !s.isEmpty());
    }

    public static Arbitrary<String> identifier() {
        return Arbitraries.strings()
                .withCharRange('a', 'z')
                .withChars('_')
                .ofMinLength(1)
                .ofMaxLength(12);
    }

    static Arbitrary<String> arguments() {
        return Arbitraries.oneOf(
                Arbitraries.just("{}"),
                Combinators.combine(identifier(), text())
                        .as((k, v) -> Json.string(Json.NODES.objectNode().put(k, v))),
                Combinators.combine(identifier(), Arbitraries.integers().between(-5, 5000))
                        .as((k, v) -> "{\"" + k + "\": " + v + "}"));
    }

    static Arbitrary<ContentPart> image() {
        Arbitrary<ContentPart> inline = Combinators.combine(
                        Arbitraries.of("image/png", "image/jpeg", "image/webp", "image/gif"),
                        Arbitraries.strings()
                                .withCharRange('A', 'Z')
                                .withChars('+', '/', '=')
                                .ofMinLength(4)
                                .ofMaxLength(16))
                .as(ContentPart.Image::inline);
        Arbitrary<ContentPart> remote =
                identifier().map(s -> ContentPart.Image.remote("https://example.com/" + s + ".png"));
        return Arbitraries.oneOf(inline, remote);
    }

    static ObjectNode schema(String property) {
        ObjectNode schema = Json.NODES.objectNode().put("type", "object");
        schema.putObject("properties").putObject(property).put("type", "string");
        return schema;
    }

    /** A conversation turn; assistant turns bring the tool results that answer their calls. */
    private record Turn(Role role, List<ContentPart> content, List<ContentPart.ToolCall> calls, List<String> results) {}

    private static Arbitrary<Turn> turn() {
        Arbitrary<Turn> system = text().list()
                .ofMinSize(1)
                .ofMaxSize(2)
                .map(ts -> new Turn(Role.SYSTEM, texts(ts), List.of(), List.of()));
        Arbitrary<Turn> user = Arbitraries.oneOf(text().map(ContentPart.Text::new), image())
                .list()
                .ofMinSize(1)
                .ofMaxSize(3)
                .map(ps -> new Turn(Role.USER, ps, List.of(), List.of()));
        Arbitrary<List<ContentPart.ToolCall>> calls = Combinators.combine(identifier(), arguments())
                .as((n, a) -> new ContentPart.ToolCall(null, n, a))
                .list()
                .ofMaxSize(3);
        Arbitrary<Turn> assistant = Combinators.combine(
                        text().list().ofMaxSize(2),
                        Arbitraries.of(true, false),
                        text(),
                        calls,
                        text().list().ofSize(3))
                .as((ts, thinks, thought, cs, results) -> {
                    List<ContentPart> content = new ArrayList<>();
                    if (thinks) {
                        content.add(new ContentPart.Thinking(thought, "sig", Issuer.ANTHROPIC));
                    }
                    content.addAll(texts(ts));
                    if (ts.isEmpty() && cs.isEmpty()) {
                        content.add(new ContentPart.Text("ok"));
                    }
                    return new Turn(Role.ASSISTANT, content, cs, results);
                });
        return Arbitraries.frequencyOf(Tuple.of(1, system), Tuple.of(3, user), Tuple.of(3, assistant));
    }

    private static List<ContentPart> texts(List<String> ts) {
        List<ContentPart> out = new ArrayList<>();
        ts.forEach(t -> out.add(new ContentPart.Text(t)));
        return out;
    }

    /** Turns to messages, giving every call a unique id and answering it in its own tool message. */
    private static List<Message> conversation(List<Turn> turns) {
        List<Message> messages = new ArrayList<>();
        int id = 0;
        for (Turn t : turns) {
            if (t.role() != Role.ASSISTANT) {
                messages.add(new Message(t.role(), t.content()));
                continue;
            }
            List<ContentPart> parts = new ArrayList<>(t.content());
            List<ContentPart.ToolCall> calls = new ArrayList<>();
            for (ContentPart.ToolCall c : t.calls()) {
                calls.add(new ContentPart.ToolCall(
                        "call_" + id++ + "x" + c.name().length(), c.name(), c.argumentsJson()));
            }
            parts.addAll(calls);
            messages.add(new Message(Role.ASSISTANT, parts));
            for (int i = 0; i < calls.size(); i++) {
                ContentPart.ToolCall c = calls.get(i);
                messages.add(new Message(
                        Role.TOOL,
                        List.of(new ContentPart.ToolResult(
                                c.id(), c.name(), t.results().get(i), i % 2 == 1))));
            }
        }
        return messages;
    }

    public static Arbitrary<ChatRequest> requests() {
        Arbitrary<Tool> tool = Combinators.combine(
                        identifier(),
                        text().injectNull(0.3),
                        identifier().map(CanonicalArbitraries::schema).injectNull(0.3))
                .as(Tool::new);
        Arbitrary<ToolChoice> choice = Arbitraries.oneOf(
                        Arbitraries.of(ToolChoice.AUTO, ToolChoice.NONE, ToolChoice.REQUIRED),
                        identifier().map(ToolChoice::specific))
                .injectNull(0.3);
        Arbitrary<ResponseFormat> format = Arbitraries.oneOf(
                        Arbitraries.just(new ResponseFormat(ResponseFormat.Type.TEXT, null, null, false)),
                        Arbitraries.just(new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, null, null, false)),
                        Combinators.combine(identifier().injectNull(0.3), identifier(), Arbitraries.of(true, false))
                                .as((n, p, s) -> new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, n, schema(p), s)))
                .injectNull(0.5);
        return Builders.withBuilder(() -> ChatRequest.builder("model"))
                .use(turn().list().ofMinSize(1).ofMaxSize(6).map(CanonicalArbitraries::conversation))
                .in(ChatRequest.Builder::messages)
                .use(tool.list().ofMaxSize(3))
                .in(ChatRequest.Builder::tools)
                .use(choice)
                .in(ChatRequest.Builder::toolChoice)
                .use(Arbitraries.integers().between(1, 200_000).injectNull(0.4))
                .in(ChatRequest.Builder::maxTokens)
                .use(Arbitraries.doubles().between(0, 2).ofScale(2).injectNull(0.4))
                .in(ChatRequest.Builder::temperature)
                .use(Arbitraries.doubles().between(0, 1).ofScale(3).injectNull(0.4))
                .in(ChatRequest.Builder::topP)
                .use(Arbitraries.integers().between(1, 100).injectNull(0.7))
                .in(ChatRequest.Builder::topK)
                .use(nonEmptyText().list().ofMaxSize(3))
                .in(ChatRequest.Builder::stop)
                .use(Arbitraries.of(true, false))
                .in(ChatRequest.Builder::stream)
                .use(Arbitraries.of(true, false))
                .in(ChatRequest.Builder::includeUsage)
                .use(format)
                .in(ChatRequest.Builder::responseFormat)
                .use(Arbitraries.of(true, false).injectNull(0.4))
                .in(ChatRequest.Builder::parallelToolCalls)
                .use(Arbitraries.integers().between(1, 32_000).injectNull(0.6))
                .in(ChatRequest.Builder::thinkingBudget)
                .use(identifier().injectNull(0.5))
                .in(ChatRequest.Builder::user)
                .build(ChatRequest.Builder::build);
    }

    public static Arbitrary<ChatResponse> responses() {
        Arbitrary<ContentPart> part = Arbitraries.oneOf(
                text().map(ContentPart.Text::new),
                Combinators.combine(text(), identifier().injectNull(0.5))
                        .as((t, sig) -> new ContentPart.Thinking(t, sig, sig == null ? null : Issuer.ANTHROPIC)),
                Combinators.combine(identifier().map(s -> "call_" + s), identifier(), arguments())
                        .as(ContentPart.ToolCall::new));
        return Combinators.combine(
                        identifier().map(s -> "chatcmpl-" + s),
                        identifier(),
                        part.list().ofMaxSize(5),
                        Arbitraries.of(FinishReason.class),
                        usage(),
                        Arbitraries.longs().between(1, 2_000_000_000L))
                .as((id, model, content, reason, usage, created) ->
                        new ChatResponse(id, model, content, reason, null, usage, created));
    }

    public static Arbitrary<Usage> usage() {
        return Combinators.combine(
                        Arbitraries.longs().between(0, 100_000),
                        Arbitraries.longs().between(0, 100_000),
                        Arbitraries.longs().between(0, 1000),
                        Arbitraries.longs().between(0, 1000))
                .as(Usage::new);
    }

    /**
     * Well-formed canonical streams: Start, a mix of text, thinking and tool-call segments, then either
     * Finish (UsageUpdate?) End, or an Error.
     */
    public static Arbitrary<List<StreamEvent>> streams() {
        Arbitrary<List<String>> deltas = text().list().ofMinSize(1).ofMaxSize(4);
        Arbitrary<Object[]> segment = Arbitraries.oneOf(
                deltas.map(d -> new Object[] {"text", d}),
                deltas.map(d -> new Object[] {"thinking", d}),
                Combinators.combine(identifier(), identifier(), text().list().ofMaxSize(4))
                        .as((id, name, frags) -> new Object[] {"tool", "call_" + id, name, frags}));
        Arbitrary<StreamEvent> ending = Arbitraries.oneOf(
                Arbitraries.of(FinishReason.class).map(r -> new StreamEvent.Finish(r, null)),
                Combinators.combine(
                                Arbitraries.of(ErrorKind.class), nonEmptyText().filter(m -> !m.isBlank()))
                        .as((k, m) -> new StreamEvent.Error(ApiError.of(k, m))));
        return Combinators.combine(
                        identifier(), identifier(), segment.list().ofMaxSize(6), ending, usage().injectNull(0.3))
                .as((id, model, segments, end, usage) -> {
                    List<StreamEvent> events = new ArrayList<>();
                    events.add(new StreamEvent.Start("chatcmpl-" + id, model, null));
                    int tool = 0;
                    for (Object[] s : segments) {
                        switch ((String) s[0]) {
                            case "text" ->
                                ((List<?>) s[1]).forEach(t -> events.add(new StreamEvent.TextDelta((String) t)));
                            case "thinking" ->
                                ((List<?>) s[1]).forEach(t -> events.add(new StreamEvent.ThinkingDelta((String) t)));
                            default -> {
                                int index = tool++;
                                events.add(new StreamEvent.ToolCallStart(index, (String) s[1] + index, (String) s[2]));
                                ((List<?>) s[3])
                                        .forEach(f -> events.add(new StreamEvent.ToolCallDelta(index, (String) f)));
                            }
                        }
                    }
                    events.add(end);
                    if (end instanceof StreamEvent.Finish) {
                        if (usage != null) {
                            events.add(new StreamEvent.UsageUpdate(usage));
                        }
                        events.add(new StreamEvent.End());
                    }
                    return events;
                });
    }
}
