package dev.crossbar.gateway.upstream;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Handler;
import io.vertx.core.VertxException;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP/1.1 connection of an {@link Http1Pool}, one call at a time. Its events are handled on the pool's context,
 * as Vert.x's own connections' are, so what a call's handlers do (timers, futures) is on the exchange's context.
 */
final class Http1Connection extends ChannelInboundHandlerAdapter {

    private final Http1Pool pool;
    private final ContextInternal context;
    private @Nullable Channel channel;
    private @Nullable Http1Call current;
    /** The current answer is an informational (1xx) one, which the real answer follows. */
    private boolean informational;
    /** How long the server keeps the connection after the current answer ({@link Http1Pool#keptAliveMillis}). */
    private long keptAliveMillis;
    /** Made once: a method reference is a new object each time it is taken. */
    private final Handler<Object> reader = this::read;
    /** When the server may close it once idle (epoch ms). */
    long idleUntil;

    Http1Connection(Http1Pool pool, ContextInternal context) {
        this.pool = pool;
        this.context = context;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    /** Writes the call's request; its answer is the call's. */
    void start(Http1Call call) {
        Channel ch = Objects.requireNonNull(channel, "connected");
        current = call;
        informational = false;
        call.sentOn(this);
        // No promise per request: a write that fails comes back as exceptionCaught.
        var unused = ch.writeAndFlush(call.takeRequest(), ch.voidPromise());
    }

    /** True while {@code call} is this connection's: reading for it may be paused. */
    boolean carries(Http1Call call) {
        return current == call;
    }

    void autoRead(boolean on) {
        Channel ch = channel;
        if (ch != null) {
            ch.config().setAutoRead(on);
        }
    }

    /** False from the moment it is closed, before the pool hears of it. */
    boolean open() {
        Channel ch = channel;
        return ch != null && ch.isActive();
    }

    /** Closes the connection: its call, if any, is no longer read. */
    void close() {
        current = null;
        Channel ch = channel;
        if (ch != null) {
            var unused = ch.close();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        context.dispatch(msg, reader);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        context.dispatch(() -> {
            Http1Call call = current;
            current = null;
            pool.closed(this);
            if (call != null) {
                call.fail(new VertxException("the provider closed the connection", true));
            }
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        context.dispatch(() -> broken(cause));
    }

    private void read(Object msg) {
        try {
            if (msg instanceof HttpObject object && object.decoderResult().isFailure()) {
                broken(decoderFailure(object.decoderResult()));
                return;
            }
            Http1Call call = current;
            if (call == null) {
                // An answer no call asked for (a server that answered twice): what else it sends cannot be told
                // from the next call's answer.
                close();
                return;
            }
            if (msg instanceof HttpResponse head) {
                HttpResponseStatus status = head.status();
                informational = status.codeClass() == HttpStatusClass.INFORMATIONAL
                        && status.code() != HttpResponseStatus.SWITCHING_PROTOCOLS.code();
                if (informational) {
                    return;
                }
                keptAliveMillis = Http1Pool.keptAliveMillis(head);
                call.head(head.status().code(), head.headers());
            }
            if (msg instanceof HttpContent content) {
                if (informational) {
                    informational = !(msg instanceof LastHttpContent);
                    return;
                }
                if (content.content().isReadable()) {
                    call.chunk(BufferInternal.buffer(Unpooled.copiedBuffer(content.content())));
                }
                if (msg instanceof LastHttpContent) {
                    current = null;
                    autoRead(true);
                    pool.release(this, keptAliveMillis);
                    call.end();
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** The connection failed or its answer could not be read: closed, and its call fails. */
    private void broken(Throwable cause) {
        Http1Call call = current;
        close();
        if (call != null) {
            call.fail(cause);
        }
    }

    private static Throwable decoderFailure(DecoderResult result) {
        Throwable cause = result.cause();
        return cause != null ? cause : new VertxException("the provider's answer could not be read", true);
    }
}
