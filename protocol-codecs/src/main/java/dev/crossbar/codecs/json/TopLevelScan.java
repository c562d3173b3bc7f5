package dev.crossbar.codecs.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ErrorKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Cheap reads of a JSON object's top level without building the whole tree: the gateway passes a
 * same-protocol answer through unchanged and needs only its usage, and rewrites a request's model
 * without re-serialising the body.
 */
public final class TopLevelScan {

    private TopLevelScan() {}

    /**
     * The value of the top-level member {@code wanted} (a missing node when absent or null; the last one
     * when the name repeats, as in Jackson's tree).
     *
     * @param required a member a valid answer always has, or null
     * @throws CodecException 502 when the body is not a JSON object, carries a top-level {@code error}, or
     *                        lacks {@code required}
     */
    public static JsonNode member(byte[] body, String wanted, @Nullable String required) {
        return member(body, 0, body.length, wanted, required);
    }

    /** {@link #member(byte[], String, String)} of the body at {@code body[offset, offset + length)}, read in place. */
    public static JsonNode member(byte[] body, int offset, int length, String wanted, @Nullable String required) {
        JsonNode quick = QuickScan.member(body, offset, length, wanted, required);
        return quick != null ? quick : memberWithJackson(body, offset, length, wanted, required);
    }

    /**
     * The integers {@code fields} names in the top-level object member {@code wanted} of the answer at {@code
     * body[offset, offset + length)}, read without building the member's tree: one value per path, {@link
     * IntegerFields#ABSENT} where the member (or the whole member) lacks it. Null for whatever {@link #member} must
     * read instead (anything unusual: a value that is not a plain integer, a repeated name, a malformed answer, a
     * top-level {@code error}, a missing {@code required}); it then reads the same values, or refuses the answer.
     */
    public static long @Nullable [] integers(
            byte[] body, int offset, int length, String wanted, @Nullable String required, IntegerFields fields) {
        return QuickScan.integers(body, offset, length, wanted, required, fields);
    }

    /**
     * Where the members of the JSON object at {@code bytes[from, to)} lie, read without a parser: four offsets a
     * member, in order: its name's text (after the opening quote), the name's closing quote, and its value's start
     * and end. Null when the bytes are not read here (anything malformed, an escaped name, bytes after the object,
     * and whatever else {@link QuickScan} leaves to Jackson): the caller then reads them with its own parser.
     */
    public static int @Nullable [] memberSpans(byte[] bytes, int from, int to) {
        return QuickScan.memberSpans(bytes, from, to);
    }

    /** {@link #member} by Jackson's parser: for what {@link QuickScan} declines, and as its oracle in tests. */
    static JsonNode memberWithJackson(byte[] body, int offset, int length, String wanted, @Nullable String required) {
        JsonNode found = MissingNode.getInstance();
        boolean sawRequired = required == null;
        try (JsonParser p = Json.MAPPER.getFactory().createParser(body, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw malformed();
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals(wanted)) {
                    found = TreeReader.read(p);
                } else {
                    if ("error".equals(name)) {
                        throw malformed();
                    }
                    sawRequired |= name.equals(required);
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw malformed();
            }
        } catch (IOException e) {
            throw malformed();
        }
        if (!sawRequired) {
            throw malformed();
        }
        return found == null || found.isNull() ? MissingNode.getInstance() : found;
    }

    /**
     * The body with its top-level {@code model} string replaced, every other byte kept as sent; null when
     * the body has no top-level string {@code model}, or more than one {@code model} (Jackson's tree keeps
     * the last, so the caller's tree rewrite decides). For a body that has been parsed whole already.
     */
    public static byte @Nullable [] withModel(byte[] body, String model) {
        int start = -1;
        int end = -1;
        try (JsonParser p = Json.MAPPER.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (!name.equals("model")) {
                    p.skipChildren();
                } else if (start >= 0 || value != JsonToken.VALUE_STRING) {
                    return null;
                } else {
                    start = (int) p.currentTokenLocation().getByteOffset();
                    p.finishToken();
                    end = (int) p.currentLocation().getByteOffset();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return splice(body, start, end, model);
    }

    /** The body with the string value at {@code [start, end)} (its quotes included) replaced by {@code model}. */
    static byte @Nullable [] splice(byte[] body, int start, int end, String model) {
        if (start < 0 || end <= start || end > body.length || body[start] != '"' || body[end - 1] != '"') {
            return null;
        }
        byte[] escaped = JsonOutput.escapedUtf8(model);
        byte[] out = new byte[body.length - (end - start) + escaped.length + 2];
        System.arraycopy(body, 0, out, 0, start);
        out[start] = '"';
        System.arraycopy(escaped, 0, out, start + 1, escaped.length);
        out[start + 1 + escaped.length] = '"';
        System.arraycopy(body, end, out, start + escaped.length + 2, body.length - end);
        return out;
    }

    /**
     * The body with {@code member} (a name and its value as JSON text, e.g. {@code "a":1}) added as its last
     * top-level member, every other byte kept as sent; null when the body does not end with its object's
     * closing brace. For a body parsed whole already that lacks the name.
     */
    public static byte @Nullable [] withMemberAdded(byte[] body, String member) {
        int close = body.length - 1;
        while (close >= 0 && isWhitespace(body[close])) {
            close--;
        }
        if (close < 1 || body[close] != '}') {
            return null;
        }
        int before = close - 1;
        while (before > 0 && isWhitespace(body[before])) {
            before--;
        }
        byte[] added = ((body[before] == '{' ? "" : ",") + member).getBytes(StandardCharsets.UTF_8);
        int at = before + 1;
        byte[] out = new byte[body.length + added.length];
        System.arraycopy(body, 0, out, 0, at);
        System.arraycopy(added, 0, out, at, added.length);
        System.arraycopy(body, at, out, at + added.length, body.length - at);
        return out;
    }

    /**
     * The object without its top-level members named in {@code names} (every occurrence), each remaining
     * member's bytes kept as sent; the same array when it has none of them or is not one JSON object.
     */
    public static byte[] withoutMembers(byte[] json, Set<String> names) {
        List<int[]> kept = new ArrayList<>();
        int first = -1;
        int last = -1;
        boolean removed = false;
        try (JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return json;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                int start = (int) p.currentTokenLocation().getByteOffset();
                JsonToken value = p.nextToken();
                if (value.isStructStart()) {
                    p.skipChildren();
                } else {
                    p.finishToken();
                }
                int end = (int) p.currentLocation().getByteOffset();
                first = first < 0 ? start : first;
                last = end;
                if (names.contains(field)) {
                    removed = true;
                } else {
                    kept.add(new int[] {start, end});
                }
            }
        } catch (IOException e) {
            return json;
        }
        if (!removed || last > json.length) {
            return json;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length);
        out.write(json, 0, first);
        for (int i = 0; i < kept.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(json, kept.get(i)[0], kept.get(i)[1] - kept.get(i)[0]);
        }
        out.write(json, last, json.length - last);
        return out.toByteArray();
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private static CodecException malformed() {
        return new CodecException(
                ApiError.of(ErrorKind.BAD_GATEWAY, "the upstream provider returned a malformed response"));
    }
}
