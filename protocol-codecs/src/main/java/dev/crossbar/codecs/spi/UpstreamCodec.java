package dev.crossbar.codecs.spi;

import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.Usage;

/**
 * The provider side of one protocol family: how to ask an upstream and how to read its answers.
 * Implementations are stateless and thread-safe.
 */
public interface UpstreamCodec {

    /**
     * Encodes the request for the upstream model.
     *
     * @throws CodecException with a 400 when the request uses something this upstream cannot express
     */
    UpstreamRequest encodeRequest(ChatRequest request, String upstreamModel);

    /**
     * Decodes a successful (2xx) whole response.
     *
     * @throws CodecException with a 502 when the body is not a valid response
     */
    ChatResponse decodeResponse(byte[] body);

    /**
     * Only the usage of a successful whole response, for one passed through unchanged: cheaper than
     * {@link #decodeResponse}, with the same refusal of bodies that are not an answer.
     *
     * @throws CodecException with a 502 when the body is not a valid response
     */
    default Usage usageOf(byte[] body) {
        return decodeResponse(body).usage();
    }

    /**
     * True when this upstream reports a stream's usage only when asked, and may be asked in a request passed
     * through unchanged ({@code stream_options.include_usage} of Chat Completions): the gateway needs the
     * count to charge the key.
     */
    default boolean asksForStreamUsage() {
        return false;
    }

    /** A fresh decoder for one streamed response. */
    UpstreamStreamDecoder streamDecoder();

    /** Reads an upstream error body of any shape (garbage included) into a truthful error. */
    UpstreamError decodeError(int status, byte[] body);
}
