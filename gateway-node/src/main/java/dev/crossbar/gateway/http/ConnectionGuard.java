package dev.crossbar.gateway.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One event loop's client connections: holds them to the node's {@link ConnectionCap}, and every request's
 * headers to the header timeout. A new connection must send its first request's headers within it; a
 * kept-alive HTTP/1.1 connection must send each later request's headers within it of the request's first
 * byte, so a client cannot open with an honest request and then trickle the next one (slow loris). Quiet
 * time between requests is the idle timeout's business. Runs on its event loop only.
 */
final class ConnectionGuard {

    private static final String READ_WATCH = "crossbar-request-start";
    private static final long NONE = Long.MIN_VALUE;

    private final Vertx vertx;
    private final long headerTimeoutMillis;
    private final long headerTimeoutNanos;
    private final ConnectionCap cap;
    private final Map<HttpConnection, Watch> watches = new HashMap<>();

    ConnectionGuard(Vertx vertx, long headerTimeoutMillis, ConnectionCap cap) {
        this.vertx = vertx;
        this.headerTimeoutMillis = headerTimeoutMillis;
        this.headerTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(headerTimeoutMillis);
        this.cap = cap;
    }

    /** A connection opened: refused past the cap, else watched until it closes. */
    void opened(HttpConnection connection) {
        if (!cap.tryOpen()) {
            connection.close();
            return;
        }
        Watch watch = new Watch(connection);
        watches.put(connection, watch);
        connection.closeHandler(v -> {
            cap.closed();
            Watch gone = watches.remove(connection);
            if (gone != null) {
                gone.stop();
            }
        });
        watch.awaitHeaders();
        // Vert.x shows no request's first byte, only its whole headers: Netty's pipeline does.
        if (connection instanceof ConnectionBase base) {
            Channel channel = base.channel();
            channel.pipeline().addFirst(READ_WATCH, new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    watch.bytesArrived();
                    ctx.fireChannelRead(msg);
                }
            });
        }
    }

    /** A request's headers arrived whole. */
    void headersArrived(HttpServerRequest request) {
        Watch watch = watches.get(request.connection());
        if (watch == null) {
            return;
        }
        watch.headersArrived(request);
        if (request.version() == HttpVersion.HTTP_2) {
            // One connection carries many streams, each one's headers in a frame: nothing to trickle.
            watch.stop();
            return;
        }
        request.response().endHandler(v -> watch.answered());
    }

    private final class Watch {
        private final HttpConnection connection;
        private long timer = -1;
        /** When the awaited headers are due ({@link System#nanoTime}), or {@link #NONE} when none are awaited. */
        private long deadline = NONE;
        /** Between requests: the next byte read begins a request, whose headers the timer then waits for. */
        private boolean betweenRequests;
        /** Bytes came after the request's body while it was being answered: the next request has begun. */
        private boolean readDuringRequest;

        private @Nullable HttpServerRequest current;
        private boolean stopped;

        Watch(HttpConnection connection) {
            this.connection = connection;
        }

        void awaitHeaders() {
            if (stopped || deadline != NONE) {
                return;
            }
            deadline = System.nanoTime() + headerTimeoutNanos;
            if (timer < 0) {
                arm(headerTimeoutMillis);
            }
        }

        /*
         * One timer per connection, not one per request: a request that sends its headers in time only
         * clears the deadline, and the timer, when it fires, closes the connection if a deadline has passed,
         * waits again for one still ahead, or lapses when there is none.
         */
        private void arm(long millis) {
            timer = vertx.setTimer(millis, id -> {
                timer = -1;
                if (stopped || deadline == NONE) {
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    connection.close();
                } else {
                    arm(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left + 999_999)));
                }
            });
        }

        void bytesArrived() {
            if (betweenRequests) {
                betweenRequests = false;
                awaitHeaders();
            } else if (current != null && current.isEnded()) {
                readDuringRequest = true;
            }
        }

        void headersArrived(HttpServerRequest request) {
            cancel();
            betweenRequests = false;
            current = request;
            readDuringRequest = false;
        }

        void answered() {
            current = null;
            if (readDuringRequest) {
                readDuringRequest = false;
                awaitHeaders();
            } else {
                betweenRequests = true;
            }
        }

        void stop() {
            stopped = true;
            betweenRequests = false;
            cancel();
        }

        private void cancel() {
            deadline = NONE;
            if (stopped && timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }
    }
}
