package dev.crossbar.gateway.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.cluster.responses.ResponseStore;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.spi.Protocol;
import dev.crossbar.gateway.auth.ClientKey;
import dev.crossbar.gateway.routing.ModelRoutes;
import io.vertx.core.Future;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Responses API state Crossbar keeps when the provider keeps none: before a Responses request is
 * decoded, {@code previous_response_id} and {@code item_reference} items are resolved from the cluster's
 * {@link ResponseStore}, and the response produced is kept (unless {@code store: false}) under its id for
 * the client key that asked. A model whose targets all speak the Responses API is left alone: there the
 * state is the provider's.
 */
public final class ResponsesState {

    private static final Logger LOG = LoggerFactory.getLogger(ResponsesState.class);

    private final ResponseStore store;
    private final ModelRoutes routes;
    private final OffLoop offLoop;

    /** @param offLoop where every call to {@code store} runs: never the event loop */
    public ResponsesState(ResponseStore store, ModelRoutes routes, OffLoop offLoop) {
        this.store = store;
        this.routes = routes;
        this.offLoop = offLoop;
    }

    /**
     * Resolves what {@code body} refers to and says how to keep what it produces.
     *
     * @return fails with a {@link CodecException}: a 404 for a reference this client key cannot read, a 400 for a
     *     conversation
     */
    public Future<ResponsesTurn> begin(ObjectNode body, ClientKey client) {
        JsonNode model = body.get("model");
        ModelRoutes.Route route = keptRoute(model != null && model.isTextual() ? model.textValue() : null);
        if (route == null) {
            return Future.succeededFuture(ResponsesTurn.untouched());
        }
        JsonNode conversation = body.get("conversation");
        if (conversation != null && !conversation.isNull()) {
            return Future.failedFuture(CodecException.invalid(
                    "conversation",
                    "'conversation' objects are not kept by this gateway for model '" + route.name()
                            + "'; continue with 'previous_response_id' or send the whole conversation in 'input'"));
        }
        JsonNode given = body.get("input");
        if (given == null || !(given.isTextual() || given.isArray())) {
            return Future.succeededFuture(ResponsesTurn.untouched()); // the decoder names what is wrong with it
        }
        boolean keep;
        try {
            keep = !Boolean.FALSE.equals(Json.optBoolean(body, "store", "store"));
        } catch (CodecException e) {
            return Future.failedFuture(e);
        }
        String owner = client.name();
        Callable<ResponsesTurn> turn = () -> {
            ArrayNode input = resolve(body, given, owner);
            // The tree is this request's alone and read no more as the client sent it: expanded in place, not
            // copied (a coding agent's turn is tens of kilobytes).
            body.remove("previous_response_id");
            body.set("input", input);
            return keep
                    ? ResponsesTurn.keeping(body, response -> keep(response, input, owner))
                    : ResponsesTurn.of(body);
        };
        if (refersToStored(body, given)) {
            // References are read from the store, so the whole resolution runs off the loop; the loop waits for
            // the answer before it reads the tree again.
            return offLoop.run(turn);
        }
        // Nothing to read: resolving on the loop spares the turn two thread hops (about 0.1 ms before its first
        // byte on a 2-core box).
        try {
            return Future.succeededFuture(turn.call());
        } catch (Exception e) {
            return Future.failedFuture(e);
        }
    }

    /**
     * Whether a turn for {@code model} is resolved and kept here: its route has a target of another protocol. A
     * turn for a model this gateway does not serve, or whose targets all speak Responses, is left alone, so its
     * body need not be read whole.
     */
    public boolean keepsStateFor(@Nullable String model) {
        return keptRoute(model) != null;
    }

    private ModelRoutes.@Nullable Route keptRoute(@Nullable String model) {
        ModelRoutes.Route route = model == null ? null : routes.resolve(model);
        return route == null
                        || route.targets().stream().allMatch(t -> t.upstream().protocol() == Protocol.OPENAI_RESPONSES)
                ? null
                : route;
    }

