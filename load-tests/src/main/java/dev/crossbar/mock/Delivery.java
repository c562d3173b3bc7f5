package dev.crossbar.mock;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Arrays;
import java.util.List;

/**
 * Sends a successful {@link Rendering} with a plan's latency (time to first byte, delay between
 * stream chunks) and the damage of a stream {@link Fault}. Never blocks: delays are Vert.x timers.
 */
final class Delivery {

    static final String GARBAGE_BODY = "{\"id\": this is not json <<<";
    static final String GARBAGE_EVENT = "data: {\"choices\": this is not json <<<\n\n";
    /** Chunks a dropped stream sends before the connection closes (fewer for short streams). */
    static final int DROP_AFTER_CHUNKS = 3;
    /** Bytes of a plain body a stalled response sends. */
    static final int STALL_BYTES = 8;

    private final Vertx vertx;

    Delivery(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Runs {@code action} after {@code delayMs}, at once if 0. */
    void later(long delayMs, Runnable action) {
        if (delayMs <= 0) {
            action.run();
        } else {
            vertx.setTimer(delayMs, id -> action.run());
        }
    }

    /**
     * Sends {@code r} after the plan's time to first byte; {@code onServed} runs as the 2xx status
     * goes out (not at all if the client left, or for a plain request whose connection is dropped).
     */
    void deliver(HttpServerRequest req, FaultPlan plan, Fault fault, Rendering r, Runnable onServed) {
        later(plan.ttfbMs(), () -> {
            HttpServerResponse resp = req.response();
            if (resp.closed() || resp.ended()) {
                return;
            }
            if (fault == Fault.DROP && !r.stream()) {
                req.connection().close();
                return;
            }
            onServed.run();
            resp.putHeader("content-type", r.contentType());
            if (r.stream()) {
                resp.setChunked(true);
                resp.putHeader("cache-control", "no-cache");
            }
            List<String> parts = r.parts();
            switch (fault) {
                case GARBAGE -> resp.end(r.stream() ? GARBAGE_EVENT : GARBAGE_BODY);
                case TRUNCATE -> truncate(req, resp, r);
                case STALL -> {
                    if (r.stream()) {
                        resp.write(r.bytes(parts.get(0)));
                    } else {
                        resp.setChunked(true);
                        String body = parts.get(0);
                        resp.write(body.substring(0, Math.min(STALL_BYTES, body.length())));
                    }
                }
                case DROP -> {
                    int sent = Math.max(1, Math.min(DROP_AFTER_CHUNKS, parts.size() / 2));
                    sequence(
                            resp,
                            r,
                            sent,
                            plan.chunkDelayMs(),
                            () -> req.connection().close());
                }
                default -> {
                    if (!r.stream() || plan.chunkDelayMs() <= 0) {
                        resp.end(r.bytes(r.joined()));
                    } else {
                        sequence(resp, r, parts.size(), plan.chunkDelayMs(), resp::end);
                    }
                }
            }
        });
    }

    /** Writes parts[0..count) with {@code delayMs} between them, then runs {@code then}. */
    private void sequence(HttpServerResponse resp, Rendering r, int count, long delayMs, Runnable then) {
        writeFrom(resp, r, 0, count, delayMs, then);
    }

    private void writeFrom(HttpServerResponse resp, Rendering r, int i, int count, long delayMs, Runnable then) {
        if (resp.closed()) {
            return;
        }
        if (i + 1 < count) {
            resp.write(r.bytes(r.parts().get(i)));
            later(delayMs, () -> writeFrom(resp, r, i + 1, count, delayMs, then));
        } else {
            // Act only once the last chunk is flushed, so a drop really comes after it.
            resp.write(r.bytes(r.parts().get(i))).onComplete(ar -> then.run());
        }
    }

    private static void truncate(HttpServerRequest req, HttpServerResponse resp, Rendering r) {
        byte[] bytes = r.bytes(r.joined()).getBytes();
        int half = bytes.length / 2;
        if (r.stream()) {
            // Cut mid-event, then end the chunked body cleanly: no terminator ever arrives.
            while (half > 1 && bytes[half - 1] == '\n') {
                half--;
            }
            resp.end(Buffer.buffer(Arrays.copyOf(bytes, half)));
        } else {
            resp.putHeader("content-length", Integer.toString(bytes.length));
            resp.write(Buffer.buffer(Arrays.copyOf(bytes, half)))
                    .onComplete(ar -> req.connection().close());
        }
    }
}
