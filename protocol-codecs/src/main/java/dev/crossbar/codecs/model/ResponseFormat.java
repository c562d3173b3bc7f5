package dev.crossbar.codecs.model;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/** Structured output request: plain JSON mode, or a JSON schema ({@code schema} non-null). */
public record ResponseFormat(
        Type type, @Nullable String name, @Nullable JsonNode schema, boolean strict) {
    public enum Type {
        TEXT,
        JSON_OBJECT,
        JSON_SCHEMA
    }
}
