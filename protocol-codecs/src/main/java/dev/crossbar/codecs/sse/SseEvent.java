package dev.crossbar.codecs.sse;

/** One server-sent event. {@code event} and {@code id} are null when the stream did not name them. */
public record SseEvent(String event, String data, String id) {

    public static SseEvent data(String data) {
        return new SseEvent(null, data, null);
    }
}
