package dev.crossbar.gateway.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.spi.ClientCodec;
import java.util.function.Consumer;

/**
 * One Responses request after {@link ResponsesState#begin}: its body with references resolved, and the
 * client codec that keeps the Response it encodes (when the client asked to store it).
 */
public final class ResponsesTurn {

    static final ResponsesTurn UNTOUCHED = new ResponsesTurn(null, null);

    private final ObjectNode body;
    private final Consumer<JsonNode> keeper;

    ResponsesTurn(ObjectNode body, Consumer<JsonNode> keeper) {
        this.body = body;
        this.keeper = keeper;
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
        return keeper == null ? codec : new KeepingCodec(codec, keeper);
    }
}
