package dev.crossbar.codecs.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ErrorKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Cheap reads of a JSON object's top level without building the whole tree: the gateway passes a
 * same-protocol answer through unchanged and needs only its usage, and rewrites a request's model
 * without re-serialising the body.
 *
 * <p>One pass over the bytes checks the structure of the whole document (objects, arrays, strings,
 * numbers, literals, at most {@link Json#MAX_NESTING_DEPTH} levels) and finds the top-level members; only
 * the member wanted is handed to Jackson. Creating a Jackson parser for each answer and tokenising all of
 * it was 8% of a node's event loops (docs/benchmarks.md).
 */
public final class TopLevelScan {

    private static final byte[] MODEL = bytes("model");
    private static final byte[] ERROR = bytes("error");

    private final byte[] b;
    private int i;
    private int nameStart;
    private int nameEnd;
    private int valueStart;
    private boolean started;
    private boolean broken;
    private boolean closed;

    private TopLevelScan(byte[] body) {
        this.b = body;
    }

    /**
     * The value of the top-level member {@code wanted} (a missing node when absent or null; the last one
     * when the name repeats, as Jackson reads it).
     *
     * @param required a member a valid answer always has, or null
     * @throws CodecException 502 when the body is not a JSON object, carries a top-level {@code error}, or
     *                        lacks {@code required}
     */
    public static JsonNode member(byte[] body, String wanted, String required) {
        byte[] wantedName = bytes(wanted);
        byte[] requiredName = required == null ? null : bytes(required);
        boolean sawRequired = required == null;
        int valueStart = -1;
        int valueEnd = -1;
        TopLevelScan scan = new TopLevelScan(body);
        if (!scan.openObject()) {
            throw malformed();
        }
        while (scan.nextMember()) {
            int nameStart = scan.nameStart;
            int nameEnd = scan.nameEnd;
            if (!scan.value(1)) {
                throw malformed();
            }
            if (scan.nameIs(nameStart, nameEnd, wantedName)) {
                // the last of duplicate names wins, as in Jackson's tree
                valueStart = scan.valueStart;
                valueEnd = scan.i;
            } else if (scan.nameIs(nameStart, nameEnd, ERROR)) {
                throw malformed();
            }
            sawRequired |= requiredName != null && scan.nameIs(nameStart, nameEnd, requiredName);
        }
        if (!scan.closedAtEnd() || !sawRequired) {
            throw malformed();
        }
        if (valueStart < 0) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode value = Json.MAPPER.readTree(body, valueStart, valueEnd - valueStart);
            return value == null || value.isNull() ? MissingNode.getInstance() : value;
        } catch (IOException e) {
            throw malformed();
        }
    }

    /**
     * The body with its top-level {@code model} string replaced, every other byte kept as sent; null when
     * the body is not a well-formed object with a top-level string {@code model} (the caller then rewrites
     * the tree).
     */
    public static byte[] withModel(byte[] body, String model) {
        TopLevelScan scan = new TopLevelScan(body);
        if (!scan.openObject()) {
            return null;
        }
        int start = -1;
        int end = -1;
        while (scan.nextMember()) {
            boolean isModel = start < 0 && scan.nameIs(scan.nameStart, scan.nameEnd, MODEL);
            if (!scan.value(1)) {
                return null;
            }
            if (isModel) {
                if (body[scan.valueStart] != '"') {
                    return null;
                }
                start = scan.valueStart;
                end = scan.i;
            }
        }
        if (!scan.closedAtEnd() || start < 0) {
            return null;
        }
        byte[] quoted = quote(model);
        byte[] out = new byte[body.length - (end - start) + quoted.length];
        System.arraycopy(body, 0, out, 0, start);
        System.arraycopy(quoted, 0, out, start, quoted.length);
        System.arraycopy(body, end, out, start + quoted.length, body.length - end);
        return out;
    }

    // ---- the top level ------------------------------------------------------------------------------

    private boolean openObject() {
        skipSpace();
        if (i >= b.length || b[i] != '{') {
            return false;
        }
        i++;
        skipSpace();
        if (i < b.length && b[i] == '}') {
            i++;
            closed = true;
        }
        return true;
    }

    /** Moves to the next top-level member's value (its name in nameStart..nameEnd); false at the end. */
    private boolean nextMember() {
        if (broken || closed) {
            return false;
        }
        if (started) {
            skipSpace();
            if (i < b.length && b[i] == '}') {
                i++;
                closed = true;
                return false;
            }
            if (i >= b.length || b[i] != ',') {
                broken = true;
                return false;
            }
            i++;
            skipSpace();
        }
        if (i >= b.length || b[i] != '"') {
            broken = true;
            return false;
        }
        started = true;
        nameStart = i + 1;
        if (!string()) {
            broken = true;
            return false;
        }
        nameEnd = i - 1;
        skipSpace();
        if (i >= b.length || b[i] != ':') {
            broken = true;
            return false;
        }
        i++;
        skipSpace();
        valueStart = i;
        return true;
    }

    private boolean closedAtEnd() {
        if (broken || !closed) {
            return false;
        }
        skipSpace();
        return i == b.length;
    }

    private boolean nameIs(int start, int end, byte[] name) {
        for (int k = start; k < end; k++) {
            if (b[k] == '\\') {
                return escapedNameIs(start, end, name);
            }
        }
        if (end - start != name.length) {
            return false;
        }
        for (int k = 0; k < name.length; k++) {
            if (b[start + k] != name[k]) {
                return false;
            }
        }
        return true;
    }

    /** A name written with escapes, decoded as Jackson would (rare: no provider escapes its member names). */
    private boolean escapedNameIs(int start, int end, byte[] name) {
        try {
            String decoded = Json.MAPPER.readValue(b, start - 1, end - start + 2, String.class);
            return decoded.equals(new String(name, StandardCharsets.UTF_8));
        } catch (IOException e) {
            broken = true;
            return false;
        }
    }

    // ---- any value ----------------------------------------------------------------------------------

    /** Skips one value at {@code depth} (the top-level object is 1), checking its structure. */
    private boolean value(int depth) {
        if (i >= b.length) {
            return false;
        }
        switch (b[i]) {
            case '"':
                return string();
            case '{':
                return depth < Json.MAX_NESTING_DEPTH && container(depth + 1, '}', true);
            case '[':
                return depth < Json.MAX_NESTING_DEPTH && container(depth + 1, ']', false);
            case 't':
                return literal("true");
            case 'f':
                return literal("false");
            case 'n':
                return literal("null");
            default:
                return number();
        }
    }

    private boolean container(int depth, char close, boolean members) {
        i++;
        skipSpace();
        if (i < b.length && b[i] == close) {
            i++;
            return true;
        }
        while (true) {
            if (members) {
                if (i >= b.length || b[i] != '"' || !string()) {
                    return false;
                }
                skipSpace();
                if (i >= b.length || b[i] != ':') {
                    return false;
                }
                i++;
                skipSpace();
            }
            if (!value(depth)) {
                return false;
            }
            skipSpace();
            if (i >= b.length) {
                return false;
            }
            if (b[i] == close) {
                i++;
                return true;
            }
            if (b[i] != ',') {
                return false;
            }
            i++;
            skipSpace();
        }
    }

    /** At an opening quote: moves past the closing one. Control characters are refused, as JSON does. */
    private boolean string() {
        i++;
        while (i < b.length) {
            byte c = b[i];
            if (c == '"') {
                i++;
                return true;
            }
            if (c == '\\') {
                i += 2;
            } else if (c >= 0 && c < 0x20) {
                return false;
            } else {
                i++;
            }
        }
        return false;
    }

    private boolean literal(String word) {
        if (i + word.length() > b.length) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if (b[i + k] != word.charAt(k)) {
                return false;
            }
        }
        i += word.length();
        return true;
    }

    /** A JSON number: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}. */
    private boolean number() {
        if (i < b.length && b[i] == '-') {
            i++;
        }
        if (i >= b.length) {
            return false;
        }
        if (b[i] == '0') {
            i++;
        } else if (b[i] >= '1' && b[i] <= '9') {
            digits();
        } else {
            return false;
        }
        if (i < b.length && b[i] == '.') {
            i++;
            if (digits() == 0) {
                return false;
            }
        }
        if (i < b.length && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < b.length && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            return digits() > 0;
        }
        return true;
    }

    private int digits() {
        int start = i;
        while (i < b.length && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        return i - start;
    }

    private void skipSpace() {
        while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** {@code s} as a JSON string literal, in UTF-8. */
    static byte[] quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String ascii) {
        return ascii.getBytes(StandardCharsets.UTF_8);
    }

    private static CodecException malformed() {
        return new CodecException(ApiError.of(ErrorKind.BAD_GATEWAY, "the upstream provider returned a malformed response"));
    }
}
