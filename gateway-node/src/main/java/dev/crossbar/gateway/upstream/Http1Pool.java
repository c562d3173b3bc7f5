package dev.crossbar.gateway.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayDeque;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * One event loop's keep-alive HTTP/1.1 connections to one plain-HTTP origin (a self-hosted vLLM or llama.cpp, a local
 * mock), on Netty's codec directly. Vert.x's client made a request, a response, their header maps, a stream and
 * several futures and promises for every call on top of Netty's own objects; a bare proxy with Vert.x's server and this
 * kind of client made 1.15x the requests/s of one on Vert.x's client with 0.64x the heap per request
 * (docs/benchmarks.md, seventeenth pass). A call takes the connection idle last, opens one while fewer than {@code
 * maxConnections} are open, or waits for one in turn. A connection comes back when its answer has ended and the server
 * keeps it alive; after a failed or cut-off call it is closed, since an HTTP/1.1 connection is then in no known state.
 * One the server closes while idle leaves the pool, and one idle for longer than the server said it keeps connections
 * ({@code Keep-Alive: timeout=N}, less a second; otherwise a minute, Vert.x's default) is closed rather than used, so
 * a call does not race the server's close. Only ever touched on its loop, whose context every event is handled on: no
 * locks.
 */
public final class Http1Pool {

    /** How long a server that does not say keeps a connection: the Vert.x client's own default. */
    static final long KEEP_ALIVE_MILLIS = HttpClientOptions.DEFAULT_KEEP_ALIVE_TIMEOUT * 1000L;

    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final ContextInternal context;
    private final UpstreamConnections connections;
    private final Bootstrap bootstrap;
    private final String authority;
    private final int maxConnections;
    private final ArrayDeque<Http1Connection> idle = new ArrayDeque<>();
    private final ArrayDeque<Http1Call> waiting = new ArrayDeque<>();
    /** Connections open or being opened. */
    private int open;

    /**
     * @param context     the event loop's context: connections are on its loop, and their events on it
     * @param connections the node's count of open connections, which this pool's are part of
     */
    Http1Pool(ContextInternal context, UpstreamConnections connections, String host, int port, int maxConnections) {
        this.context = context;
        this.connections = connections;
        this.authority = port == 80 ? host : host + ":" + port;
        this.maxConnections = maxConnections;
        this.bootstrap = new Bootstrap()
                .group(context.nettyEventLoop())
                .channelFactory(context.owner().transport().channelFactory(false))
                .resolver(context.owner().nameResolver().nettyAddressResolverGroup())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .remoteAddress(host, port);
    }

    /** Sends a request of {@code options} with {@code body} on a connection of the pool, now or when one is free. */
    public ProviderCall send(RequestOptions options, byte[] body) {
        Http1Call call = new Http1Call(this, request(options, body));
        Http1Connection ready = takeIdle();
        if (ready != null) {
            ready.start(call);
        } else if (open < maxConnections) {
            openFor(call);
        } else {
            waiting.addLast(call);
        }
        return call;
    }

    /** Open connections, idle or not (tests). */
    int open() {
        return open;
    }

    /** Idle connections (tests). */
    int idle() {
        return idle.size();
    }

    /**
     * The request line and headers of the call, with its body: the options' headers are shared and read-only. No
     * trailers (a map of its own per request otherwise), and the headers not checked again: Vert.x checked them when
     * they were built, once per key ({@link CallHeaders}).
     */
    private FullHttpRequest request(RequestOptions options, byte[] body) {
        HttpHeaders headers = new FlatHeaders();
        headers.set(HttpHeaderNames.HOST, authority);
        MultiMap shared = options.getHeaders();
        if (shared != null) {
            shared.forEach((BiConsumer<String, String>) headers::add);
        }
        headers.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1,
                HttpMethod.valueOf(options.getMethod().name()),
                options.getURI(),
                Unpooled.wrappedBuffer(body),
                headers,
                EmptyHttpHeaders.INSTANCE);
    }

    /** The connection idle last that the server still keeps; null if none. */
    private @Nullable Http1Connection takeIdle() {
        long now = System.currentTimeMillis();
        Http1Connection connection;
        while ((connection = idle.pollLast()) != null) {
            if (now < connection.idleUntil && connection.open()) {
                return connection;
            }
            connection.close();
        }
        return null;
    }

    /**
     * Netty's HTTP/1.1 codec with the answer's headers in {@link FlatHeaders}. Not validated: they are read, never
     * passed on to a client.
     */
    private static HttpClientCodec codec() {
        HttpDecoderConfig config =
                new HttpDecoderConfig().setHeadersFactory(FlatHeaders.FACTORY).setTrailersFactory(FlatHeaders.FACTORY);
        return new HttpClientCodec(
                config,
                HttpClientCodec.DEFAULT_PARSE_HTTP_AFTER_CONNECT_REQUEST,
                HttpClientCodec.DEFAULT_FAIL_ON_MISSING_RESPONSE);
    }

    private void openFor(Http1Call call) {
        open++;
        Http1Connection connection = new Http1Connection(this, context);
        Bootstrap opening = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline().addLast(codec(), connection);
            }
        });
        var unused = opening.connect().addListener((ChannelFutureListener) connected -> context.dispatch(() -> {
            if (connected.isSuccess()) {
                connections.opened();
                if (call.waitingForConnection()) {
                    connection.start(call);
                } else {
                    release(connection, KEEP_ALIVE_MILLIS);
                }
                return;
            }
            open--;
            call.fail(connected.cause());
            serveWaiting();
        }));
    }

    /** Runs {@code task} on the pool's context, on a later turn of its loop. */
    void later(Runnable task) {
        context.runOnContext(v -> task.run());
    }

    /** A call waiting for a connection was cut off: it no longer waits. */
    void forget(Http1Call call) {
        waiting.remove(call);
    }

    /** An answer ended whole: the connection serves the next call, or waits idle while the server keeps it. */
    void release(Http1Connection connection, long keptAliveMillis) {
        if (!connection.open()) {
            return; // the pool hears of its close
        }
        if (keptAliveMillis <= 0) {
            connection.close();
            return;
        }
        connection.idleUntil = System.currentTimeMillis() + keptAliveMillis;
        Http1Call next = waiting.pollFirst();
        if (next != null) {
            connection.start(next);
        } else {
            idle.addLast(connection);
        }
    }

    /** A connection closed (by either side, idle or not). */
    void closed(Http1Connection connection) {
        open--;
        connections.closed();
        idle.remove(connection);
        serveWaiting();
    }

    /** A connection left or failed to open: the next waiting call opens one (a failed open must not strand it). */
    private void serveWaiting() {
        Http1Call next = waiting.pollFirst();
        if (next != null) {
            openFor(next);
        }
    }

    /**
     * How long the server keeps the connection open once idle after this answer: 0 when it closes it (RFC 9112 9.3:
     * {@code Connection: close}, or HTTP/1.0 without keep-alive).
     */
    static long keptAliveMillis(HttpResponse response) {
        String connection = response.headers().get(HttpHeaderNames.CONNECTION);
        if (connection != null && HttpHeaderValues.CLOSE.contentEqualsIgnoreCase(connection.trim())) {
            return 0;
        }
        if (response.protocolVersion().equals(HttpVersion.HTTP_1_0)
                && (connection == null || !HttpHeaderValues.KEEP_ALIVE.contentEqualsIgnoreCase(connection.trim()))) {
            return 0;
        }
        long seconds = keepAliveSeconds(response.headers().get("keep-alive"));
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
}
