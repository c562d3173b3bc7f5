package dev.crossbar.gateway.upstream;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.impl.headers.HeadersAdaptor;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;

/**
 * A call on an {@link Http1Pool}: waiting for a connection, then sent on one, then its answer. The body is held while
 * the answer is paused or has no handler yet, and the connection stops reading while paused. On the pool's loop.
 */
final class Http1Call implements ProviderCall, ProviderAnswer {

    /** Held in place of a piece of the body: the body ended. */
    private static final Object END = new Object();

    private final Http1Pool pool;
    private final Promise<ProviderAnswer> answer = Promise.promise();
    /** Until it is written, or dropped with a call cut off before it was. */
    private @Nullable FullHttpRequest request;

    private @Nullable Http1Connection connection;
    private int status;
    private @Nullable MultiMap headers;
    private @Nullable Handler<Buffer> handler;
    private @Nullable Handler<Void> endHandler;
    private @Nullable Handler<Throwable> exceptionHandler;
    private boolean paused;
    /** What came while paused or before the handlers: pieces of the body, then {@link #END}; null until then. */
    private @Nullable ArrayDeque<Object> held;
    /** Ended whole, failed or cut off: nothing more is delivered. */
    private boolean done;

    Http1Call(Http1Pool pool, FullHttpRequest request) {
        this.pool = pool;
        this.request = request;
    }

    @Override
    public Future<ProviderAnswer> answer() {
        return answer.future();
    }

    @Override
    public boolean sent() {
        return connection != null;
    }

    /** True while the call waits for a connection to be sent on. */
    boolean waitingForConnection() {
        return connection == null && !done;
    }

    /** The request to write, once: its body's buffer is the connection's to release from then on. */
    FullHttpRequest takeRequest() {
        FullHttpRequest taken = Objects.requireNonNull(request, "taken once");
        request = null;
        return taken;
    }

    void sentOn(Http1Connection on) {
        connection = on;
    }

    @Override
    public void reset(Throwable cause) {
        if (done) {
            return;
        }
        Http1Connection on = connection;
        if (on == null) {
            pool.forget(this);
            FullHttpRequest unsent = request;
            request = null;
            if (unsent != null) {
                unsent.release();
            }
        } else if (on.carries(this)) {
            on.close();
        }
        // As Vert.x's client does, a body cut off by its reader hears of it on a later turn, not inside the reset.
        fail(cause, true);
    }

    @Override
    public void reset() {
        reset(new CancellationException("the call was cut off"));
    }

    void head(int status, HttpHeaders headers) {
        this.status = status;
        this.headers = new HeadersAdaptor(headers);
        answer.tryComplete(this);
    }

    void chunk(Buffer piece) {
        if (done) {
            return;
        }
        Handler<Buffer> h = handler;
        if (paused || h == null || holding()) {
            hold(piece);
        } else {
            h.handle(piece);
        }
    }

    void end() {
        if (done) {
            return;
        }
        if (paused || endHandler == null || holding()) {
            hold(END);
        } else {
            finish();
        }
    }

    /** The call could not be made, or its connection failed: its answer, or its body, fails. */
    void fail(Throwable cause) {
        fail(cause, false);
    }

    /** Fails the answer, or tells the body's reader: now, or on a {@code later} turn of the loop. */
    private void fail(Throwable cause, boolean later) {
        if (done) {
            return;
        }
        done = true;
        held = null;
        if (answer.tryFail(cause)) {
            return;
        }
        Handler<Throwable> h = exceptionHandler;
        if (h == null) {
            return;
        }
        if (later) {
            pool.later(() -> h.handle(cause));
        } else {
            h.handle(cause);
        }
    }

    private void finish() {
        done = true;
        Handler<Void> h = endHandler;
        if (h != null) {
            h.handle(null);
        }
    }

    private void hold(Object piece) {
        ArrayDeque<Object> pieces = held;
        if (pieces == null) {
            pieces = new ArrayDeque<>();
            held = pieces;
        }
        pieces.addLast(piece);
    }

    private boolean holding() {
        return held != null && !held.isEmpty();
    }

    /** Delivers what was held, as far as the handlers set and no pause allow. */
    private void deliverHeld() {
        ArrayDeque<Object> pieces = held;
        while (pieces != null && !paused && !done && !pieces.isEmpty()) {
            Object next = pieces.peekFirst();
            if (next == END) {
                if (endHandler == null) {
                    return;
                }
                pieces.pollFirst();
                finish();
                return;
            }
            Handler<Buffer> h = handler;
            if (h == null) {
                return;
            }
            pieces.pollFirst();
            h.handle((Buffer) next);
        }
    }

    @Override
    public int statusCode() {
        return status;
    }

    @Override
    public MultiMap headers() {
        return Objects.requireNonNull(headers, "the answer's head came");
    }

    @Override
    public ProviderAnswer handler(@Nullable Handler<Buffer> handler) {
        this.handler = handler;
        deliverHeld();
        return this;
    }

    @Override
    public ProviderAnswer endHandler(@Nullable Handler<Void> handler) {
        this.endHandler = handler;
        deliverHeld();
        return this;
    }

    @Override
    public ProviderAnswer exceptionHandler(@Nullable Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        return this;
    }

    @Override
    public ProviderAnswer pause() {
        paused = true;
        Http1Connection on = connection;
        if (on != null && on.carries(this)) {
            on.autoRead(false);
        }
        return this;
    }

    @Override
    public ProviderAnswer resume() {
        paused = false;
        deliverHeld();
        Http1Connection on = connection;
        if (!paused && on != null && on.carries(this)) {
            on.autoRead(true);
        }
        return this;
    }
}
