package dev.crossbar.codecs.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.Tool;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI's {@code tools} list of function tools, in its two layouts: Chat Completions nests the
 * function's fields under {@code function}, Responses puts them on the tool itself. Other tool types
 * are refused with a message naming the field.
 */
public final class FunctionTools {

    private FunctionTools() {}

    /**
     * The function tools of a request body.
     *
     * @param nested true when the fields sit under {@code function} (Chat Completions), false for Responses
     */
    public static List<Tool> read(JsonNode body, boolean nested) {
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
                        nested
                                ? "'" + path + ".type' must be 'function'; '" + type
                                        + "' tools are not supported by this gateway"
                                : "'" + path + ".type' '" + type
                                        + "' is a built-in tool, which this gateway does not support; "
                                        + "only 'function' tools are");
            }
            JsonNode fn = t;
            String fields = path;
            if (nested) {
                fields = path + ".function";
                fn = Json.optObject(t, "function", fields);
                if (fn == null) {
                    throw CodecException.invalid(fields, "'" + fields + "' is required");
                }
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
