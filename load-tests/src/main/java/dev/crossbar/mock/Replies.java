package dev.crossbar.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The deterministic replies shared by all three protocols:
 * <ul>
 *   <li>last message a tool result: {@code "tool said: " + result};
 *   <li>tools offered and the last message the user's: a call to the tool {@link ToolPick} chooses, with the
 *       arguments the user's text dictates or else each required string argument set to the user's text
 *       (numbers 0, booleans false, other types left out);
 *   <li>JSON output asked for: a JSON value of the requested schema ({@link #example});
 *   <li>otherwise {@code "echo: " + last user text}.
 * </ul>
 * Tokens are characters / 4 rounded up; a reply over the max tokens is cut to max * 4 characters. A
 * {@code mock:usage} directive in the last user text adds cache reads, cache writes and reasoning
 * ({@link TokenKinds}).
 */
final class Replies {

    static final String ECHO = "echo: ";
    static final String TOOL_SAID = "tool said: ";
    private static final String[] PADDING = {" lorem", " ipsum", " dolor", " sit", " amet"};
    private static final int TOOL_FRAGMENTS = 3;

    private Replies() {}

    static long tokens(long chars) {
        return (chars + 3) / 4;
    }

    /** The reply, padded to at least {@code streamChunks} chunks if it is text. */
    static Reply reply(ReplyRequest rq, int streamChunks) {
        long inputTokens = tokens(rq.inputChars());
        TokenKinds kinds = TokenKinds.from(rq.lastUserText());
        if (rq.toolResult() == null && rq.tool() != null) {
            return toolCall(rq, inputTokens, kinds);
        }
        String text;
        if (rq.jsonSchema() != null) {
            text = Json.write(example(rq.jsonSchema(), rq.lastUserText()));
        } else {
            text = rq.toolResult() != null ? TOOL_SAID + rq.toolResult() : ECHO + rq.lastUserText();
        }
        List<String> chunks = words(text);
        if (rq.jsonSchema() == null && chunks.size() < streamChunks) {
            StringBuilder sb = new StringBuilder(text);
            for (int i = 0; chunks.size() + i < streamChunks; i++) {
                sb.append(PADDING[i % PADDING.length]);
            }
            text = sb.toString();
            chunks = words(text);
        }
        long output = tokens(text.length());
        Long max = rq.maxTokens();
        if (max != null && max < output) {
            text = text.substring(0, (int) (max * 4));
            return new Reply.Text(text, words(text), inputTokens, max, true, kinds);
        }
        return new Reply.Text(text, chunks, inputTokens, output, false, kinds);
    }

    private static Reply toolCall(ReplyRequest rq, long inputTokens, TokenKinds kinds) {
        JsonNode dictated = rq.tool().arguments();
        ObjectNode args =
                dictated != null ? (ObjectNode) dictated : arguments(rq.tool().schema(), rq.lastUserText());
        String json = Json.write(args);
        long output = tokens(json.length());
        Long max = rq.maxTokens();
        boolean truncated = max != null && max < output;
        if (truncated) {
            json = json.substring(0, (int) (max * 4));
            output = max;
            args = Json.object();
        }
        return new Reply.ToolCall(rq.tool().name(), json, args, fragments(json), inputTokens, output, truncated, kinds);
    }

    /** Arguments for a schema: each required property by its type, unknown types left out. */
    static ObjectNode arguments(JsonNode schema, String text) {
        ObjectNode args = Json.object();
        if (schema == null || !schema.isObject()) {
            return args;
        }
        JsonNode props = schema.path("properties");
        for (JsonNode req : schema.path("required")) {
            String name = req.asText();
            String type = typeOf(props.get(name));
            if (type == null) {
                continue;
            }
            switch (type) {
                case "string" -> args.put(name, text);
                case "number", "integer" -> args.put(name, 0);
                case "boolean" -> args.put(name, false);
                default -> {}
            }
        }
        return args;
    }

    /**
     * A value of {@code schema}: every property of an object (required or not), strings set to
     * {@code text} (or the first {@code enum} value, or the {@code const}), numbers 0, booleans false,
     * arrays with one item when {@code minItems} asks for one and empty otherwise, the first choice of
     * {@code anyOf}/{@code oneOf}; anything unknown is null.
     */
    static JsonNode example(JsonNode schema, String text) {
        if (schema == null || !schema.isObject()) {
            return Json.MAPPER.nullNode();
        }
        if (schema.has("const")) {
            return schema.get("const");
        }
        if (schema.path("enum").isArray() && !schema.path("enum").isEmpty()) {
            return schema.path("enum").get(0);
        }
        for (String choice : new String[] {"anyOf", "oneOf", "allOf"}) {
            if (schema.path(choice).isArray() && !schema.path(choice).isEmpty()) {
                return example(schema.path(choice).get(0), text);
            }
        }
        String type = typeOf(schema);
        if (type == null && schema.has("properties")) {
            type = "object";
        }
        if (type == null) {
            return schema.isEmpty() ? Json.object() : Json.MAPPER.nullNode();
        }
        switch (type) {
            case "object" -> {
                ObjectNode out = Json.object();
                schema.path("properties")
                        .fields()
                        .forEachRemaining(p -> out.set(p.getKey(), example(p.getValue(), text)));
                return out;
            }
            case "array" -> {
                ArrayNode out = Json.MAPPER.createArrayNode();
                if (schema.path("minItems").asInt(0) > 0) {
                    out.add(example(schema.get("items"), text));
                }
                return out;
            }
            case "string" -> {
                return Json.MAPPER.getNodeFactory().textNode(text);
            }
            case "number", "integer" -> {
                return Json.MAPPER.getNodeFactory().numberNode(0);
            }
            case "boolean" -> {
                return Json.MAPPER.getNodeFactory().booleanNode(false);
            }
            default -> {
                return Json.MAPPER.nullNode();
            }
        }
    }

    private static String typeOf(JsonNode prop) {
        if (prop == null) {
            return null;
        }
        JsonNode type = prop.get("type");
        if (type != null && type.isArray()) {
            for (JsonNode t : type) {
                if (!"null".equalsIgnoreCase(t.asText())) {
                    return t.asText().toLowerCase(Locale.ROOT);
                }
            }
            return null;
        }
        return type != null && type.isTextual() ? type.textValue().toLowerCase(Locale.ROOT) : null;
    }

    /** Splits before every space, keeping the spaces: "echo: a b" is "echo:", " a", " b". */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i < text.length(); i++) {
            if (text.charAt(i) == ' ') {
                out.add(text.substring(start, i));
                start = i;
            }
        }
        if (start < text.length()) {
            out.add(text.substring(start));
        }
        return out;
    }

    /** Up to three pieces of roughly equal length; none for an empty string. */
    static List<String> fragments(String s) {
        List<String> out = new ArrayList<>(TOOL_FRAGMENTS);
        int size = Math.max(1, (s.length() + TOOL_FRAGMENTS - 1) / TOOL_FRAGMENTS);
        for (int i = 0; i < s.length(); i += size) {
            out.add(s.substring(i, Math.min(s.length(), i + size)));
        }
        return out;
    }
}