    /** Whether resolving the turn reads the store: a previous response, or an input item that refers to one. */
    private static boolean refersToStored(ObjectNode body, JsonNode given) {
        JsonNode previous = body.get("previous_response_id");
        if (previous != null && !previous.isNull()) {
            return true;
        }
        for (int i = 0; i < given.size(); i++) {
            if (isReference(given.get(i))) {
                return true;
            }
        }
        return false;
    }

    /** The stored record of {@code id} for this client key, or null. */
    public Future<StoredResponse> find(String id, String owner) {
        if (!ResponseIds.plausible(id)) {
            return Future.succeededFuture();
        }
        return offLoop.run(() -> stored(id, owner));
    }

    public Future<Boolean> delete(String id, String owner) {
        if (!ResponseIds.plausible(id)) {
            return Future.succeededFuture(false);
        }
        return offLoop.run(() -> store.delete(id, owner));
    }

    /** Off the loop only. */
    private @Nullable StoredResponse stored(String id, String owner) {
        if (!ResponseIds.plausible(id)) {
            return null;
        }
        byte[] bytes = store.get(id, owner);
        return bytes == null ? null : StoredResponse.read(bytes);
    }

    private ArrayNode resolve(ObjectNode body, JsonNode given, String owner) {
        ArrayNode input = Json.NODES.arrayNode();
        String previous = Json.optText(body, "previous_response_id", "previous_response_id");
        if (previous != null) {
            StoredResponse stored = stored(previous, owner);
            if (stored == null) {
                throw new CodecException(notFound(previous, "previous_response_id"));
            }
            input.addAll(stored.conversation());
        }
        if (given.isTextual()) {
            input.addObject().put("role", "user").put("content", given.textValue());
        } else {
            for (int i = 0; i < given.size(); i++) {
                JsonNode item = given.get(i);
                input.add(isReference(item) ? referenced(item, "input[" + i + "]", owner) : item);
            }
        }
        return input;
    }

    private static boolean isReference(JsonNode item) {
        return item.isObject() && "item_reference".equals(item.path("type").asText(null));
    }

    private JsonNode referenced(JsonNode reference, String path, String owner) {
        String id = Json.requireText(reference, "id", path + ".id");
        String responseId = ResponseIds.responseOf(id);
        StoredResponse stored = responseId == null ? null : stored(responseId, owner);
        JsonNode item = stored == null ? null : stored.item(id);
        if (item == null) {
            throw new CodecException(new ApiError(
                    404,
                    ErrorKind.NOT_FOUND,
                    "Item with id '" + id + "' not found: it is not in a response this client key created and "
                            + "this gateway still keeps (responses expire, can be deleted, and are kept only up to "
                            + "a size)",
                    path + ".id",
                    -1));
        }
        return item;
    }

    /** Keeps {@code response} off the loop; the future ends when it is kept or could not be (never failed). */
    private Future<Void> keep(JsonNode response, ArrayNode input, String owner) {
        String id = response.path("id").asText(null);
        if (!ResponseIds.plausible(id) || !(response instanceof ObjectNode object)) {
            return Future.succeededFuture();
        }
        byte[] record = new StoredResponse(input, object).bytes();
        return offLoop.run(() -> store.put(id, owner, record)).transform(put -> {
            if (put.failed()) {
                LOG.warn("response {} not kept: {}", id, put.cause().toString());
            } else if (!put.result()) {
                LOG.info("response {} not kept: larger than one kept response may be", id);
            }
            return Future.<Void>succeededFuture();
        });
    }

    public static ApiError notFound(String id, @Nullable String param) {
        return new ApiError(
                404,
                ErrorKind.NOT_FOUND,
                "Response with id '" + id + "' not found: it is not one this client key created and this gateway "
                        + "still keeps (responses expire, can be deleted, and are kept only up to a size)",
                param,
                -1);
    }
}
