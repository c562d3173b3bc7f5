package dev.crossbar.codecs.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.json.PassThroughBody;
import dev.crossbar.codecs.json.TopLevelScan;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.codecs.spi.Endpoint;
import dev.crossbar.codecs.spi.Forwarded;
import dev.crossbar.codecs.spi.RequestFacts;
import dev.crossbar.codecs.spi.StreamFilter;
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

    public static final String EMBEDDINGS_PATH = "/embeddings";

    private static final String ASK_USAGE = "\"stream_options\":{\"include_usage\":true}";
    private static final StreamFilter UNASKED_USAGE = new UnaskedUsageFilter()::filter;

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
    public boolean serves(Endpoint endpoint) {
        return endpoint == Endpoint.CHAT || endpoint == Endpoint.EMBEDDINGS;
    }

    /**
     * {@inheritDoc} A stream whose client did not ask for usage asks for it with {@code
     * stream_options.include_usage} when the dialect reports usage only when asked; the filter gives the client
     * back the stream it would have had.
     */
    @Override
    public Forwarded forward(Endpoint endpoint, byte[] body, RequestFacts facts, String upstreamModel) {
        return switch (endpoint) {
            case CHAT -> forwardChat(body, facts, upstreamModel);
            case EMBEDDINGS ->
                new Forwarded(new UpstreamRequest(
                        EMBEDDINGS_PATH,
                        PassThroughBody.withModel(body, facts.model(), upstreamModel, facts.modelSpan()),
                        false));
            default -> throw new IllegalArgumentException("an OpenAI upstream does not serve " + endpoint);
        };
    }

    private Forwarded forwardChat(byte[] body, RequestFacts facts, String upstreamModel) {
        if (!facts.stream() || facts.includeUsage() || !dialect.asksForStreamUsage()) {
            return new Forwarded(new UpstreamRequest(
                    PATH,
                    PassThroughBody.withModel(body, facts.model(), upstreamModel, facts.modelSpan()),
                    facts.stream()));
        }
        byte[] asking = facts.streamOptions()
                ? null
                : TopLevelScan.withMemberAdded(
                        PassThroughBody.withModel(body, facts.model(), upstreamModel, facts.modelSpan()), ASK_USAGE);
        if (asking == null) {
            asking = PassThroughBody.rewritten(body, tree -> {
                tree.put("model", upstreamModel);
                ObjectNode options =
                        tree.get("stream_options") instanceof ObjectNode o ? o : tree.putObject("stream_options");
                options.put("include_usage", true);
            });
        }
        return new Forwarded(new UpstreamRequest(PATH, asking, true), UNASKED_USAGE);
    }

    @Override
    public ChatResponse decodeResponse(byte[] body) {
        return ChatResponseDecoder.decode(body, clock.millis() / 1000);
    }

    @Override
    public Usage usageOf(byte[] body) {
        return usageOf(body, 0, body.length);
    }

    @Override
    public Usage usageOf(byte[] body, int offset, int length) {
        // The usage's integers without its tree when they are plain (as providers send them); the tree otherwise.
        long[] counted =
                TopLevelScan.integers(body, offset, length, "usage", "choices", ChatResponseDecoder.USAGE_FIELDS);
        return counted != null
                ? ChatResponseDecoder.usage(counted)
                : ChatResponseDecoder.usage(TopLevelScan.member(body, offset, length, "usage", "choices"));
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
