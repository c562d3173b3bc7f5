package dev.crossbar.gateway.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.json.Json;
import org.jspecify.annotations.Nullable;

/**
 * What Crossbar keeps of one response it produced: the input items the model saw (the whole conversation
 * up to that turn, references resolved) and the Response object the client got, whose output items follow.
 */
public record StoredResponse(ArrayNode input, ObjectNode response) {

    static StoredResponse read(byte[] bytes) {
        ObjectNode node = Json.parseUpstream(bytes);
        return new StoredResponse((ArrayNode) node.get("input"), (ObjectNode) node.get("response"));
    }

    byte[] bytes() {
        ObjectNode node = Json.NODES.objectNode();
        node.set("input", input);
        node.set("response", response);
        return Json.bytes(node);
    }

    ArrayNode output() {
        JsonNode output = response.get("output");
        return output instanceof ArrayNode a ? a : Json.NODES.arrayNode();
    }

    /** The conversation a follow-up continues: the input items, then the output items. */
    ArrayNode conversation() {
        ArrayNode all = Json.NODES.arrayNode(input.size() + output().size());
        all.addAll(input);
        all.addAll(output());
        return all;
    }

    /** The item with this id among the output items, then the input items; null when neither holds it. */
    @Nullable
    JsonNode item(String id) {
        for (ArrayNode items : new ArrayNode[] {output(), input}) {
            for (JsonNode item : items) {
                if (id.equals(item.path("id").asText(null))) {
                    return item;
                }
            }
        }
        return null;
    }
}
