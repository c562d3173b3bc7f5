package dev.crossbar.codecs.sse;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Incremental newline-delimited JSON framing: bytes in, one non-blank line per record out. */
public final class NdjsonDecoder {

    private final LineSplitter lines;

    public NdjsonDecoder() {
        this(SseDecoder.DEFAULT_MAX_EVENT_BYTES);
    }

    public NdjsonDecoder(int maxLineBytes) {
        this.lines = new LineSplitter(maxLineBytes);
    }

    public void feed(byte[] bytes, int offset, int length, Consumer<String> out) {
        lines.feed(bytes, offset, length, (line, from, count) -> emit(line, from, count, out));
    }

    /** The stream ended; emits a last line that had no newline. */
    public void finish(Consumer<String> out) {
        lines.rest((line, from, count) -> emit(line, from, count, out));
    }

    private static void emit(byte[] line, int from, int count, Consumer<String> out) {
        String text = new String(line, from, count, StandardCharsets.UTF_8);
        if (!text.isBlank()) {
            out.accept(text);
        }
    }
}
