package dev.crossbar.gateway.proxy;

import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.codecs.spi.Endpoint;
import dev.crossbar.codecs.spi.UpstreamCodec;
import dev.crossbar.gateway.responses.RelayedKeeper;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.Objects;

/**
 * A whole (not streamed) 2xx answer made into the client's (DESIGN.md 3, 4): passed through as the provider sent
 * it when the protocols match, translated otherwise, and its tokens counted into the attempt's meter. Stateless.
 */
final class WholeAnswer {

    /** What the answer became. */
    sealed interface Result permits Relayed, Malformed {}

    /** @param charge the tokens the key is charged, or -1 for the estimate */
    record Relayed(Buffer body, long charge) implements Result {}

    /** Not an answer of the provider's protocol: another key or target may do better. */
    record Malformed() implements Result {}

    private WholeAnswer() {}

    static Result read(Call call, UpstreamCall attempt, Translation translation, Buffer answer) {
        TokenMeter meter = attempt.meter();
        if (call.endpoint().forwardsOnly()) {
            if (call.endpoint() == Endpoint.EMBEDDINGS) {
                meter.reported(EmbeddingRequests.usage(answer.getBytes()));
            }
            return new Relayed(
                    answer, meter.usage() == null ? -1 : meter.usage().inputTokens());
        }
        UpstreamCodec codec = attempt.target().upstream().codec();
        try {
            if (attempt.prepared().passthrough()) {
                // Relayed as sent: only its usage is read, in place, without decoding the whole answer unless it
                // has none.
                meter.reported(usageOf(codec, answer));
                if (call.codec() instanceof RelayedKeeper keeper) {
                    keeper.keepRelayed(answer.getBytes());
                }
                if (meter.usage() == null) {
                    meter.produced(codec.decodeResponse(answer.getBytes()));
                }
                return new Relayed(answer, meter.charge(true));
            }
            ChatResponse decoded = codec.decodeResponse(answer.getBytes());
            meter.produced(decoded);
            return new Relayed(
                    Buffer.buffer(call.codec()
                            .encodeResponse(
                                    decoded,
                                    Objects.requireNonNull(
                                            translation.canonical(), "a translated call was decoded to be encoded"))),
                    meter.charge(true));
        } catch (CodecException | IllegalArgumentException e) {
            return new Malformed();
        }
    }

    /** The answer's usage read from the buffer's own array when it has one, not from a copy of the answer. */
    static Usage usageOf(UpstreamCodec codec, Buffer answer) {
        ByteBuf bytes = answer instanceof BufferInternal internal ? internal.getByteBuf() : null;
        if (bytes == null || !bytes.hasArray()) {
            return codec.usageOf(answer.getBytes());
        }
        return codec.usageOf(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
    }
}
