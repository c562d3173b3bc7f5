package dev.crossbar.codecs.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.CodecException;
import org.jspecify.annotations.Nullable;

/** The checks every protocol's {@link ClientCodec#readFacts} makes of the few members it reads. */
public final class FactReader {

    private FactReader() {}

    /** The model named at {@code field}: a string that is not blank. */
    public static String model(JsonNode body, String field) {
        String model = Json.requireText(body, field, field);
        if (model.isBlank()) {
            throw CodecException.invalid(field, "'" + field + "' must not be empty");
        }
        return model;
    }

    /** An output cap at {@code path}, or null: an integer of at least 1 (the gateway reserves by it). */
    public static @Nullable Integer maxTokens(JsonNode parent, String field, String path) {
        Integer max = Json.optInt(parent, field, path);
        if (max != null && max < 1) {
            throw CodecException.invalid(path, "'" + path + "' must be >= 1, was " + max);
        }
        return max;
    }

    /** True when {@code field} is {@code true}. */
    public static boolean flag(JsonNode parent, String field, String path) {
        return Boolean.TRUE.equals(Json.optBoolean(parent, field, path));
    }
}
