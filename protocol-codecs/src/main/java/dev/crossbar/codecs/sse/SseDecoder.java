package dev.crossbar.codecs.sse;

import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Incremental server-sent-events parser (the WHATWG event-stream format): bytes in, split at any
 * boundary, {@link SseEvent}s out. Comments are skipped, multi-line data is joined with LF, an event
 * without data is not dispatched, and {@code retry} is ignored. Not thread-safe.
 */
public final class SseDecoder {

    /** Upper bound on one event's size; larger means a broken or hostile upstream. */
    public static final int DEFAULT_MAX_EVENT_BYTES = 16 * 1024 * 1024;

    private final LineSplitter lines;
    private final int maxEventBytes;
    private final StringBuilder data = new StringBuilder();
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
        lines.feed(bytes, offset, length, this::onLine);
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
        String rest = lines.rest();
        if (rest != null) {
            onLine(rest);
        }
        boolean pending = hasData || eventName != null;
        onLine("");
        return rest == null && !pending;
    }

    private void onLine(String line) {
        if (line.isEmpty()) {
            dispatch();
            return;
        }
        if (line.charAt(0) == ':') {
            return;
        }
        eventBytes += line.length();
        if (eventBytes > maxEventBytes) {
            throw new StreamFormatException("stream event larger than " + maxEventBytes + " bytes");
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = "";
        if (colon >= 0) {
            int start = colon + 1;
            if (start < line.length() && line.charAt(start) == ' ') {
                start++;
            }
            value = line.substring(start);
        }
        switch (field) {
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            case "event" -> eventName = value;
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastId = value;
                }
            }
            default -> {
                // "retry" and unknown fields are ignored, as the spec says.
            }
        }
    }

    private void dispatch() {
        if (hasData) {
            sink.accept(new SseEvent(eventName, data.toString(), lastId));
        }
        data.setLength(0);
        hasData = false;
        eventName = null;
        eventBytes = 0;
    }
}
