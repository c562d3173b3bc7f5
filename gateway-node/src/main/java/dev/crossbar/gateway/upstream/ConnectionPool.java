package dev.crossbar.gateway.upstream;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * One event loop's keep-alive HTTP/1.1 connections to one origin, one call at a time on each. Vert.x's own pool
 * ({@code HttpClient.request}) builds a context, an endpoint key, a lease and several futures for every call, and
 * that was 6-8% of the event loops' samples on plain requests (docs/benchmarks.md, tenth pass). Here a call takes
 * the connection that was idle last, opens one while fewer than {@code maxConnections} are open, or waits for one
 * in turn. A connection comes back when its answer has ended and the server keeps it alive; after a failed or
 * reset call it is closed, since an HTTP/1.1 connection is then in no known state. A connection the server closes
 * while idle leaves the pool, and one idle for longer than the server said it keeps connections
 * ({@code Keep-Alive: timeout=N}, less a second for the time the answer took to arrive; otherwise Vert.x's default of a
 * minute) is closed rather than used, so a call does not race the server's close.
 * Only ever touched on its loop: no locks.
 */
public final class ConnectionPool {

    /** How long a server that does not say keeps a connection: the Vert.x client's own default. */
    static final long KEEP_ALIVE_MILLIS = HttpClientOptions.DEFAULT_KEEP_ALIVE_TIMEOUT * 1000L;

    private final HttpClientAgent agent;
    private final HttpConnectOptions connect;
    private final int maxConnections;
    private final ArrayDeque<Pooled> idle = new ArrayDeque<>();
    private final ArrayDeque<Promise<Pooled>> waiting = new ArrayDeque<>();
    /** Connections open or being opened. */
    private int open;

    ConnectionPool(HttpClientAgent agent, HttpConnectOptions connect, int maxConnections) {
        this.agent = agent;
        this.connect = connect;
        this.maxConnections = maxConnections;
    }

    /** A request on a connection of the pool; the connection is the pool's again once the answer has ended. */
    public Future<HttpClientRequest> request(RequestOptions options) {
        Pooled ready = takeIdle();
        return ready != null ? requestOn(ready, options) : lease().compose(pooled -> requestOn(pooled, options));
    }

    /** The connection idle last that the server still keeps; null if none. */
    private @Nullable Pooled takeIdle() {
        long now = System.currentTimeMillis();
        Pooled pooled;
        while ((pooled = idle.pollLast()) != null) {
            if (now < pooled.idleUntil) {
                return pooled;
            }
            pooled.connection.close();
        }
        return null;
    }

    /** Open connections, idle or not (tests). */
    int open() {
        return open;
    }

    /** Idle connections (tests). */
    int idle() {
        return idle.size();
    }

    private Future<HttpClientRequest> requestOn(Pooled pooled, RequestOptions options) {
        return pooled.connection.request(options).andThen(made -> {
            if (made.failed()) {
                release(pooled, false);
                return;
            }
            made.result().response().onComplete(head -> {
                if (head.failed()) {
                    release(pooled, false);
                    return;
                }
                HttpClientResponse response = head.result();
                long keptMillis = keptAliveMillis(response);
                response.end().onComplete(end -> {
                    pooled.idleUntil = System.currentTimeMillis() + keptMillis;
                    release(pooled, end.succeeded() && keptMillis > 0);
                });
            });
        });
    }

    private Future<Pooled> lease() {
        Promise<Pooled> promise = Promise.promise();
        if (open < maxConnections) {
            openFor(promise);
        } else {
            waiting.addLast(promise);
        }
        return promise.future();
    }

    private void openFor(Promise<Pooled> promise) {
        open++;
        agent.connect(connect).onComplete(ar -> {
            if (ar.failed()) {
                open--;
                promise.fail(ar.cause());
                serveWaiting();
                return;
            }
            Pooled pooled = new Pooled(ar.result());
            pooled.connection.closeHandler(v -> closed(pooled));
            promise.complete(pooled);
        });
    }

    private void release(Pooled pooled, boolean reusable) {
        if (pooled.closed) {
            return;
        }
        if (!reusable) {
            pooled.connection.close();
            return;
        }
        Promise<Pooled> next = waiting.pollFirst();
        if (next != null) {
            next.complete(pooled);
        } else {
            idle.addLast(pooled);
        }
    }

    private void closed(Pooled pooled) {
        pooled.closed = true;
        open--;
        idle.remove(pooled);
        serveWaiting();
    }

    /** A connection left or failed to open: the next waiting call opens one (a failed open must not strand it). */
    private void serveWaiting() {
        Promise<Pooled> next = waiting.pollFirst();
        if (next != null) {
            openFor(next);
        }
    }

    /**
     * How long the server keeps the connection open once idle after this answer: 0 when it closes it (RFC 9112
     * 9.3: {@code Connection: close}, or HTTP/1.0 without keep-alive).
     */
    static long keptAliveMillis(HttpClientResponse response) {
        String connection = response.getHeader(HttpHeaders.CONNECTION);
        if (connection != null && HttpHeaders.CLOSE.toString().equalsIgnoreCase(connection.trim())) {
            return 0;
        }
        if (response.version() == HttpVersion.HTTP_1_0
                && (connection == null || !HttpHeaders.KEEP_ALIVE.toString().equalsIgnoreCase(connection.trim()))) {
            return 0;
        }
        long seconds = keepAliveSeconds(response.getHeader(HttpHeaders.KEEP_ALIVE));
        return seconds < 0 ? KEEP_ALIVE_MILLIS : Math.max(0, seconds - 1) * 1000;
    }

    /** The {@code timeout} of a {@code Keep-Alive} header ({@code timeout=5, max=100}), or -1. */
    static long keepAliveSeconds(@Nullable String header) {
        if (header == null) {
            return -1;
        }
        for (int from = 0; from <= header.length(); ) {
            int comma = header.indexOf(',', from);
            int end = comma < 0 ? header.length() : comma;
            String p = header.substring(from, end).trim();
            if (p.regionMatches(true, 0, "timeout=", 0, 8)) {
                String digits = p.substring(8).trim();
                if (!digits.isEmpty() && digits.length() <= 9 && digits.chars().allMatch(Character::isDigit)) {
                    return Long.parseLong(digits);
                }
            }
            from = end + 1;
        }
        return -1;
    }

    private static final class Pooled {
        final HttpClientConnection connection;
        boolean closed;
        /** When the server may close it once idle (epoch ms). */
        long idleUntil;

        Pooled(HttpClientConnection connection) {
            this.connection = connection;
        }
    }
}
