package dev.crossbar.gateway.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.spi.ClientCodec;
import io.vertx.core.Future;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One Responses request after {@link ResponsesState#begin}: its body with references resolved, and the
 * client codec that keeps the Response it encodes (when the client asked to store it). The Response is kept off
 * the event loop; {@link #kept} says when, and the answer that carries it waits for that, so a follow-up the
 * client sends at once, to any node, finds it. One per request, on its event loop.
 */
public final class ResponsesTurn {

    private final @Nullable ObjectNode body;
    private final @Nullable Function<JsonNode, Future<Void>> keeper;
    private Future<Void> kept = Future.succeededFuture();

    private ResponsesTurn(@Nullable ObjectNode body, @Nullable Function<JsonNode, Future<Void>> keeper) {
        this.body = body;
        this.keeper = keeper;
    }

    /** Nothing to resolve or keep. */
    static ResponsesTurn untouched() {
        return new ResponsesTurn(null, null);
    }

    /** {@code body} resolved, nothing kept. */
    static ResponsesTurn of(ObjectNode body) {
        return new ResponsesTurn(body, null);
    }

    /** {@code body} resolved; the Response encoded for it is handed to {@code keeper}. */
    static ResponsesTurn keeping(ObjectNode body, Function<JsonNode, Future<Void>> keeper) {
        return new ResponsesTurn(body, keeper);
    }

    /** The body to decode and forward: the one given when nothing was resolved. */
    public ObjectNode body(ObjectNode given) {
        return body == null ? given : body;
    }

    /** The raw bytes to forward as is. */
    public byte[] rawBody(byte[] given) {
        return body == null ? given : Json.bytes(body);
    }

    /** The codec to encode the reply with: one that also keeps it, or {@code codec} itself. */
    public ClientCodec codec(ClientCodec codec) {
        return keeper == null ? codec : new KeepingCodec(codec, this::keep);
    }

    /** Done when the Response the codec encoded last is kept (or could not be); done at once when there is none. */
    public Future<Void> kept() {
        return kept;
    }

    private void keep(JsonNode response) {
        kept = Objects.requireNonNull(keeper, "codec hands out keep only with a keeper")
                .apply(response);
    }
}
