package dev.crossbar.codecs.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** A function the model may call; {@code parameters} is its JSON schema (may be null: no parameters). */
public record Tool(String name, String description, JsonNode parameters) {
    public Tool {
        Objects.requireNonNull(name, "name");
    }
}
