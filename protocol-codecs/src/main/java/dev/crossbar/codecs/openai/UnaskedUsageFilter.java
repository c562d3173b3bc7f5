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
        if (dataStart < 0) {
            out.write(bytes, start, end - start);
            return;
        }
        byte[] data = Arrays.copyOfRange(bytes, dataStart, dataEnd);
        if (isUsageChunk(data)) {
            return;
        }
        byte[] kept = TopLevelScan.withoutNullMember(data, "usage");
        out.write(bytes, start, dataStart - start);
        out.write(kept, 0, kept.length);
        out.write(bytes, dataEnd, end - dataEnd);
    }

    /** A chunk with a usage object and an empty {@code choices} array. */
    private static boolean isUsageChunk(byte[] data) {
        boolean usage = false;
        boolean noChoices = false;
        try (JsonParser p = Json.MAPPER.getFactory().createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("usage")) {
                    usage = value == JsonToken.START_OBJECT;
                } else if (name.equals("choices")) {
                    noChoices = value == JsonToken.START_ARRAY && p.nextToken() == JsonToken.END_ARRAY;
                    if (!noChoices) {
                        return false;
                    }
                }
                p.skipChildren();
            }
        } catch (IOException e) {
            return false;
        }
        return usage && noChoices;
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
