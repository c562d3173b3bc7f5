package dev.crossbar.codecs.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.spi.ClientCodec;
import dev.crossbar.codecs.spi.ClientRoute;
import dev.crossbar.codecs.spi.ClientStreamEncoder;
import dev.crossbar.codecs.spi.Endpoint;
import dev.crossbar.codecs.spi.FactReader;
import dev.crossbar.codecs.spi.Inbound;
import dev.crossbar.codecs.spi.KeyPlaces;
import dev.crossbar.codecs.spi.Protocol;
import dev.crossbar.codecs.spi.RequestFacts;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The client side of OpenAI Chat Completions ({@code POST /v1/chat/completions}): requests in, {@code
 * chat.completion} bodies and {@code chat.completion.chunk} streams out; and {@code POST /v1/embeddings},
 * forwarded as sent. Stateless and thread-safe.
 */
public final class OpenAiChatClientCodec implements ClientCodec {

    private static final Inbound INBOUND = new Inbound(
            List.of(
                    ClientRoute.at("/v1/chat/completions", Endpoint.CHAT),
                    ClientRoute.at("/v1/embeddings", Endpoint.EMBEDDINGS)),
            KeyPlaces.BEARER,
            "/v1/models",
            null);

    private final Clock clock;

    public OpenAiChatClientCodec() {
        this(Clock.systemUTC());
    }

    /** @param clock the source of {@code created} when the reply carries no time of its own */
    public OpenAiChatClientCodec(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Protocol protocol() {
        return Protocol.OPENAI_CHAT;
    }

    @Override
    public Inbound inbound() {
        return INBOUND;
    }

    private static final Set<String> FACTS =
            Set.of("model", "stream", "max_completion_tokens", "max_tokens", "stream_options");

    @Override
    public Set<String> factMembers() {
        return FACTS;
    }

    @Override
    public RequestFacts readFacts(JsonNode members, @Nullable String pathModel, boolean pathStream) {
        String model = FactReader.model(members, "model");
        Integer max = FactReader.maxTokens(members, "max_completion_tokens", "max_completion_tokens");
        if (max == null) {
            max = FactReader.maxTokens(members, "max_tokens", "max_tokens");
        }
        boolean stream = FactReader.flag(members, "stream", "stream");
        JsonNode options = Json.optObject(members, "stream_options", "stream_options");
        boolean includeUsage =
                stream && options != null && FactReader.flag(options, "include_usage", "stream_options.include_usage");
        return new RequestFacts(model, stream, max, includeUsage, members.has("stream_options"), null);
    }

    @Override
    public ChatRequest decodeRequest(JsonNode body, @Nullable String pathModel, boolean pathStream) {
        return ChatRequestDecoder.decode(body);
    }

    @Override
    public byte[] encodeResponse(ChatResponse response, ChatRequest request) {
        ChatResponse shown = response.id() == null || response.id().isEmpty()
                ? new ChatResponse(
                        OpenAiIds.random("chatcmpl-"),
                        response.model(),
                        response.content(),
                        response.finishReason(),
                        response.stopSequence(),
                        response.usage(),
                        response.created())
                : response;
        String model = response.model() != null ? response.model() : request == null ? null : request.model();
        long created = response.created() > 0 ? response.created() : clock.millis() / 1000;
        return ChatResponseEncoder.encode(shown, model, created);
    }

    @Override
    public ClientStreamEncoder streamEncoder(ChatRequest request) {
        return new ChatChunkEncoder(request, clock.millis() / 1000, OpenAiIds.random("chatcmpl-"));
    }

    @Override
    public byte[] encodeError(ApiError error) {
        return OpenAiErrors.body(error);
    }

    @Override
    public byte[] encodeModelList(List<String> models, long createdMillis) {
        return ModelList.encode(models, createdMillis);
    }
}
