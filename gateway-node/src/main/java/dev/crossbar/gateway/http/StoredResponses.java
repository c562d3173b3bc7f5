package dev.crossbar.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.spi.ClientCodec;
import dev.crossbar.gateway.auth.ClientKey;
import dev.crossbar.gateway.proxy.ClientErrors;
import dev.crossbar.gateway.responses.ResponsesState;
import dev.crossbar.gateway.responses.StoredResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/responses/{id}}, {@code GET /v1/responses/{id}/input_items} and
 * {@code DELETE /v1/responses/{id}} for the responses Crossbar keeps, answered for the client key that
 * created them and a 404 in the Responses error shape for anyone else.
 */
public final class StoredResponses {

    private static final Logger LOG = LoggerFactory.getLogger(StoredResponses.class);

    public static final String PREFIX = "/v1/responses/";
    private static final String INPUT_ITEMS = "/input_items";

    private final ResponsesState state;
    private final ClientCodec errors;

    public StoredResponses(ResponsesState state, ClientCodec errors) {
        this.state = state;
        this.errors = errors;
    }

    /** The Responses protocol's codec, in whose shape these routes answer. */
    public ClientCodec codec() {
        return errors;
    }

    public void handle(HttpServerRequest request, ClientKey client) {
        String rest = request.path().substring(PREFIX.length());
        boolean inputItems = rest.endsWith(INPUT_ITEMS);
        String id = inputItems ? rest.substring(0, rest.length() - INPUT_ITEMS.length()) : rest;
        HttpMethod method = request.method();
        if (HttpMethod.DELETE.equals(method) && !inputItems) {
            state.delete(id, client.name()).onComplete(deleted -> {
                if (deleted.succeeded() && deleted.result()) {
                    ObjectNode gone = Json.NODES.objectNode();
                    gone.put("id", id).put("object", "response").put("deleted", true);
                    json(request, gone);
                } else {
                    failed(request, id, deleted.cause());
                }
            });
            return;
        }
        if (!HttpMethod.GET.equals(method)) {
            ClientErrors.send(
                    request.response(),
                    errors,
                    ApiError.of(
                            ErrorKind.NOT_FOUND, method + " " + request.path() + " is not a route of this gateway"));
            return;
        }
        state.find(id, client.name()).onComplete(found -> {
            StoredResponse stored = found.result();
            if (stored == null) {
                failed(request, id, found.cause());
            } else if (inputItems) {
                json(request, list(stored.input()));
            } else {
                json(request, stored.response());
            }
        });
    }

    /** Not found, or (when the store failed) the server's error. */
    private void failed(HttpServerRequest request, String id, Throwable cause) {
        if (cause != null) {
            LOG.warn("kept response {} could not be read: {}", id, cause.toString());
            ClientErrors.send(
                    request.response(),
                    errors,
                    ApiError.of(ErrorKind.SERVER_ERROR, "the gateway could not read its kept responses"));
        } else {
            ClientErrors.send(request.response(), errors, ResponsesState.notFound(id, null));
        }
    }

    private static ObjectNode list(ArrayNode items) {
        ObjectNode list = Json.NODES.objectNode();
        list.put("object", "list");
        list.set("data", items);
        list.put("first_id", items.isEmpty() ? null : items.get(0).path("id").asText(null));
        list.put(
                "last_id",
                items.isEmpty() ? null : items.get(items.size() - 1).path("id").asText(null));
        list.put("has_more", false);
        return list;
    }

    private static void json(HttpServerRequest request, ObjectNode body) {
        request.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(Buffer.buffer(Json.bytes(body)));
    }
}
