package dev.crossbar.gateway.upstream.vertex;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.gateway.config.VertexConfig;
import dev.crossbar.gateway.upstream.Addressing;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Vertex AI's publisher model URLs under {@code https://LOCATION-aiplatform.googleapis.com/v1}. Gemini's
 * {@code /models/M:generateContent} moves under {@code /projects/P/locations/L/publishers/google}. Anthropic's
 * {@code /messages} becomes {@code .../publishers/anthropic/models/M:rawPredict} (or {@code :streamRawPredict}),
 * with the model out of the body and Vertex's {@code anthropic_version} in it.
 */
public final class VertexAddressing implements Addressing {

    /** The Messages API version Vertex serves Claude in, named in the body instead of a header. */
    public static final String ANTHROPIC_VERSION = "vertex-2023-10-16";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MESSAGES = "/messages";
    private static final String COUNT_TOKENS = "/messages/count_tokens";

    private final String publisherPath;
    private final boolean anthropic;

    public VertexAddressing(VertexConfig vertex) {
        this.publisherPath = "/projects/" + vertex.project() + "/locations/" + vertex.location() + "/publishers/"
                + vertex.publisher();
        this.anthropic = VertexConfig.ANTHROPIC.equals(vertex.publisher());
    }

    @Override
    public String path(String path, String model, boolean stream) {
        if (!anthropic) {
            return publisherPath + path;
        }
        if (COUNT_TOKENS.equals(path)) {
            return publisherPath + "/models/count-tokens:rawPredict";
        }
        return publisherPath + "/models/" + model + (stream ? ":streamRawPredict" : ":rawPredict");
    }

    @Override
    public byte[] body(String path, byte[] body) {
        if (!anthropic || !MESSAGES.equals(path)) {
            return body;
        }
        try {
            ObjectNode json = (ObjectNode) JSON.readTree(body);
            json.remove("model");
            json.put("anthropic_version", ANTHROPIC_VERSION);
            return JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
