package dev.crossbar.codecs.openai;

import dev.crossbar.codecs.json.TopLevelScan;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.codecs.spi.UpstreamCodec;
import dev.crossbar.codecs.spi.UpstreamError;
import dev.crossbar.codecs.spi.UpstreamRequest;
import dev.crossbar.codecs.spi.UpstreamStreamDecoder;
import java.time.Clock;
import java.util.Objects;

/**
 * The provider side of OpenAI Chat Completions and the servers that copy it ({@link OpenAiDialect}):
 * {@code POST <base URL>/chat/completions}, the base URL carrying the {@code /v1}. Stateless and
 * thread-safe.
 */
public final class OpenAiUpstreamCodec implements UpstreamCodec {

    public static final String PATH = "/chat/completions";

    private final OpenAiDialect dialect;
    private final Clock clock;

    public OpenAiUpstreamCodec(OpenAiDialect dialect) {
        this(dialect, Clock.systemUTC());
    }

    /** @param clock the source of {@code created} when an upstream reply carries none */
    public OpenAiUpstreamCodec(OpenAiDialect dialect, Clock clock) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public OpenAiDialect dialect() {
        return dialect;
    }

    @Override
    public UpstreamRequest encodeRequest(ChatRequest request, String upstreamModel) {
        return new UpstreamRequest(PATH, ChatRequestEncoder.encode(request, upstreamModel, dialect), request.stream());
    }

    @Override
    public ChatResponse decodeResponse(byte[] body) {
        return ChatResponseDecoder.decode(body, clock.millis() / 1000);
    }

    @Override
    public Usage usageOf(byte[] body) {
        return ChatResponseDecoder.usage(TopLevelScan.member(body, "usage", "choices"));
    }

    @Override
    public boolean asksForStreamUsage() {
        return dialect.asksForStreamUsage();
    }

    @Override
    public UpstreamStreamDecoder streamDecoder() {
        return new ChatChunkDecoder();
    }

    @Override
    public UpstreamError decodeError(int status, byte[] body) {
        return ChatErrorDecoder.decode(status, body);
    }
}
