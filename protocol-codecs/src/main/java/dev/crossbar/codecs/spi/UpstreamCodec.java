package dev.crossbar.codecs.spi;

import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.CodecException;

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

    /** A fresh decoder for one streamed response. */
    UpstreamStreamDecoder streamDecoder();

    /** Reads an upstream error body of any shape (garbage included) into a truthful error. */
    UpstreamError decodeError(int status, byte[] body);
}
