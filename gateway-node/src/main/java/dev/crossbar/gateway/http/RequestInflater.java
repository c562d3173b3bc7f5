package dev.crossbar.gateway.http;

import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.gateway.proxy.BodyInflater;
import dev.crossbar.gateway.proxy.BodyReader;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.compression.ZlibDecoder;
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DelegatingDecompressorFrameListener;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.IdentityHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Holds the place of an HTTP/1.x connection's request body decompressor until a request says its body is coded
 * ({@code Content-Encoding: gzip}, {@code deflate}), then hands the connection to one, bounded so that no read of
 * the body inflates past the body limit. Vert.x's own decompressor (the server's {@code
 * setDecompressionSupported}) passes every message of every request through a decoder, coded or not: 2% of the
 * event loops' samples on plain requests (docs/benchmarks.md, thirteenth pass); and it inflates a read whole, so a
 * small body of repeated bytes could make a thousand times its size in memory before the body limit saw it.
 */
final class RequestInflater extends ChannelDuplexHandler {

    /** Vert.x's name for the decompressor, which its upgrade to HTTP/2 removes by name. */
    static final String NAME = "inflater";

    private final long maxBodyBytes;
    // Requests read and answers written on this connection so far, which a decompressor's Failures count on from.
    private long requests;
    private long answers;

