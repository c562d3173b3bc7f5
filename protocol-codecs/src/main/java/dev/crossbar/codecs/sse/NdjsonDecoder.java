package dev.crossbar.codecs.sse;

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
        lines.feed(bytes, offset, length, line -> {
            if (!line.isBlank()) {
                out.accept(line);
            }
        });
    }

    /** The stream ended; emits a last line that had no newline. */
    public void finish(Consumer<String> out) {
        String rest = lines.rest();
        if (rest != null && !rest.isBlank()) {
            out.accept(rest);
        }
    }
}
