package dev.crossbar.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.spi.Protocol;
import dev.crossbar.gateway.auth.ClientKey;
import dev.crossbar.gateway.routing.ModelRoutes;
import java.time.Instant;
import java.util.List;

/** The model list in each protocol's own shape, limited to what the client key may use. */
public final class ModelLists {

    private ModelLists() {}

    public static byte[] render(Protocol protocol, ModelRoutes routes, ClientKey client, long createdMillis) {
        List<String> names = routes.all().stream()
                .map(ModelRoutes.Route::name)
                .filter(client::allows)
                .toList();
        ObjectNode root = Json.NODES.objectNode();
        switch (protocol) {
            case ANTHROPIC -> {
                ArrayNode data = root.putArray("data");
                String created = Instant.ofEpochMilli(createdMillis).toString();
                names.forEach(n -> data.addObject()
                        .put("type", "model")
                        .put("id", n)
                        .put("display_name", n)
                        .put("created_at", created));
                root.put("has_more", false);
                root.put("first_id", names.isEmpty() ? null : names.get(0));
                root.put("last_id", names.isEmpty() ? null : names.get(names.size() - 1));
            }
            case GEMINI -> {
                ArrayNode models = root.putArray("models");
                names.forEach(n -> {
                    ObjectNode m = models.addObject().put("name", "models/" + n).put("displayName", n);
                    m.putArray("supportedGenerationMethods")
                            .add("generateContent")
                            .add("streamGenerateContent");
                });
            }
            default -> {
                root.put("object", "list");
                ArrayNode data = root.putArray("data");
                names.forEach(n -> data.addObject()
                        .put("id", n)
                        .put("object", "model")
                        .put("created", createdMillis / 1_000)
                        .put("owned_by", "crossbar"));
            }
        }
        return Json.bytes(root);
    }
}
