package dev.crossbar.codecs.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ErrorKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** The one shared Jackson setup, and the field readers every codec uses to report bad input by name. */
public final class Json {

    /** Deeper nesting than this is hostile input, not a chat request. */
    public static final int MAX_NESTING_DEPTH = 64;

    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .build())
            .build());

    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {}

    /**
     * Parses a client request body.
     *
     * @throws CodecException 400 with Jackson's location when the body is not JSON or not an object
     */
    public static ObjectNode parseObject(byte[] body) {
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new CodecException(
                    ApiError.invalid(null, "request body is not valid JSON: " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new CodecException(ApiError.invalid(null, "request body could not be read: " + e.getMessage()));
        }
        if (node == null || !node.isObject()) {
            throw new CodecException(ApiError.invalid(null, "request body must be a JSON object"));
        }
        return (ObjectNode) node;
    }

    /**
     * Parses an upstream body.
     *
     * @throws CodecException 502 when the upstream sent something that is not a JSON object
     */
    public static ObjectNode parseUpstream(byte[] body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node != null && node.isObject()) {
                return (ObjectNode) node;
            }
        } catch (IOException e) {
            // fall through to the 502 below
        }
        throw new CodecException(
                ApiError.of(ErrorKind.BAD_GATEWAY, "the upstream provider returned a malformed response"));
    }

    public static ObjectNode parseUpstream(String body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node != null && node.isObject()) {
                return (ObjectNode) node;
            }
        } catch (IOException e) {
            // fall through to the 502 below
        }
        throw new CodecException(
                ApiError.of(ErrorKind.BAD_GATEWAY, "the upstream provider sent a malformed stream event"));
    }

    /**
     * The first JSON value of {@code text} as a tree, as {@code MAPPER.readTree(text)} reads it (a missing node
     * for empty text, what follows the value ignored), without the deserialization context the mapper creates
     * per call: for the many small documents of a stream, one per event.
     *
     * @throws IOException when the text is not JSON
     */
    public static JsonNode tree(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        JsonNode quick = QuickScan.object(bytes, 0, bytes.length);
        if (quick != null) {
            return quick;
        }
        try (JsonParser p = MAPPER.getFactory().createParser(text)) {
            return p.nextToken() == null ? MissingNode.getInstance() : TreeReader.read(p);
        }
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
    }

    public static String string(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
    }

    /** Text of a field, null when absent or JSON null; 400 naming {@code path} when of another type. */
    public static @Nullable String optText(JsonNode parent, String field, String path) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw CodecException.invalid(path, "'" + path + "' must be a string");
        }
        return v.textValue();
    }

    public static String requireText(JsonNode parent, String field, String path) {
        String v = optText(parent, field, path);
        if (v == null) {
            throw CodecException.invalid(path, "'" + path + "' is required");
        }
        return v;
    }

    public static @Nullable Integer optInt(JsonNode parent, String field, String path) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw CodecException.invalid(path, "'" + path + "' must be an integer");
        }
        return v.intValue();
    }

    public static @Nullable Double optDouble(JsonNode parent, String field, String path) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw CodecException.invalid(path, "'" + path + "' must be a number");
        }
        return v.doubleValue();
    }

    public static @Nullable Boolean optBoolean(JsonNode parent, String field, String path) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw CodecException.invalid(path, "'" + path + "' must be true or false");
        }
        return v.booleanValue();
    }

    /** The array at {@code field}, or null when absent; 400 when present but not an array. */
    public static @Nullable JsonNode optArray(JsonNode parent, String field, String path) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw CodecException.invalid(path, "'" + path + "' must be an array");
        }
        return v;
    }

    public static JsonNode requireArray(JsonNode parent, String field, String path) {
        JsonNode v = optArray(parent, field, path);
        if (v == null) {
            throw CodecException.invalid(path, "'" + path + "' is required");
        }
        return v;
    }

    public static @Nullable JsonNode optObject(JsonNode parent, String field, String path) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw CodecException.invalid(path, "'" + path + "' must be an object");
        }
        return v;
    }

    /** Parses a tool call's arguments text to an object; text that is not a JSON object becomes an empty object. */
    public static JsonNode argumentsObject(String argumentsJson) {
        try {
            JsonNode node = MAPPER.readTree(argumentsJson);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException e) {
            // a model can emit broken JSON arguments; we forward what can be forwarded
        }
        return NODES.objectNode();
    }
}
