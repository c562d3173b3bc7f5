package dev.crossbar.bench;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * A reverse proxy on Netty alone, the layer under Vert.x: what a Java gateway pays for HTTP in and out when it
 * owns its channels, measured beside {@link BareProxy} and nginx by {@code ./crossbar bench plain}. Epoll, one
 * keep-alive pool of upstream connections per event loop, each request and answer aggregated whole and forwarded
 * with its content type and authorization; nothing else. {@code GET /metrics}: the JVM's heap meters.
 *
 * <p>Writes are not awaited: a request that fails shows in the bench as its client's error or timeout.
 */
@SuppressWarnings("FutureReturnValueIgnored")
public final class BareNettyProxy {

    private static final AttributeKey<Channel> CLIENT = AttributeKey.valueOf("client");
    private static final FastThreadLocal<ArrayDeque<Channel>> IDLE = new FastThreadLocal<>() {
        @Override
        protected ArrayDeque<Channel> initialValue() {
            return new ArrayDeque<>();
        }
    };

    private BareNettyProxy() {}

    /** {@code BareNettyProxy <port> <upstream port> <event loops>}; serves until killed. */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int upstreamPort = Integer.parseInt(args[1]);
        int loops = Integer.parseInt(args[2]);
        PrometheusMeterRegistry registry = BareProxy.jvmMetrics();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(loops, EpollIoHandler.newFactory());
        Bootstrap upstream = new Bootstrap()
                .group(group)
                .channel(EpollSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .remoteAddress("127.0.0.1", upstreamPort)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), new Answers());
                    }
                });
        new ServerBootstrap()
                .group(group)
                .channel(EpollServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(
                                        new HttpServerCodec(),
                                        new HttpObjectAggregator(1 << 20),
                                        new Requests(upstream, registry));
                    }
                })
                .bind("127.0.0.1", port)
                .sync();
        System.out.println("bare Netty proxy on 127.0.0.1:" + port + " -> 127.0.0.1:" + upstreamPort + ", epoll, "
                + loops + " event loops");
    }

    /** A client's request, forwarded on an idle upstream connection of its loop (or a new one). */
    private static final class Requests extends SimpleChannelInboundHandler<FullHttpRequest> {

        private final Bootstrap upstream;
        private final PrometheusMeterRegistry registry;

        Requests(Bootstrap upstream, PrometheusMeterRegistry registry) {
            this.upstream = upstream;
            this.registry = registry;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest in) {
            Channel client = ctx.channel();
            if (HttpMethod.GET.equals(in.method()) && in.uri().equals("/metrics")) {
                ByteBuf text = Unpooled.copiedBuffer(registry.scrape(), StandardCharsets.UTF_8);
                FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, text);
                out.headers().set(HttpHeaderNames.CONTENT_LENGTH, text.readableBytes());
                client.writeAndFlush(out);
                return;
            }
            FullHttpRequest out = new DefaultFullHttpRequest(
                    HttpVersion.HTTP_1_1, in.method(), in.uri(), in.content().retain());
            out.headers()
                    .set(HttpHeaderNames.HOST, "127.0.0.1")
                    .set(HttpHeaderNames.CONTENT_TYPE, in.headers().get(HttpHeaderNames.CONTENT_TYPE, ""))
                    .set(HttpHeaderNames.AUTHORIZATION, in.headers().get(HttpHeaderNames.AUTHORIZATION, ""))
                    .set(HttpHeaderNames.CONTENT_LENGTH, out.content().readableBytes());
            Channel idle = IDLE.get().pollLast();
            if (idle != null && idle.isActive()) {
                send(idle, client, out);
                return;
            }
            upstream.clone(client.eventLoop()).connect().addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    send(f.channel(), client, out);
                } else {
                    out.release();
                    client.writeAndFlush(
                            new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_GATEWAY));
                }
            });
        }

        private static void send(Channel upstream, Channel client, FullHttpRequest out) {
            upstream.attr(CLIENT).set(client);
            upstream.writeAndFlush(out);
        }
    }

    /** An upstream answer, written to the client whose request it was; the connection goes back to the pool if kept. */
    private static final class Answers extends SimpleChannelInboundHandler<FullHttpResponse> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse answer) {
            Channel client = ctx.channel().attr(CLIENT).getAndSet(null);
            if (HttpUtil.isKeepAlive(answer)) {
                IDLE.get().addLast(ctx.channel());
            }
            if (client == null) {
                return;
            }
            FullHttpResponse out = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, answer.status(), answer.content().retain());
            String type = answer.headers().get(HttpHeaderNames.CONTENT_TYPE);
            if (type != null) {
                out.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
            }
            out.headers().set(HttpHeaderNames.CONTENT_LENGTH, out.content().readableBytes());
            client.writeAndFlush(out);
        }
    }
}
