package dev.crossbar.mock;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The last {@link #CAPACITY} provider requests, oldest first; shared by every event loop. */
final class RequestLog {

    static final int CAPACITY = 256;

    private final Deque<SeenRequest> seen = new ArrayDeque<>();

    void record(HttpServerRequest req, Buffer body) {
        Map<String, String> headers = new HashMap<>();
        req.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
        SeenRequest r =
                new SeenRequest(req.method().name(), req.path(), req.query(), Map.copyOf(headers), body.getBytes());
        synchronized (seen) {
            if (seen.size() == CAPACITY) {
                seen.removeFirst();
            }
            seen.addLast(r);
        }
    }

    List<SeenRequest> snapshot() {
        synchronized (seen) {
            return new ArrayList<>(seen);
        }
    }

    void clear() {
        synchronized (seen) {
            seen.clear();
        }
    }
}
