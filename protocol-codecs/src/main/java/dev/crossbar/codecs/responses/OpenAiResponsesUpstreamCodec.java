package dev.crossbar.codecs.responses;

import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.json.PassThroughBody;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.codecs.openai.OpenAiDialect;
import dev.crossbar.codecs.openai.OpenAiUpstreamCodec;
import dev.crossbar.codecs.spi.Endpoint;
import dev.crossbar.codecs.spi.Forwarded;
import dev.crossbar.codecs.spi.RequestFacts;
import dev.crossbar.codecs.spi.UpstreamCodec;
import dev.crossbar.codecs.spi.UpstreamError;
import dev.crossbar.codecs.spi.UpstreamRequest;
import dev.crossbar.codecs.spi.UpstreamStreamDecoder;
import java.time.Clock;
import java.util.Objects;

/**
 * The provider side of the OpenAI Responses API ({@code POST {base}/responses}, the base URL carrying
 * {@code /v1}): OpenAI itself, and servers that offer the endpoint (vLLM). Requests are stateless
 * ({@code store: false}, the whole conversation each time); answers are read whole or as the Responses
 * event stream; errors have OpenAI's shape and are read as Chat Completions errors are. Stateless and
 * thread-safe.
 */
public final class OpenAiResponsesUpstreamCodec implements UpstreamCodec {

    public static final String PATH = "/responses";

    private final Clock clock;
    private final OpenAiUpstreamCodec errors = new OpenAiUpstreamCodec(OpenAiDialect.OPENAI);

    public OpenAiResponsesUpstreamCodec() {
        this(Clock.systemUTC());
    }

    /** @param clock the source of {@code created} when an upstream reply carries none */
    public OpenAiResponsesUpstreamCodec(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * {@inheritDoc} Refuses stop sequences, which the Responses API does not have; drops top-k; the
     * request's built-in tools are not written (the gateway's policy handles them).
     */
    @Override
    public UpstreamRequest encodeRequest(ChatRequest request, String upstreamModel) {
        return new UpstreamRequest(PATH, ResponsesRequestEncoder.encode(request, upstreamModel), request.stream());
    }

    /** Embeddings go to the same OpenAI-compatible server's {@code /embeddings}. */
    @Override
    public boolean serves(Endpoint endpoint) {
        return endpoint == Endpoint.CHAT || endpoint == Endpoint.EMBEDDINGS;
    }

    /** {@inheritDoc} The Responses API reports a stream's usage in {@code response.completed}, unasked. */
    @Override
    public Forwarded forward(Endpoint endpoint, byte[] body, RequestFacts facts, String upstreamModel) {
        return switch (endpoint) {
            case CHAT ->
                new Forwarded(new UpstreamRequest(
                        PATH,
                        PassThroughBody.withModel(body, facts.model(), upstreamModel, facts.modelSpan()),
                        facts.stream()));
            case EMBEDDINGS -> errors.forward(endpoint, body, facts, upstreamModel);
            default -> throw new IllegalArgumentException("a Responses upstream does not serve " + endpoint);
        };
    }

    @Override
    public ChatResponse decodeResponse(byte[] body) {
        return ResponsesResponseDecoder.decode(body, clock.millis() / 1000);
    }

    /** A Response passed through unchanged: only its usage (a failed Response is refused as in decodeResponse). */
    @Override
    public Usage usageOf(byte[] body) {
        var root = Json.parseUpstream(body);
        ResponsesResponseDecoder.answer(root);
        return ResponsesWire.usage(root.get("usage"));
    }

    @Override
    public UpstreamStreamDecoder streamDecoder() {
        return new ResponsesEventDecoder();
    }

    @Override
    public UpstreamError decodeError(int status, byte[] body) {
        return errors.decodeError(status, body);
    }
}
