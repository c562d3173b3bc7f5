package dev.crossbar.codecs.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The JSON the gateway reads on every call, straight from the bytes, without a Jackson parser: a request's top level
 * ({@link TopLevel#read}), an answer's usage ({@link TopLevelScan#member}, or only its integers: {@link
 * TopLevelScan#integers}) and a stream event's object ({@link Json#tree}). Creating a parser per document cost more
 * than the reading (docs/benchmarks.md, ninth pass).
 * It reads JSON as RFC 8259 has it (well-formed UTF-8, no comments, no leniency) and <em>declines</em> (returns null)
 * whatever it would have to judge the way Jackson does: anything malformed, an escaped member name it must read, a
 * number of more than 100 characters, nesting deeper than {@value #MAX_DEPTH}, a byte-order mark, an answer with a
 * top-level {@code error}. The caller then reads the bytes with Jackson, which decides and words the error. So what
 * this accepts Jackson accepts, and reads the same tree from ({@code QuickScanProperties}).
 */
final class QuickScan {

    /** Below {@link Json#MAX_NESTING_DEPTH}: anything as deep is left to Jackson's limit. */
    static final int MAX_DEPTH = 48;

    private static final int MAX_NUMBER_CHARS = 100;
    private static final int MAX_NAME_BYTES = 1000;
    private static final int MAX_BUILT_STRING_BYTES = 1 << 20;
    private static final JsonNodeFactory NODES = Json.NODES;

    /**
     * Member names seen before, by hash: a body's names are a few dozen of a small vocabulary, and a new string
     * per name and request was most of what reading names cost. Racy by design: a slot holds an immutable string
     * or null, and a lost write only costs an allocation.
     */
    private static final String[] NAMES = new String[512];

    private static final int NAME_CACHE_MAX_BYTES = 64;

    /** The bytes a string's plain run stops at: its end, an escape, a control character, a multi-byte character. */
    private static final boolean[] STOPS_PLAIN_RUN = new boolean[256];

    static {
        for (int c = 0; c < 256; c++) {
            STOPS_PLAIN_RUN[c] = c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
        }
    }

    private static final int PLAIN = 0;
    private static final int NON_ASCII = 1;
    private static final int ESCAPED = 2;

    /** Thrown to decline; without a stack trace, it costs an allocation. */
    private static final class Decline extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Decline() {
            super(null, null, false, false);
        }
    }

    private final byte[] b;
    private final int end;
    private int i;

    private QuickScan(byte[] b, int from, int end) {
        this.b = b;
        this.i = from;
        this.end = end;
    }

    /** {@link TopLevel#read}'s answer, or null to leave the body to Jackson. */
    static @Nullable TopLevel topLevel(byte[] body, Set<String> wanted) {
        QuickScan s = new QuickScan(body, 0, body.length);
        ObjectNode members = NODES.objectNode();
        List<String> names = new ArrayList<>();
        int modelStart = -1;
        int modelEnd = -1;
        int models = 0;
        try {
            if (s.objectStart()) {
                do {
                    String name = s.name();
                    names.add(name);
                    int start = s.i;
                    if (wanted.contains(name)) {
                        members.set(name, s.tree(1));
                    } else {
                        s.skip(1);
                    }
                    if (name.equals("model") && ++models == 1 && body[start] == '"') {
                        modelStart = start;
                        modelEnd = s.i;
                    }
                } while (s.another('}'));
            }
            s.documentEnd();
        } catch (Decline d) {
            return null;
        }
        ModelSpan model = models == 1 && modelStart >= 0 ? new ModelSpan(body, modelStart, modelEnd) : null;
        return new TopLevel(members, names, model);
    }

    /**
     * {@link TopLevelScan#member}'s answer for a well-formed answer that has {@code required} (when not null) and no
     * top-level {@code error}, or null to leave the body to Jackson (which refuses the others).
     */
    static @Nullable JsonNode member(byte[] body, int offset, int length, String wanted, @Nullable String required) {
        QuickScan s = new QuickScan(body, offset, offset + length);
        JsonNode found = MissingNode.getInstance();
        boolean sawRequired = required == null;
        try {
            if (s.objectStart()) {
                do {
                    int nameStart = s.nameSpan();
                    int nameLength = s.i - 1 - nameStart;
                    s.colon();
                    if (s.nameIs(nameStart, nameLength, wanted)) {
                        found = s.tree(1);
                    } else if (s.nameIs(nameStart, nameLength, "error")) {
                        return null;
                    } else {
                        sawRequired |= required != null && s.nameIs(nameStart, nameLength, required);
                        s.skip(1);
                    }
                } while (s.another('}'));
            }
            s.documentEnd();
        } catch (Decline d) {
            return null;
        }
        if (!sawRequired) {
            return null;
        }
        return found.isNull() ? MissingNode.getInstance() : found;
    }

    /**
     * {@link TopLevelScan#integers}'s answer: the integers {@code fields} names in the top-level member {@code wanted}
     * (every value {@link IntegerFields#ABSENT} when there is no such member), for a well-formed answer that has
     * {@code required} and no top-level {@code error}; or null to leave the answer to {@link #member} and its tree.
     * Declined besides what {@link #member} declines: {@code wanted} or one of the fields repeated (the tree keeps
     * the last), not an object, or a field whose value is anything but an integer of at most 18 characters (the tree
     * decides what a string, a fraction, a literal or a big number counts as).
     */
    static long @Nullable [] integers(
            byte[] body, int offset, int length, String wanted, @Nullable String required, IntegerFields fields) {
        // The walk is member()'s, read in the same pass: one walk shared by both read the usage twice and cost 2-3%
        // of a plain request's CPU (docs/benchmarks.md, twelfth pass).
        QuickScan s = new QuickScan(body, offset, offset + length);
        long[] values = fields.absent();
        boolean sawWanted = false;
        boolean sawRequired = required == null;
        try {
            if (s.objectStart()) {
                do {
                    int nameStart = s.nameSpan();
                    int nameLength = s.i - 1 - nameStart;
                    s.colon();
                    if (s.nameIs(nameStart, nameLength, wanted)) {
                        if (sawWanted || s.peek() != '{') {
                            throw new Decline();
                        }
                        sawWanted = true;
                        s.integers(fields, values, 1);
                    } else if (s.nameIs(nameStart, nameLength, "error")) {
                        return null;
                    } else {
                        sawRequired |= required != null && s.nameIs(nameStart, nameLength, required);
                        s.skip(1);
                    }
                } while (s.another('}'));
            }
            s.documentEnd();
        } catch (Decline d) {
            return null;
        }
        return sawRequired ? values : null;
    }

    /**
     * A whole JSON object as the tree {@link TreeReader} builds (what {@link Json#tree} reads), or null to leave it
     * to Jackson: anything else, and what the reads above decline.
     */
    static @Nullable JsonNode object(byte[] body, int offset, int length) {
        QuickScan s = new QuickScan(body, offset, offset + length);
        try {
            s.whitespace();
            if (s.peek() != '{') {
                return null;
            }
            JsonNode tree = s.tree(0);
            s.documentEnd();
            return tree;
        } catch (Decline d) {
            return null;
        }
    }

    /** {@link TopLevelScan#memberSpans}'s answer, or null to leave the object to the caller's parser. */
    static int @Nullable [] memberSpans(byte[] body, int from, int to) {
        QuickScan s = new QuickScan(body, from, to);
        int[] spans = new int[4 * 8];
        int n = 0;
        try {
            if (s.objectStart()) {
                do {
                    int nameStart = s.nameSpan();
                    int nameEnd = s.i - 1;
                    s.colon();
                    int valueStart = s.i;
                    s.skip(1);
                    if (n == spans.length) {
                        spans = Arrays.copyOf(spans, 2 * n);
                    }
                    spans[n] = nameStart;
                    spans[n + 1] = nameEnd;
                    spans[n + 2] = valueStart;
                    spans[n + 3] = s.i;
                    n += 4;
                } while (s.another('}'));
            }
            s.documentEnd();
        } catch (Decline d) {
            return null;
        }
        return Arrays.copyOf(spans, n);
    }

    /** The opening brace; true when a member follows, false for an empty object (its brace read too). */
    private boolean objectStart() {
        whitespace();
        expect('{');
        whitespace();
        if (peek() == '}') {
            i++;
            return false;
        }
        return true;
    }

    /** Nothing but whitespace may follow the object. */
    private void documentEnd() {
        while (i < end) {
            if (!isWhitespace(next())) {
                throw new Decline();
            }
        }
    }

    /** A member name and its colon, as a string: cached when short and plain. */
    private String name() {
        int start = nameSpan();
        int length = i - 1 - start;
        colon();
        if (length > NAME_CACHE_MAX_BYTES) {
            return new String(b, start, length, StandardCharsets.UTF_8);
        }
        int hash = 0;
        for (int k = start; k < start + length; k++) {
            if (b[k] < 0) {
                return new String(b, start, length, StandardCharsets.UTF_8);
            }
            hash = 31 * hash + b[k];
        }
        int slot = (hash ^ (hash >>> 16)) & (NAMES.length - 1);
        String cached = NAMES[slot];
        if (cached != null && nameIs(start, length, cached)) {
            return cached;
        }
        String name = new String(b, start, length, StandardCharsets.ISO_8859_1);
        NAMES[slot] = name;
        return name;
    }

    /** Reads a member name (no escapes, at most {@value #MAX_NAME_BYTES} bytes); returns where its text starts. */
    private int nameSpan() {
        int start = i + 1;
        if (string() == ESCAPED || i - 1 - start > MAX_NAME_BYTES) {
            throw new Decline();
        }
        return start;
    }

    private void colon() {
        whitespace();
        expect(':');
        whitespace();
    }

    /** Whether the name at {@code [start, start + length)} is {@code name}. */
    private boolean nameIs(int start, int length, String name) {
        for (int k = 0; k < length; k++) {
            if (b[start + k] < 0) {
                return new String(b, start, length, StandardCharsets.UTF_8).equals(name);
            }
            if (k >= name.length() || b[start + k] != name.charAt(k)) {
                return false;
            }
        }
        return length == name.length();
    }

    /** Skips the value at the cursor. */
    private void skip(int depth) {
        switch (peek()) {
            case '{' -> {
                nest(depth);
                i++;
                whitespace();
                if (peek() == '}') {
                    i++;
                    return;
                }
                do {
                    string(); // a name nothing reads: escapes are fine here
                    colon();
                    skip(depth + 1);
                } while (another('}'));
            }
            case '[' -> {
                nest(depth);
                i++;
                whitespace();
                if (peek() == ']') {
                    i++;
                    return;
                }
                do {
                    skip(depth + 1);
                } while (another(']'));
            }
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    /** The object at the cursor: the integers of {@code fields} into {@code values}, every other member skipped. */
    private void integers(IntegerFields fields, long[] values, int depth) {
        nest(depth);
        i++;
        whitespace();
        if (peek() == '}') {
            i++;
            return;
        }
        long seen = 0;
        do {
            int nameStart = nameSpan();
            int nameLength = i - 1 - nameStart;
            colon();
            int k = 0;
            while (k < fields.names.length && !nameIs(nameStart, nameLength, fields.names[k])) {
                k++;
            }
            if (k == fields.names.length) {
                skip(depth + 1);
                continue;
            }
            if ((seen & (1L << k)) != 0) {
                throw new Decline();
            }
            seen |= 1L << k;
            IntegerFields inner = fields.nested[k];
            if (inner == null) {
                values[fields.index[k]] = integer();
            } else if (peek() == '{') {
                integers(inner, values, depth + 1);
            } else {
                throw new Decline();
            }
        } while (another('}'));
    }

    /** The integer at the cursor, of at most 18 characters; declines anything else. */
    private long integer() {
        int start = i;
        if (!number() || i - start > 18) { // number() declines what is not a number at all
            throw new Decline();
        }
        return longOf(start, i);
    }

    /** The value at the cursor as the tree {@link TreeReader} builds. */
    private JsonNode tree(int depth) {
        switch (peek()) {
            case '{' -> {
                nest(depth);
                ObjectNode node = NODES.objectNode();
                i++;
                whitespace();
                if (peek() == '}') {
                    i++;
                    return node;
                }
                do {
                    String name = name();
                    node.set(name, tree(depth + 1));
                } while (another('}'));
                return node;
            }
            case '[' -> {
                nest(depth);
                ArrayNode node = NODES.arrayNode();
                i++;
                whitespace();
                if (peek() == ']') {
                    i++;
                    return node;
                }
                do {
                    node.add(tree(depth + 1));
                } while (another(']'));
                return node;
            }
            case '"' -> {
                int start = i + 1;
                int kind = string();
                int length = i - 1 - start;
                if (length > MAX_BUILT_STRING_BYTES) {
                    throw new Decline();
                }
                return NODES.textNode(
                        kind == ESCAPED
                                ? unescaped(start, length)
                                : new String(b, start, length, StandardCharsets.UTF_8));
            }
            case 't' -> {
                literal("true");
                return NODES.booleanNode(true);
            }
            case 'f' -> {
                literal("false");
                return NODES.booleanNode(false);
            }
            case 'n' -> {
                literal("null");
                return NODES.nullNode();
            }
            default -> {
                return numberNode();
            }
        }
    }

    /** The number at the cursor as Jackson types it: an int, a long, a big integer by size; a double. */
    private JsonNode numberNode() {
        int start = i;
        boolean integer = number();
        int length = i - start;
        if (integer && length <= 18) {
            long value = longOf(start, i);
            return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
        }
        String text = new String(b, start, length, StandardCharsets.ISO_8859_1);
        if (!integer) {
            return NODES.numberNode(Double.parseDouble(text));
        }
        BigInteger value = new BigInteger(text);
        return value.bitLength() < 64 ? NODES.numberNode(value.longValue()) : NODES.numberNode(value);
    }

    /** The integer literal at {@code [start, to)}, of at most 18 characters (so it fits a long). */
    private long longOf(int start, int to) {
        boolean negative = b[start] == '-';
        long value = 0;
        for (int k = negative ? start + 1 : start; k < to; k++) {
            value = value * 10 + (b[k] - '0');
        }
        return negative ? -value : value;
    }

    /** The text of a string read already (its escapes checked), its escapes resolved as Jackson resolves them. */
    private String unescaped(int start, int length) {
        StringBuilder text = new StringBuilder(length);
        int run = start;
        int k = start;
        while (k < start + length) {
            if (b[k] != '\\') {
                k++;
                continue;
            }
            text.append(new String(b, run, k - run, StandardCharsets.UTF_8));
            byte c = b[k + 1];
            k += 2;
            switch (c) {
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                case 'n' -> text.append('\n');
                case 'r' -> text.append('\r');
                case 't' -> text.append('\t');
                case 'u' -> {
                    text.append((char) Integer.parseInt(new String(b, k, 4, StandardCharsets.ISO_8859_1), 16));
                    k += 4;
                }
                default -> text.append((char) c); // the quote, the backslash and the slash stand for themselves
            }
            run = k;
        }
        return text.append(new String(b, run, k - run, StandardCharsets.UTF_8)).toString();
    }

    /**
     * After a value in an object or array closed by {@code close}: true when another value follows its comma, false
     * after the closing bracket.
     */
    private boolean another(char close) {
        whitespace();
        byte c = next();
        if (c == ',') {
            whitespace();
            return true;
        }
        if (c == close) {
            return false;
        }
        throw new Decline();
    }

    private static void nest(int depth) {
        if (depth >= MAX_DEPTH) {
            throw new Decline();
        }
    }

    /**
     * Reads a string whose opening quote is at the cursor, checking its escapes and its UTF-8; the cursor ends after
     * the closing quote.
     *
     * @return {@link #PLAIN}, {@link #NON_ASCII} or {@link #ESCAPED} (which wins)
     */
    private int string() {
        expect('"');
        int kind = PLAIN;
        while (true) {
            int at = i;
            while (at < end && !STOPS_PLAIN_RUN[b[at] & 0xff]) {
                at++;
            }
            if (at >= end) {
                throw new Decline();
            }
            int c = b[at] & 0xff;
            i = at + 1;
            if (c == '"') {
                return kind;
            }
            if (c == '\\') {
                kind = ESCAPED;
                escape();
            } else if (c < 0x20) {
                throw new Decline();
            } else {
                kind = kind == ESCAPED ? ESCAPED : NON_ASCII;
                utf8(c);
            }
        }
    }

    private void escape() {
        byte c = next();
        switch (c) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {}
            case 'u' -> {
                for (int k = 0; k < 4; k++) {
                    if (Character.digit(next(), 16) < 0) {
                        throw new Decline();
                    }
                }
            }
            default -> throw new Decline();
        }
    }

    /** The continuation bytes of a character led by {@code lead}: well-formed UTF-8 only (RFC 3629). */
    private void utf8(int lead) {
        int min = 0x80;
        int max = 0xbf;
        int more;
        if (lead >= 0xc2 && lead <= 0xdf) {
            more = 1;
        } else if (lead >= 0xe0 && lead <= 0xef) {
            more = 2;
            min = lead == 0xe0 ? 0xa0 : 0x80;
            max = lead == 0xed ? 0x9f : 0xbf;
        } else if (lead >= 0xf0 && lead <= 0xf4) {
            more = 3;
            min = lead == 0xf0 ? 0x90 : 0x80;
            max = lead == 0xf4 ? 0x8f : 0xbf;
        } else {
            throw new Decline();
        }
        for (int k = 0; k < more; k++) {
            int c = next() & 0xff;
            if (c < (k == 0 ? min : 0x80) || c > (k == 0 ? max : 0xbf)) {
                throw new Decline();
            }
        }
    }

    private void literal(String word) {
        for (int k = 0; k < word.length(); k++) {
            if (next() != word.charAt(k)) {
                throw new Decline();
            }
        }
    }

    /**
     * Reads a number as RFC 8259 writes it; what follows it is its container's to check.
     *
     * @return true for an integer, false when it has a fraction or an exponent
     */
    private boolean number() {
        int start = i;
        if (peek() == '-') {
            i++;
        }
        if (peek() == '0') {
            i++;
        } else {
            digits();
        }
        boolean integer = true;
        if (i < end && b[i] == '.') {
            i++;
            digits();
            integer = false;
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (peek() == '+' || peek() == '-') {
                i++;
            }
            digits();
            integer = false;
        }
        if (i - start > MAX_NUMBER_CHARS) {
            throw new Decline();
        }
        return integer;
    }

    /** One digit or more. */
    private void digits() {
        if (!isDigit(peek())) {
            throw new Decline();
        }
        while (i < end && isDigit(b[i])) {
            i++;
        }
    }

    /** The byte at the cursor; declines at the document's end. */
    private byte peek() {
        if (i >= end) {
            throw new Decline();
        }
        return b[i];
    }

    /** The byte at the cursor, and the cursor past it; declines at the document's end. */
    private byte next() {
        byte c = peek();
        i++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            throw new Decline();
        }
    }

    private void whitespace() {
        while (i < end && isWhitespace(b[i])) {
            i++;
        }
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isWhitespace(byte c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }
}
