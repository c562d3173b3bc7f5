package dev.crossbar.codecs.sse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Incremental server-sent-events parser (the WHATWG event-stream format): bytes in, split at any
 * boundary, {@link SseEvent}s out. Comments are skipped, multi-line data is joined with LF, an event
 * without data is not dispatched, and {@code retry} is ignored. An event's data is gathered as bytes and
 * decoded once, when the event is dispatched. Not thread-safe.
 */
public final class SseDecoder {

    /** Upper bound on one event's size; larger means a broken or hostile upstream. */
    public static final int DEFAULT_MAX_EVENT_BYTES = 16 * 1024 * 1024;

    private static final byte[] DATA = {'d', 'a', 't', 'a'};
    private static final byte[] EVENT = {'e', 'v', 'e', 'n', 't'};
    private static final byte[] ID = {'i', 'd'};
    private static final byte[] NEWLINE = {'\n'};
    /** A data buffer a large event grew is given back above this size. */
    private static final int MAX_KEPT_DATA_BYTES = 64 * 1024;

    private final LineSplitter lines;
    private final LineSplitter.LineHandler onLine = this::onLine;
    private final int maxEventBytes;
    private byte[] data = new byte[256];
    private int dataLength;
    private @Nullable String eventName;
    private @Nullable String lastId;
    private boolean hasData;
    private int eventBytes;
    private Consumer<SseEvent> sink = event -> {};

    public SseDecoder() {
        this(DEFAULT_MAX_EVENT_BYTES);
    }

    public SseDecoder(int maxEventBytes) {
        this.maxEventBytes = maxEventBytes;
        this.lines = new LineSplitter(maxEventBytes);
    }

    /**
     * Parses the next chunk.
     *
     * @throws StreamFormatException when an event exceeds the size cap
     */
    public void feed(byte[] bytes, int offset, int length, Consumer<SseEvent> out) {
        sink = out;
        lines.feed(bytes, offset, length, onLine);
    }

    public void feed(byte[] bytes, Consumer<SseEvent> out) {
        feed(bytes, 0, bytes.length, out);
    }

    /**
     * The stream ended. Dispatches an event the server did not close with a blank line (lenient, as many
     * servers omit it on the last event).
     *
     * @return true when nothing was left half-received
     */
    public boolean finish(Consumer<SseEvent> out) {
        sink = out;
        boolean rest = lines.rest(onLine);
        boolean pending = hasData || eventName != null;
        dispatch();
        return !rest && !pending;
    }

    private void onLine(byte[] line, int from, int length) {
        if (length == 0) {
            dispatch();
            return;
        }
        if (line[from] == ':') {
            return;
        }
        eventBytes += length;
        if (eventBytes > maxEventBytes) {
            throw new StreamFormatException("stream event larger than " + maxEventBytes + " bytes");
        }
        int end = from + length;
        int colon = from;
        while (colon < end && line[colon] != ':') {
            colon++;
        }
        int value = colon < end ? colon + 1 : end;
        if (value < end && line[value] == ' ') {
            value++;
        }
        if (is(DATA, line, from, colon)) {
            if (hasData) {
                appendData(NEWLINE, 0, 1);
            }
            appendData(line, value, end - value);
            hasData = true;
        } else if (is(EVENT, line, from, colon)) {
            eventName = new String(line, value, end - value, StandardCharsets.UTF_8);
        } else if (is(ID, line, from, colon)) {
            String id = new String(line, value, end - value, StandardCharsets.UTF_8);
            if (id.indexOf('\0') < 0) {
                lastId = id;
            }
        }
        // "retry" and unknown fields are ignored, as the spec says.
    }

    private static boolean is(byte[] field, byte[] line, int from, int to) {
        return Arrays.equals(field, 0, field.length, line, from, to);
    }

    private void appendData(byte[] bytes, int from, int count) {
        int needed = dataLength + count;
        if (needed > data.length) {
            data = Arrays.copyOf(data, Math.max(needed, data.length * 2));
        }
        System.arraycopy(bytes, from, data, dataLength, count);
        dataLength = needed;
    }

    private void dispatch() {
        if (hasData) {
            sink.accept(new SseEvent(eventName, new String(data, 0, dataLength, StandardCharsets.UTF_8), lastId));
        }
        dataLength = 0;
        if (data.length > MAX_KEPT_DATA_BYTES) {
            data = new byte[256];
        }
        hasData = false;
        eventName = null;
        eventBytes = 0;
    }
}
