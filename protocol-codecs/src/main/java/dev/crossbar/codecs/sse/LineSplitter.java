package dev.crossbar.codecs.sse;

import java.util.Arrays;

/**
 * Splits a byte stream into lines ended by LF, CR or CRLF, across chunks split anywhere (a CRLF split
 * between two chunks included). A line is handed over as bytes only once whole, so a multi-byte character
 * split by a chunk boundary survives: straight from the chunk when it lies within one, from the splitter's
 * own buffer when chunks split it. Not thread-safe.
 */
final class LineSplitter {

    /** Takes one line, without its end; the bytes are valid only during the call. */
    interface LineHandler {
        void line(byte[] bytes, int from, int length);
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
            if (i == end) {
                append(bytes, runStart, i - runStart);
                return;
            }
            if (length == 0) {
                checkLength(i - runStart);
                handler.line(bytes, runStart, i - runStart);
            } else {
                append(bytes, runStart, i - runStart);
                handOver(handler);
            }
            byte terminator = bytes[i++];
            if (terminator == '\r') {
                if (i == end) {
                    afterCarriageReturn = true;
                } else if (bytes[i] == '\n') {
                    i++;
                }
            }
        }
    }

    /** Hands over the unterminated last line, if any (then forgets it); false when there is none. */
    boolean rest(LineHandler handler) {
        if (length == 0) {
            return false;
        }
        handOver(handler);
        return true;
    }

    private void handOver(LineHandler handler) {
        int line = length;
        length = 0;
        handler.line(buffer, 0, line);
    }

    private void append(byte[] bytes, int from, int count) {
        if (count == 0) {
            return;
        }
        int needed = length + count;
        checkLength(needed);
        if (needed > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.min(maxLineBytes, Math.max(needed, buffer.length * 2)));
        }
        System.arraycopy(bytes, from, buffer, length, count);
        length = needed;
    }

    private void checkLength(int lineBytes) {
        if (lineBytes > maxLineBytes) {
            throw new StreamFormatException("stream line longer than " + maxLineBytes + " bytes");
        }
    }
}
