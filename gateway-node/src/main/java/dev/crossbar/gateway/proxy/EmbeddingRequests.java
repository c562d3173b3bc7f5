package dev.crossbar.gateway.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.json.TopLevelScan;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.codecs.spi.RequestFacts;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The little Crossbar needs to know of an OpenAI embeddings request and answer; the body is forwarded as is. */
final class EmbeddingRequests {

    private EmbeddingRequests() {}

    /** The top-level members {@link #facts} reads. */
    static final Set<String> MEMBERS = Set.of("model", "input");

    /** Checks the members routing needs ({@link #MEMBERS}); an embedding is one answer, never streamed. */
    static RequestFacts facts(JsonNode body) {
        String model = Json.requireText(body, "model", "model");
        JsonNode input = body.get("input");
        if (input == null || input.isNull() || !(input.isTextual() || input.isArray())) {
            throw CodecException.invalid("input", "'input' is required: a string or an array of strings or tokens");
        }
        if (input.isArray() && input.isEmpty()) {
            throw CodecException.invalid("input", "'input' must not be empty");
        }
        return new RequestFacts(model, false, null, false);
    }

    /** The usage an embeddings answer reports (read without building the whole answer), or null when it has none. */
    static @Nullable Usage usage(byte[] answer) {
        try {
            JsonNode usage = TopLevelScan.member(answer, "usage", null);
            if (usage.has("prompt_tokens")) {
                return Usage.of(usage.get("prompt_tokens").asLong(), 0);
            }
        } catch (CodecException e) {
            // the client gets the body as the provider sent it; only our accounting falls back to the estimate
        }
        return null;
    }
}
