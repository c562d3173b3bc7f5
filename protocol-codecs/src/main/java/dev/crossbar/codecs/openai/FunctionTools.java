package dev.crossbar.codecs.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.Tool;
import java.util.ArrayList;
import java.util.List;

/**
 * Chat Completions' {@code tools}: function tools, their fields nested under {@code function}. Other tool
 * types are refused with a message naming the field.
 */
final class FunctionTools {

    private FunctionTools() {}

    /** The function tools of a request body. */
    static List<Tool> read(JsonNode body) {
        JsonNode tools = Json.optArray(body, "tools", "tools");
        if (tools == null || tools.isEmpty()) {
            return List.of();
        }
        List<Tool> out = new ArrayList<>(tools.size());
        for (int i = 0; i < tools.size(); i++) {
            String path = "tools[" + i + "]";
            JsonNode t = tools.get(i);
            if (!t.isObject()) {
                throw CodecException.invalid(path, "'" + path + "' must be an object");
            }
            String type = Json.requireText(t, "type", path + ".type");
            if (!"function".equals(type)) {
                throw CodecException.invalid(
                        path + ".type",
                        "'" + path + ".type' must be 'function'; '" + type
                                + "' tools are not supported by this gateway");
            }
            String fields = path + ".function";
            JsonNode fn = Json.optObject(t, "function", fields);
            if (fn == null) {
                throw CodecException.invalid(fields, "'" + fields + "' is required");
            }
            String name = Json.requireText(fn, "name", fields + ".name");
            String description = Json.optText(fn, "description", fields + ".description");
            JsonNode parameters = Json.optObject(fn, "parameters", fields + ".parameters");
            Json.optBoolean(fn, "strict", fields + ".strict");
            out.add(new Tool(name, description, parameters));
        }
        return out;
    }
}
