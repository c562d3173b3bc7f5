package dev.crossbar.codecs.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.json.Json;
import java.util.List;

/** OpenAI's model list ({@code GET /v1/models}), which Chat Completions and Responses clients both read. */
public final class ModelList {

    private ModelList() {}

    public static byte[] encode(List<String> models, long createdMillis) {
        ObjectNode root = Json.NODES.objectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        models.forEach(n -> data.addObject()
                .put("id", n)
                .put("object", "model")
                .put("created", createdMillis / 1_000)
                .put("owned_by", "crossbar"));
        return Json.bytes(root);
    }
}
