package dev.crossbar.codecs.gemini;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.json.JsonOutput;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.FinishReason;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.codecs.spi.ClientCodec;
import dev.crossbar.codecs.spi.ClientRoute;
import dev.crossbar.codecs.spi.ClientStreamEncoder;
import dev.crossbar.codecs.spi.FactReader;
import dev.crossbar.codecs.spi.Inbound;
import dev.crossbar.codecs.spi.KeyPlaces;
import dev.crossbar.codecs.spi.Protocol;
import dev.crossbar.codecs.spi.RequestFacts;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The client side of Gemini: {@code POST /v1beta/models/{model}:generateContent} and
 * {@code :streamGenerateContent?alt=sse}. The model and the stream flag come from the path.
 * Stateless and thread-safe.
 */
public final class GeminiClientCodec implements ClientCodec {

    private static final String MODELS = "/v1beta/models";

    private static final Inbound INBOUND = new Inbound(
            List.of(
                    ClientRoute.modelInPath(MODELS + "/", "generateContent", false),
                    ClientRoute.modelInPath(MODELS + "/", "streamGenerateContent", true)),
            new KeyPlaces(
                    List.of("x-goog-api-key"), "key", true, "the x-goog-api-key header or the key query parameter"),
            MODELS,
            null);

    @Override
    public Protocol protocol() {
        return Protocol.GEMINI;
    }

    @Override
    public Inbound inbound() {
        return INBOUND;
    }

    /** What intake reads of a body: the model (the path's first) and the output cap in generationConfig. */
    private static final Set<String> FACTS = Set.of("model", "generationConfig");

    @Override
    public Set<String> factMembers() {
        return FACTS;
    }

    @Override
    public RequestFacts readFacts(JsonNode members, @Nullable String pathModel, boolean pathStream) {
        String model = pathModel == null || pathModel.isEmpty() ? FactReader.model(members, "model") : pathModel;
        if (model.startsWith("models/")) {
            model = model.substring("models/".length());
        }
        JsonNode config = Json.optObject(members, "generationConfig", "generationConfig");
        Integer max = config == null
                ? null
                : FactReader.maxTokens(config, "maxOutputTokens", "generationConfig.maxOutputTokens");
        return new RequestFacts(model, pathStream, max, false);
    }

    /**
     * {@inheritDoc} {@code pathModel} is the {model} path segment (a body {@code model} is the
     * fallback); {@code pathStream} is true for streamGenerateContent. safetySettings are ignored.
     */
    @Override
    public ChatRequest decodeRequest(JsonNode body, @Nullable String pathModel, boolean pathStream) {
        return GeminiRequestReader.read(body, pathModel, pathStream);
    }

    @Override
    public byte[] encodeResponse(ChatResponse response, ChatRequest request) {
        return JsonOutput.bytes(g -> writeResponse(
                g,
                response.content(),
                response.finishReason(),
                response.usage(),
                response.model() != null ? response.model() : request.model(),
                response.id(),
                false));
    }

    /**
     * A GenerateContentResponse with one candidate; {@code finish} null leaves finishReason out, and
     * {@code textIfEmpty} writes one empty text part rather than no parts (for the last stream chunk,
     * which clients often read as {@code parts[0].text}).
     */
    static void writeResponse(
            JsonGenerator g,
            List<ContentPart> parts,
            @Nullable FinishReason finish,
            @Nullable Usage usage,
            String model,
            @Nullable String id,
            boolean textIfEmpty)
            throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("candidates");
        g.writeStartObject();
        g.writeObjectFieldStart("content");
        g.writeArrayFieldStart("parts");
        if (!GeminiWire.writeModelParts(g, parts, false) && textIfEmpty) {
            g.writeStartObject();
            g.writeStringField("text", "");
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeStringField("role", "model");
        g.writeEndObject();
        if (finish != null) {
            g.writeStringField("finishReason", GeminiWire.finishReason(finish));
        }
        g.writeNumberField("index", 0);
        g.writeEndObject();
        g.writeEndArray();
        if (usage != null) {
            GeminiWire.writeUsage(g, usage);
        }
        if (model != null) {
            g.writeStringField("modelVersion", model);
        }
        if (id != null) {
            g.writeStringField("responseId", id);
        }
        g.writeEndObject();
    }

    @Override
    public ClientStreamEncoder streamEncoder(ChatRequest request) {
        return new GeminiStreamEncoder(request.model());
    }

    @Override
    public byte[] encodeModelList(List<String> models, long createdMillis) {
        ObjectNode root = Json.NODES.objectNode();
        ArrayNode list = root.putArray("models");
        models.forEach(n -> {
            ObjectNode m = list.addObject().put("name", "models/" + n).put("displayName", n);
            m.putArray("supportedGenerationMethods").add("generateContent").add("streamGenerateContent");
        });
        return Json.bytes(root);
    }

    /**
     * {@code {"error":{code,message,status}}}; a 429 with a known delay adds RetryInfo, which is where
     * Gemini clients look for it.
     */
    @Override
    public byte[] encodeError(ApiError error) {
        return JsonOutput.bytes(g -> writeError(g, error));
    }

    static void writeError(JsonGenerator g, ApiError error) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("error");
        g.writeNumberField("code", error.status());
        g.writeStringField("message", error.message());
        g.writeStringField("status", GeminiWire.status(error.status(), error.kind()));
        if (error.status() == 429 && error.retryAfterMs() >= 0) {
            g.writeArrayFieldStart("details");
            g.writeStartObject();
            g.writeStringField("@type", "type.googleapis.com/google.rpc.RetryInfo");
            g.writeStringField("retryDelay", GeminiWire.formatDelay(error.retryAfterMs()));
            g.writeEndObject();
            g.writeEndArray();
        }
        g.writeEndObject();
        g.writeEndObject();
    }
}
