package dev.crossbar.gateway.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.json.TopLevel;
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
import dev.crossbar.gateway.routing.ModelRoutes;
import dev.crossbar.gateway.routing.Target;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

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
     * @param tree the body as a tree when intake had to build one, else null: a translation decodes it rather
     *             than parse the body again
     * @param kept when what the client codec keeps of the answer is kept (a Responses turn's Response): the
     *             answer that carries it waits for that
     */
    record Admitted(Call call, @Nullable ObjectNode tree, Supplier<Future<Void>> kept) implements Result {}

    private static final Supplier<Future<Void>> NOTHING_KEPT = Future::succeededFuture;

    /** Answered without a provider: Anthropic's token count for a model that no Anthropic provider serves. */
    @SuppressWarnings("ArrayRecordComponent") // an answer's bytes on their way out, never compared or printed
    record Answered(byte[] body, String model) implements Result {}

    /**
     * The client hears {@code error}.
     *
     * @param model  the model as far as intake resolved it, for the record, or null
     * @param stream whether the client asked for a stream, as far as intake read it
     */
    record Refused(ApiError error, @Nullable String model, boolean stream) implements Result {}

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
    Future<byte[]> read(LoopResources loop, HttpServerRequest request) {
        return BodyReader.read(
                loop.bodyDeadlines(),
                request,
                node.maxBodyBytes(),
                node.bodyTimeout().toMillis());
    }

    /** Reads what a refused body still sends, so the connection can answer (and then close). */
    void discardRest(Vertx vertx, HttpServerRequest request) {
        BodyReader.discardRest(vertx, request, node.bodyTimeout().toMillis());
    }

    /**
     * The body as it goes on, what intake read of it, and the request whose codec answers the client.
     *
     * @param tree the whole body as a tree when intake had to build one (a Responses turn), else null
     */
    @SuppressWarnings("ArrayRecordComponent") // the body's bytes on their way upstream, never compared or printed
    private record Read(
            @Nullable ObjectNode tree, TopLevel top, byte[] body, ClientRequest asked, Supplier<Future<Void>> kept) {}

    /**
     * Reads what the call needs and resolves it (DESIGN.md 3): the top level of the body only, so a body that goes
     * to a provider of the client's protocol is never decoded; a Responses turn for a provider of another protocol
     * has what it refers to resolved from the kept responses first, and its answer is kept.
     */
    Future<Result> admit(byte[] raw, ClientRequest given, ClientKey clientKey, String requestId, long startNanos) {
        try {
            TopLevel top = TopLevel.read(raw, wanted(given));
            if (given.endpoint() != Endpoint.CHAT
                    || given.codec().protocol() != Protocol.OPENAI_RESPONSES
                    || !responses.keepsStateFor(top.members().path("model").textValue())) {
                return Future.succeededFuture(
                        admit(new Read(null, top, raw, given, NOTHING_KEPT), clientKey, requestId, startNanos));
            }
            ObjectNode tree = Json.parseObject(raw);
            return responses
                    .begin(tree, clientKey)
                    .map(turn -> {
                        ObjectNode body = turn.body(tree);
                        ClientRequest asked = new ClientRequest(
                                turn.codec(given.codec()), given.endpoint(), given.pathModel(), given.pathStream());
                        return admit(
                                new Read(body, TopLevel.of(body), turn.rawBody(raw), asked, turn::kept),
                                clientKey,
                                requestId,
                                startNanos);
                    })
                    .recover(e -> e instanceof CodecException ce
                            ? Future.succeededFuture(new Refused(ce.error(), null, false))
                            : Future.failedFuture(e));
        } catch (CodecException e) {
            return Future.succeededFuture(new Refused(e.error(), null, false));
        }
    }

    private static Set<String> wanted(ClientRequest asked) {
        return asked.endpoint() == Endpoint.EMBEDDINGS
                ? EmbeddingRequests.MEMBERS
                : asked.codec().factMembers();
    }

    private Result admit(Read read, ClientKey clientKey, String requestId, long startNanos) {
        ClientRequest asked = read.asked();
        RequestFacts facts;
        try {
            facts = switch (asked.endpoint()) {
                case CHAT -> asked.codec().readFacts(read.top().members(), asked.pathModel(), asked.pathStream());
                case EMBEDDINGS -> EmbeddingRequests.facts(read.top().members());
                // Counting tokens generates none and streams nothing, whatever the body says.
                case COUNT_TOKENS ->
                    new RequestFacts(
                            asked.codec()
                                    .readFacts(read.top().members(), asked.pathModel(), asked.pathStream())
                                    .model(),
                            false,
                            null,
                            false);
            };
        } catch (CodecException e) {
            return new Refused(e.error(), null, false);
        }
        facts = facts.withModelSpan(read.top().model());
        byte[] body = read.body();
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
                return countedHere(read, route.name(), facts);
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
                read.top().names(),
                estimated,
                startNanos,
                startNanos + routing.deadline().toNanos());
        return new Admitted(call, read.tree(), read.kept());
    }

    /** A token count no provider serves: checked as Anthropic would, answered with the gateway's estimate. */
    private static Result countedHere(Read read, String model, RequestFacts facts) {
        try {
            ObjectNode tree = read.tree() != null ? read.tree() : Json.parseObject(read.body());
            ChatRequest counted = CountTokens.validate(read.asked().codec(), tree);
            return new Answered(CountTokens.estimate(read.asked().codec(), counted), model);
        } catch (CodecException e) {
            return new Refused(e.error(), model, facts.stream());
        }
    }
}
