package dev.crossbar.gateway.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.spi.Endpoint;
import dev.crossbar.codecs.spi.Protocol;
import dev.crossbar.codecs.spi.RequestFacts;
import dev.crossbar.gateway.auth.ClientKey;
import dev.crossbar.gateway.config.NodeConfig;
import dev.crossbar.gateway.config.RoutingConfig;
import dev.crossbar.gateway.responses.ResponsesState;
import dev.crossbar.gateway.responses.ResponsesTurn;
import dev.crossbar.gateway.routing.ModelRoutes;
import dev.crossbar.gateway.routing.Target;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * The first phase of a request (DESIGN.md 2): reads the body within the node's limits, reads what routing,
 * limits and accounting need, resolves the model to its targets and checks that the client key may use it.
 * Stateless; shared by a node's event loops.
 */
final class Intake {

    /** What intake decided. */
    sealed interface Result permits Admitted, Answered, Refused {}

    /**
     * The call goes on to find a provider.
     *
     * @param decoded the canonical request when intake had to decode it, else null
     */
    record Admitted(Call call, ChatRequest decoded) implements Result {}

    /** Answered without a provider: Anthropic's token count for a model that no Anthropic provider serves. */
    @SuppressWarnings("ArrayRecordComponent") // an answer's bytes on their way out, never compared or printed
    record Answered(byte[] body, String model) implements Result {}

    /**
     * The client hears {@code error}.
     *
     * @param model  the model as far as intake resolved it, for the record, or null
     * @param stream whether the client asked for a stream, as far as intake read it
     */
    record Refused(ApiError error, String model, boolean stream) implements Result {}

    private final ModelRoutes routes;
    private final NodeConfig node;
    private final RoutingConfig routing;
    private final ResponsesState responses;

    Intake(ModelRoutes routes, NodeConfig node, RoutingConfig routing, ResponsesState responses) {
        this.routes = routes;
        this.node = node;
        this.routing = routing;
        this.responses = responses;
    }

    /** The body, or a {@link CodecException} with the 413 or 408 of one too large or too slow. */
    Future<Buffer> read(Vertx vertx, HttpServerRequest request) {
        return BodyReader.read(
                vertx, request, node.maxBodyBytes(), node.bodyTimeout().toMillis());
    }

    /** Reads what a refused body still sends, so the connection can answer (and then close). */
    void discardRest(Vertx vertx, HttpServerRequest request) {
        BodyReader.discardRest(vertx, request, node.bodyTimeout().toMillis());
    }

    /** The body as forwarded and decoded, and the request whose codec answers the client. */
    @SuppressWarnings("ArrayRecordComponent") // the body's bytes on their way upstream, never compared or printed
    private record Parsed(ObjectNode tree, byte[] body, ClientRequest asked) {}

    /**
     * Parses the body; a Responses request has what it refers to resolved from the kept responses first, and
     * its answer is kept.
     */
    private Parsed parse(byte[] raw, ClientRequest asked, ClientKey clientKey) {
        ObjectNode tree = Json.parseObject(raw);
        if (asked.endpoint() != Endpoint.CHAT || asked.codec().protocol() != Protocol.OPENAI_RESPONSES) {
            return new Parsed(tree, raw, asked);
        }
        ResponsesTurn turn = responses.begin(tree, clientKey);
        return new Parsed(
                turn.body(tree),
                turn.rawBody(raw),
                new ClientRequest(turn.codec(asked.codec()), asked.endpoint(), asked.pathModel(), asked.pathStream()));
    }

    Result admit(byte[] raw, ClientRequest given, ClientKey clientKey, String requestId, long startNanos) {
        Parsed parsed;
        ChatRequest decoded;
        try {
            parsed = parse(raw, given, clientKey);
            ClientRequest asked = parsed.asked();
            decoded = switch (asked.endpoint()) {
                case CHAT -> asked.codec().decodeRequest(parsed.tree(), asked.pathModel(), asked.pathStream());
                case EMBEDDINGS -> EmbeddingRequests.validate(parsed.tree());
                case COUNT_TOKENS -> CountTokens.validate(asked.codec(), parsed.tree());
            };
        } catch (CodecException e) {
            return new Refused(e.error(), null, false);
        }
        ClientRequest asked = parsed.asked();
        byte[] body = parsed.body();
        RequestFacts facts =
                new RequestFacts(decoded.model(), decoded.stream(), decoded.maxTokens(), decoded.includeUsage());
        ModelRoutes.Route route = routes.resolve(facts.model());
        if (route == null) {
            return new Refused(
                    new ApiError(
                            404,
                            ErrorKind.NOT_FOUND,
                            "model '" + facts.model()
                                    + "' does not exist; GET /v1/models lists the models this gateway serves",
                            "model",
                            -1),
                    null,
                    facts.stream());
        }
        if (!clientKey.allows(route.name())) {
            return new Refused(
                    new ApiError(
                            403,
                            ErrorKind.PERMISSION,
                            "this client key may not use model '" + facts.model() + "'",
                            "model",
                            -1),
                    route.name(),
                    facts.stream());
        }
        List<Target> targets = asked.endpoint().forwardsOnly()
                ? route.targets().stream()
                        .filter(t -> t.upstream().codec().serves(asked.endpoint()))
                        .toList()
                : route.targets();
        if (targets.isEmpty()) {
            if (asked.endpoint() == Endpoint.COUNT_TOKENS) {
                return new Answered(CountTokens.estimate(asked.codec(), decoded), route.name());
            }
            return new Refused(
                    CodecException.invalid(
                                    "model",
                                    "model '" + route.name() + "' is served by no "
                                            + "OpenAI-compatible provider; embeddings need one")
                            .error(),
                    route.name(),
                    facts.stream());
        }
        int allowance = facts.maxTokens() != null ? facts.maxTokens() : routing.defaultMaxTokens();
        // Counting tokens generates none, and providers limit it apart from messages: it spends a request only.
        long estimated = asked.endpoint() == Endpoint.COUNT_TOKENS ? 0 : (body.length + 3L) / 4 + allowance;
        Call call = new Call(
                requestId,
                asked,
                clientKey,
                route,
                targets,
                body,
                facts,
                estimated,
                startNanos,
                startNanos + routing.deadline().toNanos());
        return new Admitted(call, decoded);
    }
}