    RequestInflater(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Takes Vert.x's decompressor's place on an HTTP/1.x connection. On an HTTP/2 connection it removes Vert.x's,
     * which inflated each frame whole, passed a body cut short as whole and answered a damaged one with a stream reset
     * (no error the client could read): the body's reader inflates it ({@link BodyInflater}).
     */
    static void install(HttpConnection connection, long maxBodyBytes) {
        if (connection instanceof ConnectionBase base) {
            ChannelPipeline pipeline = base.channel().pipeline();
            if (pipeline.get(NAME) instanceof HttpContentDecompressor) {
                pipeline.replace(NAME, NAME, new RequestInflater(maxBodyBytes));
            }
            Http2ConnectionHandler http2 = pipeline.get(Http2ConnectionHandler.class);
            if (http2 != null
                    && http2.decoder().frameListener() instanceof DelegatingDecompressorFrameListener
                    && connection instanceof Http2FrameListener frames) {
                http2.decoder().frameListener(frames);
            }
        }
    }

    /**
     * A decompressor whose reads inflate at most past the body limit, so a body at the limit fits and one that needs
     * more is over it: Netty refuses a read that would inflate further ({@link
     * io.netty.handler.codec.compression.DecompressionException}).
     */
    static HttpContentDecompressor decompressor(long maxBodyBytes) {
        return new BoundedDecompressor(BodyInflater.maxAllocation(maxBodyBytes));
    }

    /** Netty's decompressor, with gzip and deflate bodies read whole ({@link BodyInflater.WholeStreamDecoder}). */
    private static final class BoundedDecompressor extends HttpContentDecompressor {
        private final int maxAllocation;

        BoundedDecompressor(int maxAllocation) {
            super(false, maxAllocation);
            this.maxAllocation = maxAllocation;
        }

        @Override
        protected @Nullable EmbeddedChannel newContentDecoder(String contentEncoding) throws Exception {
            EmbeddedChannel decoder = super.newContentDecoder(contentEncoding);
            BodyInflater.WholeStreamDecoder whole = BodyInflater.decoder(contentEncoding, maxAllocation);
            if (decoder != null && whole != null && decoder.pipeline().get(ZlibDecoder.class) != null) {
                decoder.pipeline().replace(ZlibDecoder.class, "whole-stream", whole);
            }
            return decoder;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            if (coded(request.headers())) {
                // The replaced context forwards to its replacement, so this request is the decompressor's first.
                ctx.pipeline().replace(this, NAME, decompressor(maxBodyBytes));
                ctx.pipeline().addAfter(NAME, Failures.NAME, new Failures(maxBodyBytes, requests, answers));
            } else {
                requests++;
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (endsAnAnswer(msg)) {
            answers++;
        }
        var unused = ctx.write(msg, promise);
    }

    /**
     * The end of an answer to a request: HTTP/1.1 answers requests one by one in their order, so the n-th end
     * written is the n-th request's. An informational answer (100 Continue, 103) comes before the request's own.
     */
    static boolean endsAnAnswer(Object msg) {
        return msg instanceof LastHttpContent
                && !(msg instanceof HttpResponse response
                        && response.status().codeClass() == HttpStatusClass.INFORMATIONAL);
    }

    /**
     * Behind the decompressor: a body that fails to inflate (damaged, not in its coding, or past the limit) ends
     * there for Vert.x, which would close the connection without an answer on the decompressor's exception; the
     * body's reader finds why, by its request ({@link BodyReader#UNDECODABLE}), and the client hears it. The rest of
     * that body is dropped, and the connection closes once that request's answer is written: after the answers to
     * the requests before it (pipelined), which are served as if nothing had happened.
     */
    private static final class Failures extends ChannelDuplexHandler {
        static final String NAME = "crossbar-inflation-failures";

        private final long maxBodyBytes;
        private long requests;
        private long answers;
        /** The request whose body is coming, until its end has passed. */
        private @Nullable HttpRequest reading;

        private boolean dropping;
        /** The number of the first request whose body failed: the connection closes after its answer. */
        private long lastAnswer = Long.MAX_VALUE;

        Failures(long maxBodyBytes, long requests, long answers) {
            this.maxBodyBytes = maxBodyBytes;
            this.requests = requests;
            this.answers = answers;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request) {
                requests++;
                reading = request;
                dropping = false;
            } else if (dropping) {
                dropping = !(msg instanceof LastHttpContent);
                ReferenceCountUtil.release(msg);
                return;
            } else if (msg instanceof LastHttpContent) {
                reading = null;
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Throwable failure = cause instanceof DecoderException && cause.getCause() instanceof DecompressionException
                    ? cause.getCause()
                    : cause;
            if (!(failure instanceof DecompressionException)) {
                ctx.fireExceptionCaught(cause);
                return;
            }
            HttpRequest request = reading;
            if (dropping || request == null) {
                return; // the rest of a failed body, or a body already ended
            }
            IdentityHashMap<Object, CodecException> failed =
                    ctx.channel().attr(BodyReader.UNDECODABLE).get();
            if (failed == null) {
                failed = new IdentityHashMap<>();
                ctx.channel().attr(BodyReader.UNDECODABLE).set(failed);
            }
            failed.put(request.headers(), BodyInflater.undecodable(failure.getMessage(), maxBodyBytes));
            lastAnswer = Math.min(lastAnswer, requests);
            reading = null;
            dropping = true;
            // A decompressor that failed cannot decode another body: a new one takes its place (the old one, removed,
            // says its failure once more, which dropping ignores).
            ctx.pipeline().replace(RequestInflater.NAME, RequestInflater.NAME, decompressor(maxBodyBytes));
            ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ChannelPromise written = endsAnAnswer(msg) && ++answers == lastAnswer
                    ? promise.unvoid().addListener(ChannelFutureListener.CLOSE)
                    : promise;
            var unused = ctx.write(msg, written);
        }
    }

    /** What makes Netty's decompressor decode a body: a content coding, or a transfer coding besides chunked. */
    static boolean coded(HttpHeaders headers) {
        String content = headers.get(HttpHeaderNames.CONTENT_ENCODING);
        if (content != null) {
            return !HttpHeaderValues.IDENTITY.contentEqualsIgnoreCase(content.trim());
        }
        String transfer = headers.get(HttpHeaderNames.TRANSFER_ENCODING);
        return transfer != null && !HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(transfer.trim());
    }
}
