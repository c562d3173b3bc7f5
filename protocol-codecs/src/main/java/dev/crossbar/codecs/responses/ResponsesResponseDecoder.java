package dev.crossbar.codecs.responses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.model.FinishReason;
import java.util.ArrayList;
import java.util.List;

/** Reads an upstream's whole Response object into the canonical reply. */
final class ResponsesResponseDecoder {

    private ResponsesResponseDecoder() {}

    /**
     * @throws CodecException 502 (or the status the failure's code implies) when the body is not a Response or
     *     reports a failed one
     */
    static ChatResponse decode(byte[] body, long nowSeconds) {
        JsonNode root = Json.parseUpstream(body);
        JsonNode output = answer(root);
        List<ContentPart> parts = new ArrayList<>(output.size() + 1);
        boolean calls = false;
        for (JsonNode item : output) {
            calls |= ResponsesWire.readItem(item, parts);
        }
        FinishReason reason = ResponsesWire.finish(root, calls);
        long created = root.path("created_at").asLong(0);
        String id = root.path("id").textValue();
        return new ChatResponse(
                id,
                root.path("model").textValue(),
                parts,
                reason,
                null,
                ResponsesWire.usage(root.get("usage")),
                created > 0 ? created : nowSeconds);
    }

    /** The output of a Response that is an answer; a failed one, or an error body, is thrown. */
    static JsonNode answer(JsonNode root) {
        JsonNode error = root.get("error");
        String status = root.path("status").textValue();
        if ("failed".equals(status) || (error != null && error.isObject() && !root.has("output"))) {
            throw new CodecException(
                    error != null && error.isObject()
                            ? ResponsesWire.error(error)
                            : ApiError.of(ErrorKind.BAD_GATEWAY, "the upstream provider's response failed"));
        }
        JsonNode output = root.get("output");
        if (output == null || !output.isArray()) {
            throw new CodecException(ApiError.of(
                    ErrorKind.BAD_GATEWAY, "the upstream provider returned a malformed response: it has no output"));
        }
        return output;
    }
}
