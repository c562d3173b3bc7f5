package dev.crossbar.gateway.http;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.List;

/**
 * Vert.x's HTTP/1.x request decoder, refusing the framings RFC 9112 says a server must not guess at, because a proxy
 * in front may have framed the same bytes otherwise and a request smuggled in one body would run as the next
 * request on the connection (section 11.2): {@code Content-Length} with {@code Transfer-Encoding} (Netty would drop
 * the length and read chunks, 6.1), a {@code Transfer-Encoding} whose last coding is not {@code chunked} (Netty would
 * read no body and the body as the next request, 6.3), and any {@code Transfer-Encoding} in HTTP/1.0 (6.1). Such a
 * request fails to decode: the node answers it with a 400 and closes the connection, reading nothing after it.
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {

    /** Vert.x's name for the decoder in an HTTP/1.x connection's pipeline. */
    private static final String NAME = "httpDecoder";

    StrictRequestDecoder(HttpServerOptions options) {
        super(options);
    }

    /** Takes the place of Vert.x's decoder on a new HTTP/1.x connection, before its first byte is decoded. */
    static void install(HttpConnection connection, HttpServerOptions options) {
        if (connection instanceof ConnectionBase base) {
            ChannelPipeline pipeline = base.channel().pipeline();
            if (pipeline.get(NAME) instanceof VertxHttpRequestDecoder) {
                pipeline.replace(NAME, NAME, new StrictRequestDecoder(options));
            }
        }
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage message) {
        HttpHeaders headers = message.headers();
        if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            if (message.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                throw new AmbiguousFraming("HTTP/1.0 has no Transfer-Encoding: send Content-Length, or use HTTP/1.1");
            }
            if (!endsInChunked(headers.getAll(HttpHeaderNames.TRANSFER_ENCODING))) {
                throw new AmbiguousFraming("a request's Transfer-Encoding must end in chunked: send Content-Length,"
                        + " or Transfer-Encoding: chunked (Content-Encoding for gzip or deflate)");
            }
        }
        return super.isContentAlwaysEmpty(message);
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        throw new AmbiguousFraming("Content-Length and Transfer-Encoding together are refused: send one of them");
    }

    /** Whether the last coding of a Transfer-Encoding's values is chunked (RFC 9112 6.3, item 4). */
    static boolean endsInChunked(List<String> values) {
        if (values.isEmpty()) {
            return false;
        }
        String last = values.get(values.size() - 1);
        String coding = last.substring(last.lastIndexOf(',') + 1).trim();
        return HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(coding);
    }

    /** Why a request's framing was refused, in words for the client. */
    static final class AmbiguousFraming extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AmbiguousFraming(String message) {
            super(message, null, false, false);
        }
    }
}
