package dev.crossbar.gateway.responses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.spi.ClientCodec;
import dev.crossbar.codecs.spi.ClientStreamEncoder;
import dev.crossbar.codecs.spi.Inbound;
import dev.crossbar.codecs.spi.Protocol;
import dev.crossbar.codecs.spi.RequestFacts;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The Responses client codec, handing each Response it encodes to a keeper before the client gets it: the
 * whole body, or the Response in a stream's terminal event. Keeping it first means a follow-up the client
 * sends at once finds it.
 */
final class KeepingCodec implements ClientCodec, RelayedKeeper {

    private final ClientCodec codec;
    private final Consumer<JsonNode> keeper;

    KeepingCodec(ClientCodec codec, Consumer<JsonNode> keeper) {
        this.codec = codec;
        this.keeper = keeper;
    }

    @Override
    public Protocol protocol() {
        return codec.protocol();
    }

    @Override
    public Inbound inbound() {
        return codec.inbound();
    }

    @Override
    public Set<String> factMembers() {
        return codec.factMembers();
    }

    @Override
    public RequestFacts readFacts(JsonNode members, @Nullable String pathModel, boolean pathStream) {
        return codec.readFacts(members, pathModel, pathStream);
    }

    @Override
    public ChatRequest decodeRequest(JsonNode body, @Nullable String pathModel, boolean pathStream) {
        return codec.decodeRequest(body, pathModel, pathStream);
    }

    @Override
    public byte[] encodeResponse(ChatResponse response, ChatRequest request) {
        byte[] body = codec.encodeResponse(response, request);
        keeper.accept(Json.parseUpstream(body));
        return body;
    }

    @Override
    public boolean keepRelayed(byte[] relayed) {
        JsonNode response;
        try {
            response = Json.parseUpstream(relayed);
        } catch (RuntimeException notJson) {
            return false;
        }
        keeper.accept(response);
        return true;
    }

    @Override
    public ClientStreamEncoder streamEncoder(ChatRequest request) {
        ClientStreamEncoder encoder = codec.streamEncoder(request);
        return new KeepingEncoder(encoder);
    }

    private final class KeepingEncoder implements ClientStreamEncoder, RelayedKeeper {
        private final ClientStreamEncoder encoder;

        KeepingEncoder(ClientStreamEncoder encoder) {
            this.encoder = encoder;
        }

        @Override
        public boolean keepRelayed(byte[] relayed) {
            JsonNode response = terminalResponse(new String(relayed, StandardCharsets.UTF_8));
            if (response == null) {
                return false;
            }
            keeper.accept(response);
            return true;
        }

        @Override
        public String contentType() {
            return encoder.contentType();
        }

        @Override
        public String encode(StreamEvent event) {
            String out = encoder.encode(event);
            if (event instanceof StreamEvent.End) {
                JsonNode response = terminalResponse(out);
                if (response != null) {
                    keeper.accept(response);
                }
            }
            return out;
        }
    }

    @Override
    public byte[] encodeError(ApiError error) {
        return codec.encodeError(error);
    }

    @Override
    public byte[] encodeModelList(List<String> models, long createdMillis) {
        return codec.encodeModelList(models, createdMillis);
    }

    /** The Response of a {@code response.completed} or {@code response.incomplete} event, or null. */
    static @Nullable JsonNode terminalResponse(String events) {
        for (String event : events.split("\n\n", -1)) {
            if (event.startsWith("event: response.completed\n") || event.startsWith("event: response.incomplete\n")) {
                int data = event.indexOf("\ndata: ");
                if (data >= 0) {
                    return Json.parseUpstream(event.substring(data + "\ndata: ".length()))
                            .get("response");
                }
            }
        }
        return null;
    }
}
