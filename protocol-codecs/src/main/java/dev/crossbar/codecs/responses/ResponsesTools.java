package dev.crossbar.codecs.responses;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.json.JsonOutput;
import dev.crossbar.codecs.model.BuiltinTool;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.Tool;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The Responses API's {@code tools}: function tools (flat: their fields on the tool itself), {@code namespace}
 * groups of function tools, {@code custom} tools, and the tools OpenAI runs itself. A namespace's functions
 * become canonical tools under their flat name {@code namespace__name} ({@link Tool#flatName}), which must
 * not collide with another tool's; built-in tools are noted for the gateway's policy.
 */
final class ResponsesTools {

    private ResponsesTools() {}

    static List<Tool> read(JsonNode body, List<BuiltinTool> builtins) {
        JsonNode tools = Json.optArray(body, "tools", "tools");
        if (tools == null || tools.isEmpty()) {
            return List.of();
        }
        List<Tool> out = new ArrayList<>(tools.size());
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tools.size(); i++) {
            String path = "tools[" + i + "]";
            JsonNode t = object(tools.get(i), path);
            String type = Json.requireText(t, "type", path + ".type");
            switch (type) {
                case "function" -> add(out, names, function(t, path, null), path);
                case "namespace" -> {
                    String namespace = Json.requireText(t, "name", path + ".name");
                    if (namespace.isEmpty()) {
                        throw CodecException.invalid(path + ".name", "'" + path + ".name' must not be empty");
                    }
                    Json.optText(t, "description", path + ".description");
                    JsonNode inner = Json.requireArray(t, "tools", path + ".tools");
                    for (int j = 0; j < inner.size(); j++) {
                        String innerPath = path + ".tools[" + j + "]";
                        JsonNode fn = object(inner.get(j), innerPath);
                        String innerType = Json.requireText(fn, "type", innerPath + ".type");
                        if (!"function".equals(innerType)) {
                            throw unsupportedCustom(innerPath, innerType);
                        }
                        add(out, names, function(fn, innerPath, namespace), innerPath);
                    }
                }
                case "custom" -> throw unsupportedCustom(path, type);
                default -> builtins.add(new BuiltinTool(type, path));
            }
        }
        return out;
    }

    private static JsonNode object(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw CodecException.invalid(path, "'" + path + "' must be an object");
        }
        return node;
    }

    /** A function tool; {@code strict} and {@code defer_loading} are validated and dropped. */
    private static Tool function(JsonNode t, String path, @Nullable String namespace) {
        String name = Json.requireText(t, "name", path + ".name");
        String description = Json.optText(t, "description", path + ".description");
        JsonNode parameters = Json.optObject(t, "parameters", path + ".parameters");
        Json.optBoolean(t, "strict", path + ".strict");
        Json.optBoolean(t, "defer_loading", path + ".defer_loading");
        return new Tool(Tool.flatName(namespace, name), description, parameters, namespace);
    }

    private static void add(List<Tool> out, Set<String> names, Tool tool, String path) {
        if (!names.add(tool.name())) {
            throw CodecException.invalid(
                    path + ".name",
                    "'" + path + ".name': another tool already goes by the name '" + tool.name()
                            + "' (a namespace's functions are named namespace__name for providers without "
                            + "namespaces); rename one of them");
        }
        out.add(tool);
    }

    private static CodecException unsupportedCustom(String path, String type) {
        return CodecException.invalid(
                path + ".type",
                "'" + path + ".type' '" + type + "' is not supported by this gateway: only function tools (alone or "
                        + "in a namespace) translate to other providers");
    }

    /**
     * The tools as a Response echoes them: functions flat, a namespace's functions regrouped under it in the
     * place of its first function.
     */
    static void writeEcho(JsonGenerator g, List<Tool> tools) throws IOException {
        g.writeArrayFieldStart("tools");
        Set<String> written = new HashSet<>();
        for (Tool t : tools) {
            if (t.namespace() == null) {
                writeFunction(g, t);
            } else if (written.add(t.namespace())) {
                g.writeStartObject();
                g.writeStringField("type", "namespace");
                g.writeStringField("name", t.namespace());
                g.writeStringField("description", "");
                g.writeArrayFieldStart("tools");
                for (Tool member : tools) {
                    if (t.namespace().equals(member.namespace())) {
                        writeFunction(g, member);
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
            }
        }
        g.writeEndArray();
    }

    private static void writeFunction(JsonGenerator g, Tool t) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "function");
        g.writeStringField("name", t.localName());
        JsonOutput.stringField(g, "description", t.description());
        g.writeFieldName("parameters");
        if (t.parameters() == null) {
            g.writeNull();
        } else {
            g.writeTree(t.parameters());
        }
        g.writeNullField("strict");
        g.writeEndObject();
    }

    /** The namespaced tool a call's flat name refers to, or null (the call's name is then its own). */
    static @Nullable Tool namespaced(List<Tool> tools, @Nullable String flatName) {
        for (Tool t : tools) {
            if (t.namespace() != null && t.name().equals(flatName)) {
                return t;
            }
        }
        return null;
    }
}
