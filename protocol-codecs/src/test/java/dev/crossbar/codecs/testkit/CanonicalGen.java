package dev.crossbar.codecs.testkit;

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
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Random canonical requests and replies for round-trip properties: text, system prompts (leading and
 * mid-conversation), multi-turn, tools, parallel tool calls and their results, images, thinking signed
 * by any family.
 *
 * <p>{@link #requests}/{@link #responses} are built procedurally from a seed, so a failure reproduces
 * from the seed jqwik reports; {@link #chatRequests}, {@link #chatResponses}, {@link #streams} and
 * {@link #usage} are built from jqwik's combinators and shrink to a small counterexample.
 */
public final class CanonicalGen {

    /** What a protocol can carry beyond the common ground. */
    public record Features(boolean redactedThinking, boolean responseFormat, boolean emptySignatureBeforeCall) {}

    private static final List<Issuer> ISSUERS = List.of(Issuer.values());

    private static final String[] WORDS = {
        "hello",
        "wörld",
        "☃",
        "😀",
        "\"quoted\"",
        "line\nbreak",
        "tab\t",
        "x",
        "Paris",
        "{json-ish}",
        "<tag>",
        "back\\slash",
        " ",
        "ünïcödé",
        "0"
    };
    private static final String[] NAMES = {"get_weather", "get_time", "search", "lookup", "calc"};

    private CanonicalGen() {}

    public static Arbitrary<ChatRequest> requests(Features f) {
        return Arbitraries.longs().map(seed -> request(new Random(seed), f));
    }

    public static Arbitrary<ChatResponse> responses(Features f) {
        return Arbitraries.longs().map(seed -> response(new Random(seed), f));
    }

    static ChatRequest request(Random rnd, Features f) {
        List<Message> messages = new ArrayList<>();
        if (rnd.nextInt(3) > 0) {
            messages.add(new Message(Role.SYSTEM, texts(rnd, 1 + rnd.nextInt(2))));
        }
        int callSeq = 0;
        int exchanges = 1 + rnd.nextInt(4);
        for (int e = 0; e < exchanges; e++) {
            if (e > 0 && rnd.nextInt(6) == 0) {
                messages.add(Message.text(Role.SYSTEM, text(rnd)));
            }
            messages.add(new Message(Role.USER, userParts(rnd)));
            List<ContentPart> assistant = new ArrayList<>();
            if (rnd.nextInt(3) == 0) {
                assistant.add(new ContentPart.Thinking(nonEmptyText(rnd), "sig-" + rnd.nextInt(1000), issuer(rnd)));
            }
            if (f.redactedThinking() && rnd.nextInt(6) == 0) {
                assistant.add(new ContentPart.RedactedThinking("red-" + rnd.nextInt(1000), Issuer.ANTHROPIC));
            }
            if (rnd.nextBoolean()) {
                assistant.add(new ContentPart.Text(rnd.nextInt(5) == 0 ? "" : text(rnd)));
            }
            List<ContentPart.ToolCall> calls = new ArrayList<>();
            if (rnd.nextBoolean()) {
                int n = 1 + rnd.nextInt(3);
                for (int c = 0; c < n; c++) {
                    if (f.emptySignatureBeforeCall() && c == 0 && rnd.nextInt(3) == 0) {
                        assistant.add(new ContentPart.Thinking("", "sig-call-" + rnd.nextInt(100), issuer(rnd)));
                    }
                    ContentPart.ToolCall call = new ContentPart.ToolCall(
                            "call_" + callSeq++ + "_" + rnd.nextInt(1000),
                            NAMES[rnd.nextInt(NAMES.length)],
                            arguments(rnd));
                    calls.add(call);
                    assistant.add(call);
                }
            }
            if (assistant.isEmpty()) {
                assistant.add(new ContentPart.Text(nonEmptyText(rnd)));
            }
            messages.add(new Message(Role.ASSISTANT, assistant));
            if (!calls.isEmpty()) {
                boolean oneMessage = rnd.nextBoolean();
                List<ContentPart> results = new ArrayList<>();
                for (ContentPart.ToolCall call : calls) {
                    ContentPart.ToolResult r = new ContentPart.ToolResult(
                            call.id(), rnd.nextBoolean() ? call.name() : null, resultContent(rnd), rnd.nextInt(5) == 0);
                    if (oneMessage) {
                        results.add(r);
                    } else {
                        messages.add(new Message(Role.TOOL, List.of(r)));
                    }
                }
                if (oneMessage) {
                    messages.add(new Message(Role.TOOL, results));
                }
            }
        }
        if (rnd.nextBoolean()) {
            messages.add(new Message(Role.USER, userParts(rnd)));
        }

        ChatRequest.Builder b = ChatRequest.builder("model-" + rnd.nextInt(10)).messages(messages);
        if (rnd.nextBoolean()) {
            List<Tool> tools = new ArrayList<>();
            int n = 1 + rnd.nextInt(3);
            for (int t = 0; t < n; t++) {
                tools.add(new Tool(
                        NAMES[t],
                        rnd.nextBoolean() ? "does " + NAMES[t] : null,
                        rnd.nextInt(4) == 0 ? null : schema(rnd)));
            }
            b.tools(tools);
            switch (rnd.nextInt(5)) {
                case 0 -> b.toolChoice(ToolChoice.AUTO);
                case 1 -> b.toolChoice(ToolChoice.NONE);
                case 2 -> b.toolChoice(ToolChoice.REQUIRED);
                case 3 -> b.toolChoice(ToolChoice.specific(tools.get(0).name()));
                default -> {}
            }
            if (rnd.nextInt(3) == 0) {
                b.parallelToolCalls(rnd.nextBoolean());
            }
        }
        if (rnd.nextBoolean()) {
            b.maxTokens(1 + rnd.nextInt(8000));
        }
        if (rnd.nextBoolean()) {
            b.temperature(rnd.nextInt(21) / 10.0);
        }
        if (rnd.nextBoolean()) {
            b.topP(rnd.nextInt(11) / 10.0);
        }
        if (rnd.nextBoolean()) {
            b.topK(1 + rnd.nextInt(100));
        }
        if (rnd.nextBoolean()) {
            b.stop(List.of("STOP", "\n\n"));
        }
        b.stream(rnd.nextBoolean());
        if (rnd.nextInt(4) == 0) {
            b.thinkingBudget(1024 + rnd.nextInt(4000));
        }
        if (rnd.nextBoolean()) {
            b.user("user-" + rnd.nextInt(100));
        }
        if (f.responseFormat() && rnd.nextInt(4) == 0) {
            b.responseFormat(
                    rnd.nextBoolean()
                            ? new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, null, null, false)
                            : new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, "answer", schema(rnd), true));
        }
        return b.build();
    }

    static ChatResponse response(Random rnd, Features f) {
        List<ContentPart> content = new ArrayList<>();
        if (rnd.nextInt(3) == 0) {
            content.add(
                    rnd.nextBoolean()
                            ? new ContentPart.Thinking(nonEmptyText(rnd), "sig-" + rnd.nextInt(100), issuer(rnd))
                            : new ContentPart.Thinking(nonEmptyText(rnd)));
        }
        if (f.redactedThinking() && rnd.nextInt(5) == 0) {
            content.add(new ContentPart.RedactedThinking("red-" + rnd.nextInt(100), Issuer.ANTHROPIC));
        }
        if (rnd.nextInt(4) > 0) {
            content.add(new ContentPart.Text(rnd.nextInt(6) == 0 ? "" : text(rnd)));
        }
        int calls = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(3) : 0;
        for (int c = 0; c < calls; c++) {
            if (f.emptySignatureBeforeCall() && c == 0 && rnd.nextInt(3) == 0) {
                content.add(new ContentPart.Thinking("", "sig-call", issuer(rnd)));
            }
            content.add(new ContentPart.ToolCall(
                    "toolu_" + c + rnd.nextInt(1000), NAMES[rnd.nextInt(NAMES.length)], arguments(rnd)));
        }
        List<FinishReason> reasons = List.of(FinishReason.values());
        FinishReason finish = reasons.get(rnd.nextInt(reasons.size()));
        long input = rnd.nextInt(100_000);
        long output = rnd.nextInt(10_000);
        return new ChatResponse(
                "msg_" + Long.toHexString(rnd.nextLong() & Long.MAX_VALUE),
                "model-" + rnd.nextInt(5),
                content,
                finish,
                finish == FinishReason.STOP_SEQUENCE ? "STOP" : null,
                usage(rnd, input, output),
                0);
    }

    /** Any mix of kinds within the totals: cache reads, writes (some of them for an hour), reasoning. */
    private static Usage usage(Random rnd, long input, long output) {
        long read = rnd.nextBoolean() ? rnd.nextInt((int) input + 1) : 0;
        long write = rnd.nextBoolean() ? rnd.nextInt((int) (input - read) + 1) : 0;
        long write1h = rnd.nextBoolean() ? rnd.nextInt((int) write + 1) : 0;
        long reasoning = rnd.nextBoolean() ? rnd.nextInt((int) output + 1) : 0;
        return new Usage(input, output, read, write, write1h, reasoning);
    }

    /** Any family: encoders must replay each signature to its own family only. */
    private static Issuer issuer(Random rnd) {
        return ISSUERS.get(rnd.nextInt(ISSUERS.size()));
    }

    private static List<ContentPart> userParts(Random rnd) {
        List<ContentPart> parts = new ArrayList<>();
        int n = 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            switch (rnd.nextInt(6)) {
                case 0 ->
                    parts.add(ContentPart.Image.inline(rnd.nextBoolean() ? "image/png" : "image/jpeg", "aGVsbG8=" + i));
                case 1 -> parts.add(ContentPart.Image.remote("https://example.com/img" + rnd.nextInt(100) + ".png"));
                case 2 -> parts.add(new ContentPart.Text(""));
                default -> parts.add(new ContentPart.Text(text(rnd)));
            }
        }
        return parts;
    }

    private static List<ContentPart> texts(Random rnd, int n) {
        List<ContentPart> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            parts.add(new ContentPart.Text(nonEmptyText(rnd)));
        }
        return parts;
    }

    private static String text(Random rnd) {
        int n = rnd.nextInt(5);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(WORDS[rnd.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }

    private static String nonEmptyText(Random rnd) {
        String t = text(rnd);
        return t.isEmpty() ? "text" : t;
    }

    /** Compact JSON object text, as every protocol renders tool arguments. */
    private static String arguments(Random rnd) {
        ObjectNode o = Json.NODES.objectNode();
        int n = rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            switch (rnd.nextInt(4)) {
                case 0 -> o.put("k" + i, rnd.nextInt(1000) - 500);
                case 1 -> o.put("k" + i, text(rnd));
                case 2 -> o.put("k" + i, rnd.nextBoolean());
                default -> o.putArray("k" + i).add(1).add("two").addObject().put("three", 3);
            }
        }
        return Json.string(o);
    }

    private static String resultContent(Random rnd) {
        return switch (rnd.nextInt(4)) {
            case 0 -> "";
            case 1 -> arguments(rnd);
            default -> nonEmptyText(rnd);
        };
    }

    private static ObjectNode schema(Random rnd) {
        ObjectNode s = Json.NODES.objectNode().put("type", "object");
        ObjectNode props = s.putObject("properties");
        props.putObject("q").put("type", "string");
        if (rnd.nextBoolean()) {
            props.putObject("n").put("type", "integer");
            s.putArray("required").add("q");
        }
        return s;
    }

    // ---- Chat Completions-shaped values, built from jqwik's combinators (they shrink) --------------
    //
    // Requests whose tool results each answer one call in a TOOL message of its own, replies with
    // chatcmpl- ids and a creation time, well-formed event streams and usage of every kind. The
    // Chat Completions and Responses properties are written against these shapes.

    private static Arbitrary<String> anyText() {
        return Arbitraries.strings()
                .withCharRange(' ', '~')
                .withChars('é', '☃', '\n', '\t', '"', '\\', '/')
                .ofMaxLength(24);
    }

    private static Arbitrary<String> anyNonEmptyText() {
        return anyText().filter(s -> !s.isEmpty());
    }

    private static Arbitrary<String> anyIdentifier() {
        return Arbitraries.strings()
                .withCharRange('a', 'z')
                .withChars('_')
                .ofMinLength(1)
                .ofMaxLength(12);
    }

    private static Arbitrary<String> anyArguments() {
        return Arbitraries.oneOf(
                Arbitraries.just("{}"),
                Combinators.combine(anyIdentifier(), anyText())
                        .as((k, v) -> Json.string(Json.NODES.objectNode().put(k, v))),
                Combinators.combine(anyIdentifier(), Arbitraries.integers().between(-5, 5000))
                        .as((k, v) -> "{\"" + k + "\": " + v + "}"));
    }

    private static Arbitrary<ContentPart> anyImage() {
        Arbitrary<ContentPart> inline = Combinators.combine(
                        Arbitraries.of("image/png", "image/jpeg", "image/webp", "image/gif"),
                        Arbitraries.strings()
                                .withCharRange('A', 'Z')
                                .withChars('+', '/', '=')
                                .ofMinLength(4)
                                .ofMaxLength(16))
                .as(ContentPart.Image::inline);
        Arbitrary<ContentPart> remote =
                anyIdentifier().map(s -> ContentPart.Image.remote("https://example.com/" + s + ".png"));
        return Arbitraries.oneOf(inline, remote);
    }

    private static ObjectNode namedSchema(String property) {
        ObjectNode schema = Json.NODES.objectNode().put("type", "object");
        schema.putObject("properties").putObject(property).put("type", "string");
        return schema;
    }

    /** A conversation turn; assistant turns bring the tool results that answer their calls. */
    private record Turn(Role role, List<ContentPart> content, List<ContentPart.ToolCall> calls, List<String> results) {}

    private static Arbitrary<Turn> turn() {
        Arbitrary<Turn> system = anyText()
                .list()
                .ofMinSize(1)
                .ofMaxSize(2)
                .map(ts -> new Turn(Role.SYSTEM, texts(ts), List.of(), List.of()));
        Arbitrary<Turn> user = Arbitraries.oneOf(anyText().map(ContentPart.Text::new), anyImage())
                .list()
                .ofMinSize(1)
                .ofMaxSize(3)
                .map(ps -> new Turn(Role.USER, ps, List.of(), List.of()));
        Arbitrary<List<ContentPart.ToolCall>> calls = Combinators.combine(anyIdentifier(), anyArguments())
                .as((n, a) -> new ContentPart.ToolCall(null, n, a))
                .list()
                .ofMaxSize(3);
        Arbitrary<Turn> assistant = Combinators.combine(
                        anyText().list().ofMaxSize(2),
                        Arbitraries.of(true, false),
                        anyText(),
                        calls,
                        anyText().list().ofSize(3))
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

    public static Arbitrary<ChatRequest> chatRequests() {
        Arbitrary<Tool> tool = Combinators.combine(
                        anyIdentifier(),
                        anyText().injectNull(0.3),
                        anyIdentifier().map(CanonicalGen::namedSchema).injectNull(0.3))
                .as(Tool::new);
        Arbitrary<ToolChoice> choice = Arbitraries.oneOf(
                        Arbitraries.of(ToolChoice.AUTO, ToolChoice.NONE, ToolChoice.REQUIRED),
                        anyIdentifier().map(ToolChoice::specific))
                .injectNull(0.3);
        Arbitrary<ResponseFormat> format = Arbitraries.oneOf(
                        Arbitraries.just(new ResponseFormat(ResponseFormat.Type.TEXT, null, null, false)),
                        Arbitraries.just(new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, null, null, false)),
                        Combinators.combine(
                                        anyIdentifier().injectNull(0.3), anyIdentifier(), Arbitraries.of(true, false))
                                .as((n, p, s) ->
                                        new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, n, namedSchema(p), s)))
                .injectNull(0.5);
        return Builders.withBuilder(() -> ChatRequest.builder("model"))
                .use(turn().list().ofMinSize(1).ofMaxSize(6).map(CanonicalGen::conversation))
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
                .use(anyNonEmptyText().list().ofMaxSize(3))
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
                .use(anyIdentifier().injectNull(0.5))
                .in(ChatRequest.Builder::user)
                .build(ChatRequest.Builder::build);
    }

    public static Arbitrary<ChatResponse> chatResponses() {
        Arbitrary<ContentPart> part = Arbitraries.oneOf(
                anyText().map(ContentPart.Text::new),
                Combinators.combine(anyText(), anyIdentifier().injectNull(0.5))
                        .as((t, sig) -> new ContentPart.Thinking(t, sig, sig == null ? null : Issuer.ANTHROPIC)),
                Combinators.combine(anyIdentifier().map(s -> "call_" + s), anyIdentifier(), anyArguments())
                        .as(ContentPart.ToolCall::new));
        return Combinators.combine(
                        anyIdentifier().map(s -> "chatcmpl-" + s),
                        anyIdentifier(),
                        part.list().ofMaxSize(5),
                        Arbitraries.of(FinishReason.class),
                        usage(),
                        Arbitraries.longs().between(1, 2_000_000_000L))
                .as((id, model, content, reason, usage, created) ->
                        new ChatResponse(id, model, content, reason, null, usage, created));
    }

    /** Every kind, each part within its total (as decoders produce it). */
    public static Arbitrary<Usage> usage() {
        return Combinators.combine(
                        Arbitraries.longs().between(0, 100_000),
                        Arbitraries.longs().between(0, 100_000),
                        Arbitraries.longs().between(0, 1000),
                        Arbitraries.longs().between(0, 1000),
                        Arbitraries.longs().between(0, 1000),
                        Arbitraries.longs().between(0, 1000))
                .as((uncached, visible, read, write5m, write1h, reasoning) -> new Usage(
                        uncached + read + write5m + write1h,
                        visible + reasoning,
                        read,
                        write5m + write1h,
                        write1h,
                        reasoning));
    }

    /**
     * Well-formed canonical streams: Start, a mix of text, thinking and tool-call segments, then either
     * Finish (UsageUpdate?) End, or an Error.
     */
    public static Arbitrary<List<StreamEvent>> streams() {
        Arbitrary<List<String>> deltas = anyText().list().ofMinSize(1).ofMaxSize(4);
        Arbitrary<Object[]> segment = Arbitraries.oneOf(
                deltas.map(d -> new Object[] {"text", d}),
                deltas.map(d -> new Object[] {"thinking", d}),
                Combinators.combine(
                                anyIdentifier(),
                                anyIdentifier(),
                                anyText().list().ofMaxSize(4))
                        .as((id, name, frags) -> new Object[] {"tool", "call_" + id, name, frags}));
        Arbitrary<StreamEvent> ending = Arbitraries.oneOf(
                Arbitraries.of(FinishReason.class).map(r -> new StreamEvent.Finish(r, null)),
                Combinators.combine(
                                Arbitraries.of(ErrorKind.class),
                                anyNonEmptyText().filter(m -> !m.isBlank()))
                        .as((k, m) -> new StreamEvent.Error(ApiError.of(k, m))));
        return Combinators.combine(
                        anyIdentifier(), anyIdentifier(), segment.list().ofMaxSize(6), ending, usage().injectNull(0.3))
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
