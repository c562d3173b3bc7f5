package dev.crossbar.gateway.proxy;

import dev.crossbar.codecs.model.CodecException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.compression.JdkZlibDecoder;
import io.netty.handler.codec.compression.ZlibWrapper;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Inflates a request body coded gzip or deflate, read whole by {@link WholeStreamDecoder}, no read of it inflating
 * past the body limit (a small body of repeated bytes cannot become a thousand times its size in memory). The
 * connections' pipelines have no decompressor: Vert.x's passed every message of every request through one, coded or
 * not, inflated a read whole, and on HTTP/2 answered a damaged body with a stream reset.
 */
final class BodyInflater {

    private final EmbeddedChannel channel;
    private final long maxBodyBytes;

    private BodyInflater(JdkZlibDecoder decoder, long maxBodyBytes) {
        this.channel = new EmbeddedChannel(decoder);
        this.maxBodyBytes = maxBodyBytes;
    }

    /** An inflater for {@code coding}, or null when it is not gzip or deflate. */
    static @Nullable BodyInflater of(String coding, long maxBodyBytes) {
        WholeStreamDecoder decoder = decoder(coding, maxAllocation(maxBodyBytes));
        return decoder == null ? null : new BodyInflater(decoder, maxBodyBytes);
    }

    /**
     * What {@code chunk} inflates to.
     *
     * @throws CodecException as {@link #undecodable} says
     */
    Buffer inflate(Buffer chunk) {
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(chunk.getBytes()));
        } catch (DecoderException e) {
            throw failure(e);
        }
        return inflated();
    }

    /**
     * What is left once the body has ended.
     *
     * @throws CodecException when the body ended before its compressed stream did
     */
    Buffer finish() {
        try {
            channel.finish();
        } catch (DecoderException e) {
            throw failure(e);
        }
        return inflated();
    }

    /** Frees what the inflater holds, when the body will not be read to its end. */
    void discard() {
        try {
            channel.finishAndReleaseAll();
        } catch (DecoderException e) {
            // the body was refused already; what the decoder says of its end adds nothing
        }
    }

    private Buffer inflated() {
        Buffer out = Buffer.buffer();
        for (ByteBuf bytes = channel.readInbound(); bytes != null; bytes = channel.readInbound()) {
            byte[] copy = new byte[bytes.readableBytes()];
            bytes.readBytes(copy);
            bytes.release();
            out.appendBytes(copy);
        }
        return out;
    }

    /** Netty's decoders say a decompression failure as itself, or wrapped once. */
    private CodecException failure(DecoderException e) {
        Throwable cause = !(e instanceof DecompressionException) && e.getCause() instanceof DecompressionException
                ? e.getCause()
                : e;
        discard();
        return undecodable(cause.getMessage(), maxBodyBytes);
    }

    /** The most one read may inflate to: past the limit, so a body at the limit fits and one over it fails. */
    private static int maxAllocation(long maxBodyBytes) {
        return (int) Math.min(Integer.MAX_VALUE, maxBodyBytes + 1);
    }

    /** The decoder for {@code coding} (gzip or deflate, any case), or null for another coding. */
    private static @Nullable WholeStreamDecoder decoder(String coding, int maxAllocation) {
        return switch (coding.trim().toLowerCase(Locale.ROOT)) {
            case "gzip", "x-gzip" -> new WholeStreamDecoder(ZlibWrapper.GZIP, maxAllocation);
            // Strictly zlib, but some clients send raw deflate: the decoder tells them apart.
            case "deflate", "x-deflate" -> new WholeStreamDecoder(ZlibWrapper.ZLIB_OR_NONE, maxAllocation);
            default -> null;
        };
    }

    /** A 413 when a read of the body would inflate past the limit, else a 400 that says what went wrong. */
    private static CodecException undecodable(@Nullable String message, long maxBodyBytes) {
        // Netty's words for its bound (ZlibDecoder.prepareDecompressBuffer): BodyInflaterTest's bomb holds them.
        if (message != null && message.startsWith("Decompression buffer has reached maximum size")) {
            return BodyReader.tooLarge(maxBodyBytes);
        }
        return CodecException.invalid(null, "the request body is not what its Content-Encoding says: " + message);
    }

    /**
     * A body that is one gzip or deflate stream, whole: Netty's decoder passes on what it inflated of a body cut
     * short (or sent without its gzip trailer, as by a client that never closed its compressing stream) as if it
     * were the whole body, and reads a gzip body as any number of members. A body with no bytes is empty, not cut:
     * some clients name a coding on every request, a GET's included.
     */
    private static final class WholeStreamDecoder extends JdkZlibDecoder {
        private boolean read;

        WholeStreamDecoder(ZlibWrapper wrapper, int maxAllocation) {
            super(wrapper, false, maxAllocation);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            if (!isClosed()) {
                read |= in.isReadable();
                super.decode(ctx, in, out);
            }
            if (isClosed() && in.isReadable()) {
                throw new DecompressionException("the body goes on after its compressed stream ends");
            }
        }

        @Override
        protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            super.decodeLast(ctx, in, out);
            if (read && !isClosed()) {
                throw new DecompressionException("the body ends before its compressed stream does");
            }
        }
    }
}
