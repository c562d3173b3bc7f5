package dev.crossbar.codecs.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A function the model may call; {@code parameters} is its JSON schema (may be null: no parameters).
 * A function of a Responses {@code namespace} group keeps its group in {@code namespace}, and its
 * {@code name} is the flat name every other protocol sees ({@link #flatName}); calls use the flat name.
 */
public record Tool(
        String name,
        @Nullable String description,
        @Nullable JsonNode parameters,
        @Nullable String namespace) {

    /** Joins a namespace and a function name; a double underscore cannot be confused with the usual names. */
    public static final String NAMESPACE_SEPARATOR = "__";

    public Tool {
        Objects.requireNonNull(name, "name");
        if (namespace != null && !name.startsWith(namespace + NAMESPACE_SEPARATOR)) {
            throw new IllegalArgumentException("a namespaced tool goes by its flat name, was '" + name + "'");
        }
    }

    public Tool(String name, @Nullable String description, @Nullable JsonNode parameters) {
        this(name, description, parameters, null);
    }

    /** {@code namespace__name}: the name a namespaced function goes by where namespaces do not exist. */
    public static String flatName(@Nullable String namespace, String name) {
        return namespace == null || namespace.isEmpty() ? name : namespace + NAMESPACE_SEPARATOR + name;
    }

    /** The function's name inside its namespace (the flat name when it has none). */
    public String localName() {
        return namespace == null ? name : name.substring(namespace.length() + NAMESPACE_SEPARATOR.length());
    }
}
