package dev.crossbar.codecs.sse;

import org.jspecify.annotations.Nullable;

/** One server-sent event. {@code event} and {@code id} are null when the stream did not name them. */
public record SseEvent(
        @Nullable String event, String data, @Nullable String id) {

    public static SseEvent data(String data) {
        return new SseEvent(null, data, null);
    }
}
