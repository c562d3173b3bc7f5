package dev.crossbar.gateway.upstream;

import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.codecs.spi.Endpoint;
import dev.crossbar.codecs.spi.Forwarded;
import dev.crossbar.codecs.spi.RequestFacts;
import dev.crossbar.codecs.spi.UpstreamCodec;
import dev.crossbar.codecs.spi.UpstreamError;
import dev.crossbar.codecs.spi.UpstreamRequest;
import dev.crossbar.codecs.spi.UpstreamStreamDecoder;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * An upstream codec whose error messages, whole answers and mid-stream error events alike, pass through
 * a {@link SecretScrubber}: every error a provider words reaches the gateway through here, so nothing it
 * echoes of the account reaches a client, whatever the client's protocol.
 */
public final class ScrubbingCodec implements UpstreamCodec {

    private final UpstreamCodec codec;
    private final SecretScrubber scrubber;

    public ScrubbingCodec(UpstreamCodec codec, SecretScrubber scrubber) {
        this.codec = codec;
        this.scrubber = scrubber;
    }

    @Override
    public UpstreamRequest encodeRequest(ChatRequest request, String upstreamModel) {
        return codec.encodeRequest(request, upstreamModel);
    }

    @Override
    public ChatResponse decodeResponse(byte[] body) {
        return codec.decodeResponse(body);
    }

    @Override
    public Usage usageOf(byte[] body) {
        return codec.usageOf(body);
    }

    @Override
    public Usage usageOf(byte[] body, int offset, int length) {
        return codec.usageOf(body, offset, length);
    }

    @Override
    public boolean asksForStreamUsage() {
        return codec.asksForStreamUsage();
    }

    @Override
    public boolean serves(Endpoint endpoint) {
        return codec.serves(endpoint);
    }

    @Override
    public Forwarded forward(Endpoint endpoint, byte[] body, RequestFacts facts, String upstreamModel) {
        return codec.forward(endpoint, body, facts, upstreamModel);
    }

    @Override
    public UpstreamStreamDecoder streamDecoder() {
        UpstreamStreamDecoder decoder = codec.streamDecoder();
        return new UpstreamStreamDecoder() {
            @Override
            public void decode(byte[] bytes, int offset, int length, Consumer<StreamEvent> out) {
                decoder.decode(bytes, offset, length, scrubbed(out));
            }

            @Override
            public void end(Consumer<StreamEvent> out) {
                decoder.end(scrubbed(out));
            }
        };
    }

    @Override
    public UpstreamError decodeError(int status, byte[] body) {
        return scrubbed(codec.decodeError(status, body));
    }

    @Override
    public UpstreamError decodeError(int status, byte[] body, UnaryOperator<String> header) {
        return scrubbed(codec.decodeError(status, body, header));
    }

    private UpstreamError scrubbed(UpstreamError decoded) {
        return new UpstreamError(
                scrubber.scrub(decoded.error()), decoded.retryAfterMs(), decoded.cause(), decoded.code());
    }

    private Consumer<StreamEvent> scrubbed(Consumer<StreamEvent> out) {
        return event -> out.accept(
                event instanceof StreamEvent.Error error
                        ? new StreamEvent.Error(scrubber.scrub(error.error()))
                        : event);
    }
}
