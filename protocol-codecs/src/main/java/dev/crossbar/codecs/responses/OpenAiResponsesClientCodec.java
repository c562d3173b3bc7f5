package dev.crossbar.codecs.responses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.openai.ModelList;
import dev.crossbar.codecs.openai.OpenAiErrors;
import dev.crossbar.codecs.openai.OpenAiIds;
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
 * The client side of the OpenAI Responses API ({@code POST /v1/responses}), stateless: the client sends
 * the whole conversation in {@code input} every time. Errors use the Chat Completions error shape, as
 * OpenAI does. Thread-safe.
 */
public final class OpenAiResponsesClientCodec implements ClientCodec {

    /** The model list is OpenAI's, served for both OpenAI protocols by the Chat Completions codec. */
    private static final Inbound INBOUND =
            new Inbound(List.of(ClientRoute.at("/v1/responses", Endpoint.CHAT)), KeyPlaces.BEARER, "/v1/models", null);

    private final Clock clock;

    public OpenAiResponsesClientCodec() {
        this(Clock.systemUTC());
    }

    /** @param clock the source of {@code created_at} */
    public OpenAiResponsesClientCodec(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Protocol protocol() {
        return Protocol.OPENAI_RESPONSES;
    }

    @Override
    public Inbound inbound() {
        return INBOUND;
    }

    private static final Set<String> FACTS = Set.of("model", "stream", "max_output_tokens");

    @Override
    public Set<String> factMembers() {
        return FACTS;
    }

    @Override
    public RequestFacts readFacts(JsonNode members, @Nullable String pathModel, boolean pathStream) {
        return new RequestFacts(
                FactReader.model(members, "model"),
                FactReader.flag(members, "stream", "stream"),
                FactReader.maxTokens(members, "max_output_tokens", "max_output_tokens"),
                false);
    }

    @Override
    public ChatRequest decodeRequest(JsonNode body, @Nullable String pathModel, boolean pathStream) {
        return ResponsesRequestDecoder.decode(body);
    }

    @Override
    public byte[] encodeResponse(ChatResponse response, ChatRequest request) {
        String id = response.id() == null || response.id().isEmpty() ? OpenAiIds.random("resp_") : response.id();
        ChatRequest echoed = request != null
                ? request
                : ChatRequest.builder(response.model() == null ? "unknown" : response.model())
                        .build();
        String model = response.model() != null ? response.model() : echoed.model();
        long createdAt = response.created() > 0 ? response.created() : clock.millis() / 1000;
        return ResponseEncoder.encode(response, echoed, id, model, createdAt);
    }

    @Override
    public ClientStreamEncoder streamEncoder(ChatRequest request) {
        return new ResponsesStreamEncoder(request, clock.millis() / 1000, OpenAiIds.random("resp_"));
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
