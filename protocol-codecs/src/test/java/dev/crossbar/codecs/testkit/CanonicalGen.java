package dev.crossbar.codecs.testkit;

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
import dev.crossbar.codecs.model.Tool;
import dev.crossbar.codecs.model.ToolChoice;
import dev.crossbar.codecs.model.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Random canonical requests and replies for round-trip properties: text, system prompts (leading and
 * mid-conversation), multi-turn, tools, parallel tool calls and their results, images, thinking signed
 * by any family. Built procedurally from a seed, so a failure reproduces from the seed jqwik reports.
 */
public final class CanonicalGen {

    /** What a protocol can carry beyond the common ground. */
    public record Features(boolean redactedThinking, boolean responseFormat, boolean emptySignatureBeforeCall) {}

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
                new Usage(
                        input,
                        output,
                        rnd.nextBoolean() ? rnd.nextInt((int) input + 1) : 0,
                        rnd.nextBoolean() ? rnd.nextInt((int) output + 1) : 0),
                0);
    }

    /** Any family: encoders must replay each signature to its own family only. */
    private static Issuer issuer(Random rnd) {
        return Issuer.values()[rnd.nextInt(Issuer.values().length)];
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
}
