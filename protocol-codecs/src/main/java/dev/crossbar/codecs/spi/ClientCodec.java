package dev.crossbar.codecs.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.CodecException;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The client side of one protocol: what a client sends us and what it expects back. Implementations are
 * stateless and thread-safe; per-stream state lives in the {@link ClientStreamEncoder} they create.
 */
public interface ClientCodec {

    Protocol protocol();

    /** How this protocol's clients reach the gateway: paths, where the key goes, the model list's path. */
    Inbound inbound();

    /** The top-level members {@link #readFacts} reads: of a body forwarded unchanged, the gateway builds only these. */
    Set<String> factMembers();

    /**
     * What routing, limits and accounting need of a request, without decoding the rest (DESIGN.md 3): a body
     * that goes to a provider of this protocol is that provider's to judge.
     *
     * @param members    the body's {@link #factMembers} (or the whole body)
     * @param pathModel  the model named in the URL path (Gemini), else null
     * @param pathStream true when the path itself asks for a stream
     * @throws CodecException with a 400 naming the field when one the gateway needs is unusable
     */
    RequestFacts readFacts(JsonNode members, @Nullable String pathModel, boolean pathStream);

    /**
     * Decodes a client request body.
     *
     * @param pathModel the model named in the URL path (Gemini), else null
     * @param pathStream true when the path itself asks for a stream (Gemini streamGenerateContent)
     * @throws CodecException with a 400 naming the field when the body is not a valid request
     */
    ChatRequest decodeRequest(JsonNode body, @Nullable String pathModel, boolean pathStream);

    /** The whole reply as the client protocol's JSON body. */
    byte[] encodeResponse(ChatResponse response, ChatRequest request);

    /** A fresh encoder for one streamed reply to {@code request}. */
    ClientStreamEncoder streamEncoder(ChatRequest request);

    /** The error body in the client protocol's shape (status and headers are the caller's job). */
    byte[] encodeError(ApiError error);

    /**
     * The list of models a client may use, in this protocol's shape.
     *
     * @param createdMillis when the models became available (the gateway's start)
     */
    byte[] encodeModelList(List<String> models, long createdMillis);
}
