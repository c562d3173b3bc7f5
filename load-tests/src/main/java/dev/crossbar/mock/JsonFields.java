package dev.crossbar.mock;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/** Typed reads of optional fields from a config object, with errors that name the field. */
final class JsonFields {

    private final JsonNode node;

    JsonFields(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("must be a JSON object, was " + node);
        }
        this.node = node;
    }

    /** Rejects fields outside {@code known}, so a typo in a config does not pass silently. */
    void only(String... known) {
        List<String> names = Arrays.asList(known);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!names.contains(name)) {
                throw new IllegalArgumentException("unknown field " + name + ", known: " + names);
            }
        }
    }

    boolean has(String field) {
        return node.has(field);
    }

    JsonNode get(String field) {
        return node.get(field);
    }

    String optString(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string, was " + v);
        }
        return v.textValue();
    }

    Long optLong(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException(field + " must be an integer, was " + v);
        }
        return v.longValue();
    }

    long longOr(String field, long fallback) {
        Long v = optLong(field);
        return v == null ? fallback : v;
    }

    int intOr(String field, int fallback) {
        Long v = optLong(field);
        if (v == null) {
            return fallback;
        }
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw new IllegalArgumentException(field + " must fit an int, was " + v);
        }
        return v.intValue();
    }

    double doubleOr(String field, double fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException(field + " must be a number, was " + v);
        }
        return v.doubleValue();
    }
}
