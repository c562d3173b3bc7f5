package dev.crossbar.mock;

import java.util.List;

/**
 * A successful response body ready to send: one JSON body, or the SSE events of a stream (each
 * part a whole event, terminator included).
 */
record Rendering(String contentType, boolean stream, List<String> parts) {

    static final String JSON = "application/json";
    static final String SSE = "text/event-stream";

    static Rendering json(String body) {
        return new Rendering(JSON, false, List.of(body));
    }

    static Rendering sse(List<String> events) {
        return new Rendering(SSE, true, List.copyOf(events));
    }

    String joined() {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        int size = 0;
        for (String p : parts) {
            size += p.length();
        }
        StringBuilder sb = new StringBuilder(size);
        parts.forEach(sb::append);
        return sb.toString();
    }
}
