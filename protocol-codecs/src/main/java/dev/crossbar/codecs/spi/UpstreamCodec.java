package dev.crossbar.codecs.spi;

import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.Usage;
import java.util.Arrays;
import java.util.function.UnaryOperator;

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
     * {@link #usageOf(byte[])} of the body at {@code body[offset, offset + length)} (a received buffer's own array):
     * read in place by the codecs that scan for their usage, copied out first by the others.
     */
    default Usage usageOf(byte[] body, int offset, int length) {
        return usageOf(offset == 0 && length == body.length ? body : Arrays.copyOfRange(body, offset, offset + length));
    }

    /**
     * True when this upstream reports a stream's usage only when asked, and may be asked in a request passed
     * through unchanged ({@code stream_options.include_usage} of Chat Completions): the gateway needs the
     * count to charge the key.
     */
    default boolean asksForStreamUsage() {
        return false;
    }

    /** True when this upstream serves {@code endpoint}: every upstream serves chat turns. */
    default boolean serves(Endpoint endpoint) {
        return endpoint == Endpoint.CHAT;
    }

    /**
     * A body of this upstream's own protocol, forwarded as the client sent it but for the model (DESIGN.md 3):
     * the path of {@code endpoint}, and for a stream whose usage this upstream reports only when asked
     * ({@link #asksForStreamUsage}), the request for it on the gateway's account (the key must be charged
     * what the answer cost) with the filter that takes it back out of the answer.
     *
     * @param body          the client's bytes, a JSON object
     * @param facts         what the gateway read of them
     * @param upstreamModel the provider's name for the model
     * @throws IllegalArgumentException when this upstream does not serve {@code endpoint}
     */
    Forwarded forward(Endpoint endpoint, byte[] body, RequestFacts facts, String upstreamModel);

    /** A fresh decoder for one streamed response. */
    UpstreamStreamDecoder streamDecoder();

    /** Reads an upstream error body of any shape (garbage included) into a truthful error. */
    UpstreamError decodeError(int status, byte[] body);

    /**
     * Reads an upstream error whose type may be named in a response header (Bedrock's {@code x-amzn-ErrorType})
     * rather than in its body.
     *
     * @param header a response header's value by name, null when the response has none
     */
    default UpstreamError decodeError(int status, byte[] body, UnaryOperator<String> header) {
        return decodeError(status, body);
    }
}
