package dev.crossbar.codecs.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.json.TopLevelScan;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Takes out of a Chat Completions stream passed through unchanged what the gateway asked for on its own
 * account with {@code stream_options.include_usage}: the last chunk, which carries only the usage
 * ({@code "choices":[]}), and the {@code "usage":null} member of every other chunk. The client then reads
 * the stream it would have read. Fed whole events only (a pass-through relay forwards nothing else, but
 * for a last event the upstream ended without its empty line); an event it does not recognise passes
 * unchanged. Stateless.
 */
public final class UnaskedUsageFilter {

    private static final byte[] DATA = {'d', 'a', 't', 'a', ':'};
    private static final byte[] USAGE = {'u', 's', 'a', 'g', 'e'};
    private static final byte[] CHOICES = {'c', 'h', 'o', 'i', 'c', 'e', 's'};

    /** The events of {@code bytes[from, to)} as the client would have had them. */
    public byte[] filter(byte[] bytes, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        int eventStart = from;
        int dataStart = -1;
        int dataEnd = -1;
        int dataLines = 0;
        int i = from;
        while (i < to) {
            int lineEnd = i;
            while (lineEnd < to && bytes[lineEnd] != '\n' && bytes[lineEnd] != '\r') {
                lineEnd++;
            }
            int next = lineEnd;
            if (next < to) {
                next += bytes[next] == '\r' && next + 1 < to && bytes[next + 1] == '\n' ? 2 : 1;
            }
            if (lineEnd == i && lineEnd < to) {
                event(out, bytes, eventStart, next, dataLines == 1 ? dataStart : -1, dataEnd);
                eventStart = next;
                dataLines = 0;
            } else if (startsWith(bytes, i, lineEnd, DATA)) {
                dataLines++;
                dataStart = i + DATA.length < lineEnd && bytes[i + DATA.length] == ' ' ? i + DATA.length + 1 : i + 5;
                dataEnd = lineEnd;
            }
            i = next;
        }
        if (eventStart < to) {
            // The stream's last event, when the upstream ended without its empty line.
            event(out, bytes, eventStart, to, dataLines == 1 ? dataStart : -1, dataEnd);
        }
        return out.toByteArray();
    }

    /** Writes one event: dropped when it is the usage chunk, without its null usage otherwise. */
    private static void event(ByteArrayOutputStream out, byte[] bytes, int start, int end, int dataStart, int dataEnd) {
        Cut cut = dataStart < 0 ? Cut.NOTHING : cut(bytes, dataStart, dataEnd);
        if (cut == Cut.EVENT) {
            return;
        }
        if (cut == Cut.NOTHING) {
            out.write(bytes, start, end - start);
            return;
        }
        out.write(bytes, start, cut.from - start);
        out.write(bytes, cut.to, end - cut.to);
    }

    /**
     * What to take out of one event's data {@code bytes[from, to)}: the whole event when it is the usage chunk (a
     * usage object and an empty {@code choices} array), the (last) {@code "usage":null} member with its comma, or
     * nothing (text that is not one JSON object included). Read from the members' spans; what the scan leaves alone
     * goes to Jackson's parser.
     */
    static Cut cut(byte[] bytes, int from, int to) {
        int[] spans = TopLevelScan.memberSpans(bytes, from, to);
        if (spans == null) {
            return cutWithJackson(bytes, from, to);
        }
        boolean usageObject = false;
        boolean noChoices = false;
        int nullFrom = -1;
        int nullTo = -1;
        for (int k = 0; k < spans.length; k += 4) {
            int valueStart = spans[k + 2];
            if (named(bytes, spans[k], spans[k + 1], USAGE)) {
                usageObject = bytes[valueStart] == '{';
                if (bytes[valueStart] == 'n') {
                    nullFrom = spans[k] - 1;
                    nullTo = spans[k + 3];
                }
            } else if (named(bytes, spans[k], spans[k + 1], CHOICES)) {
                noChoices = isEmptyArray(bytes, valueStart, spans[k + 3]);
            }
        }
        return cut(bytes, from, to, usageObject && noChoices, nullFrom, nullTo);
    }

    /** {@link #cut} by Jackson's parser, for what the scan leaves alone. */
    static Cut cutWithJackson(byte[] bytes, int from, int to) {
        boolean usageObject = false;
        boolean noChoices = false;
        int nullFrom = -1;
        int nullTo = -1;
        try (JsonParser p = Json.MAPPER.getFactory().createParser(bytes, from, to - from)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Cut.NOTHING;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                int nameAt = from + (int) p.currentTokenLocation().getByteOffset();
                JsonToken value = p.nextToken();
                if (name.equals("usage")) {
                    usageObject = value == JsonToken.START_OBJECT;
                    if (value == JsonToken.VALUE_NULL) {
                        nullFrom = nameAt;
                        nullTo = from + (int) p.currentLocation().getByteOffset();
                    }
                } else if (name.equals("choices")) {
                    noChoices = isEmptyArray(p);
                }
                p.skipChildren();
            }
        } catch (IOException e) {
            return Cut.NOTHING;
        }
        return cut(bytes, from, to, usageObject && noChoices, nullFrom, nullTo);
    }

    private static Cut cut(byte[] bytes, int from, int to, boolean usageChunk, int nullFrom, int nullTo) {
        if (usageChunk) {
            return Cut.EVENT;
        }
        return nullFrom < 0 || nullTo > to ? Cut.NOTHING : withComma(bytes, from, to, nullFrom, nullTo);
    }

    /** Whether the name's text {@code bytes[start, end)} is {@code name} (ASCII). */
    private static boolean named(byte[] bytes, int start, int end, byte[] name) {
        return Arrays.equals(bytes, start, end, name, 0, name.length);
    }

    /** Whether the array at {@code bytes[start, end)} (well-formed) is empty. */
    private static boolean isEmptyArray(byte[] bytes, int start, int end) {
        if (bytes[start] != '[') {
            return false;
        }
        int k = start + 1;
        while (k < end && isWhitespace(bytes[k])) {
            k++;
        }
        return k < end && bytes[k] == ']';
    }

    /** Whether the value at the parser is an empty array; the parser is left on the value's last token. */
    private static boolean isEmptyArray(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            return false;
        }
        boolean empty = true;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == null) {
                throw new IOException("the array does not end");
            }
            empty = false;
            p.skipChildren();
        }
        return empty;
    }

    /** The member at {@code [start, end)} with the comma before it, or else the one after it. */
    private static Cut withComma(byte[] bytes, int from, int to, int start, int end) {
        int comma = start - 1;
        while (comma >= from && isWhitespace(bytes[comma])) {
            comma--;
        }
        if (comma >= from && bytes[comma] == ',') {
            return new Cut(comma, end);
        }
        int after = end;
        while (after < to && isWhitespace(bytes[after])) {
            after++;
        }
        return new Cut(start, after < to && bytes[after] == ',' ? after + 1 : end);
    }

    /** Bytes of an event to leave out: {@code [from, to)}, or the whole event, or none (told apart by identity). */
    static final class Cut {
        static final Cut NOTHING = new Cut(0, 0);
        static final Cut EVENT = new Cut(-1, -1);

        final int from;
        final int to;

        Cut(int from, int to) {
            this.from = from;
            this.to = to;
        }
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private static boolean startsWith(byte[] bytes, int from, int to, byte[] prefix) {
        if (to - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
