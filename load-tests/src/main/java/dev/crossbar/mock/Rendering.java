package dev.crossbar.mock;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A successful response body ready to send: one JSON body, or the SSE events of a stream (each
 * part a whole event, terminator included).
 */
record Rendering(String contentType, boolean stream, List<String> parts) {

    static final String JSON = "application/json";
    static final String SSE = "text/event-stream";
    /** AWS's binary event stream: each part is one message's bytes held one char a byte (ISO-8859-1). */
    static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

    /** The messages of an AWS event stream, one part each. */
    static Rendering eventStream(List<byte[]> messages) {
        List<String> parts = new java.util.ArrayList<>(messages.size());
        messages.forEach(m -> parts.add(new String(m, java.nio.charset.StandardCharsets.ISO_8859_1)));
        return new Rendering(EVENT_STREAM, true, parts);
    }

    /** The bytes to send for a part (or parts joined): UTF-8 text, or an event stream's bytes as they are. */
    Buffer bytes(String part) {
        return Buffer.buffer(part.getBytes(
                EVENT_STREAM.equals(contentType)
                        ? java.nio.charset.StandardCharsets.ISO_8859_1
                        : java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * A top-level request member no provider knows: the mock puts its value back into the answer under the
     * same name (the whole body's last member, or the first member of a stream's first JSON event), so a test
     * can see unknown fields travel both ways.
     */
    static final String EXTRA = "mock_extra";

    static Rendering json(String body) {
        return new Rendering(JSON, false, List.of(body));
    }

    static Rendering sse(List<String> events) {
        return new Rendering(SSE, true, List.copyOf(events));
    }

    /** This answer carrying {@code extraJson} as {@value #EXTRA} (see there). */
    Rendering withExtra(String extraJson) {
        String member = "\"" + EXTRA + "\":" + extraJson;
        List<String> out = new ArrayList<>(parts);
        if (!stream) {
            String body = out.get(0);
            int close = body.lastIndexOf('}');
            out.set(0, body.substring(0, close) + "," + member + body.substring(close));
        } else {
            for (int i = 0; i < out.size(); i++) {
                int at = out.get(i).indexOf("data: {");
                if (at >= 0) {
                    String event = out.get(i);
                    int open = at + "data: {".length();
                    out.set(i, event.substring(0, open) + member + "," + event.substring(open));
                    break;
                }
            }
        }
        return new Rendering(contentType, stream, List.copyOf(out));
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
