package dev.crossbar.codecs.sse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Splits a byte stream into lines ended by LF, CR or CRLF, across chunks split anywhere (a CRLF split
 * between two chunks included). Lines are decoded as UTF-8 only once whole, so a multi-byte character
 * split by a chunk boundary survives. Not thread-safe.
 */
final class LineSplitter {

    interface LineHandler {
        void line(String line);
    }

    private final int maxLineBytes;
    private byte[] buffer = new byte[256];
    private int length;
    private boolean afterCarriageReturn;

    LineSplitter(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    void feed(byte[] bytes, int offset, int count, LineHandler handler) {
        int end = offset + count;
        int i = offset;
        if (afterCarriageReturn && i < end) {
            afterCarriageReturn = false;
            if (bytes[i] == '\n') {
                i++;
            }
        }
        while (i < end) {
            int runStart = i;
            while (i < end && bytes[i] != '\n' && bytes[i] != '\r') {
                i++;
            }
            append(bytes, runStart, i - runStart);
            if (i == end) {
                return;
            }
            byte terminator = bytes[i++];
            handler.line(takeLine());
            if (terminator == '\r') {
                if (i == end) {
                    afterCarriageReturn = true;
                } else if (bytes[i] == '\n') {
                    i++;
                }
            }
        }
    }

    /** The unterminated last line, if any (then forgets it). */
    @Nullable
    String rest() {
        return length == 0 ? null : takeLine();
    }

    boolean hasPartialLine() {
        return length > 0;
    }

    private void append(byte[] bytes, int from, int count) {
        if (count == 0) {
            return;
        }
        int needed = length + count;
        if (needed > maxLineBytes) {
            throw new StreamFormatException("stream line longer than " + maxLineBytes + " bytes");
        }
        if (needed > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.min(maxLineBytes, Math.max(needed, buffer.length * 2)));
        }
        System.arraycopy(bytes, from, buffer, length, count);
        length = needed;
    }

    private String takeLine() {
        String line = length == 0 ? "" : new String(buffer, 0, length, StandardCharsets.UTF_8);
        length = 0;
        return line;
    }
}
