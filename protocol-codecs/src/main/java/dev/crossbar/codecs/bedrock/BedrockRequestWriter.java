package dev.crossbar.codecs.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.Message;
import dev.crossbar.codecs.model.ResponseFormat;
import dev.crossbar.codecs.model.Role;
import dev.crossbar.codecs.model.Tool;
import dev.crossbar.codecs.model.ToolChoice;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Writes a canonical request as a Bedrock Converse body: system text hoisted to {@code system}, tool results as
 * {@code toolResult} blocks of a user turn, consecutive turns of one role merged (Converse wants them to
 * alternate), nothing empty. Reasoning is not replayed: Converse's signatures belong to Bedrock alone and are not
 * kept (docs/protocols.md).
 */
final class BedrockRequestWriter {

    private static final String TARGET = "Bedrock Converse";

    private BedrockRequestWriter() {}

    static byte[] write(ChatRequest r) {
        ObjectNode root = Json.NODES.objectNode();
        List<ContentPart.Text> system = new ArrayList<>(1);
        ArrayNode messages = root.putArray("messages");
        boolean toolBlocks = writeMessages(r.messages(), system, messages);
        if (!system.isEmpty()) {
            ArrayNode s = root.putArray("system");
            system.forEach(t -> s.addObject().put("text", t.text()));
        }
        ResponseFormat format = r.responseFormat();
        if (format != null && format.type() != ResponseFormat.Type.TEXT) {
            throw CodecException.unsupported("response_format", TARGET, "a JSON response format");
        }
        ObjectNode inference = Json.NODES.objectNode();
        if (r.maxTokens() != null) {
            inference.put("maxTokens", r.maxTokens());
        }
        if (r.temperature() != null) {
            inference.put("temperature", r.temperature());
        }
        if (r.topP() != null) {
            inference.put("topP", r.topP());
        }
        if (!r.stop().isEmpty()) {
            ArrayNode stop = inference.putArray("stopSequences");
            r.stop().forEach(stop::add);
        }
        if (!inference.isEmpty()) {
            root.set("inferenceConfig", inference);
        }
        boolean offerTools = !r.tools().isEmpty()
                && (r.toolChoice() == null || r.toolChoice().mode() != ToolChoice.Mode.NONE || toolBlocks);
        if (offerTools || toolBlocks) {
            writeTools(
                    root.putObject("toolConfig"),
                    toolsFor(r, messages, offerTools),
                    offerTools ? r.toolChoice() : null);
        }
        ObjectNode additional = Json.NODES.objectNode();
        if (r.topK() != null) {
            additional.put("top_k", r.topK());
        }
        if (r.thinkingBudget() != null && r.thinkingBudget() > 0) {
            additional.putObject("thinking").put("type", "enabled").put("budget_tokens", r.thinkingBudget());
        }
        if (!additional.isEmpty()) {
            root.set("additionalModelRequestFields", additional);
        }
        return Json.bytes(root);
    }

    /** Writes the turns; true when any carries a tool call or result (Converse then needs the tools). */
    private static boolean writeMessages(List<Message> messages, List<ContentPart.Text> system, ArrayNode out) {
        boolean toolBlocks = false;
        String lastRole = null;
        List<Turn> turns = new ArrayList<>();
        int syntheticIds = 0;
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            String param = "messages[" + i + "]";
            if (m.role() == Role.SYSTEM) {
                m.addSystemTexts(system, param, TARGET);
                continue;
            }
            boolean user = m.role() != Role.ASSISTANT;
            List<ObjectNode> blocks = new ArrayList<>(m.parts().size());
            for (ContentPart p : m.parts()) {
                if (p instanceof ContentPart.Text t) {
                    if (!t.text().isEmpty()) {
                        blocks.add(Json.NODES.objectNode().put("text", t.text()));
                    }
                } else if (p instanceof ContentPart.Image img) {
                    if (!user) {
                        throw CodecException.unsupported(param, TARGET, "an image in an assistant message");
                    }
                    blocks.add(image(img, param));
                } else if (p instanceof ContentPart.ToolCall c) {
                    if (user) {
                        throw CodecException.invalid(param, "only an assistant message can carry tool calls");
                    }
                    ObjectNode use = Json.NODES.objectNode();
                    ObjectNode body = use.putObject("toolUse");
                    body.put("toolUseId", c.id() != null ? c.id() : "tooluse_" + i + "_" + syntheticIds++);
                    body.put("name", c.name());
                    body.set("input", Json.argumentsObject(c.argumentsJson()));
                    blocks.add(use);
                    toolBlocks = true;
                } else if (p instanceof ContentPart.ToolResult tr) {
                    if (tr.toolCallId() == null) {
                        throw CodecException.invalid(param, "a tool result needs the id of the call it answers");
                    }
                    ObjectNode result = Json.NODES.objectNode();
                    ObjectNode body = result.putObject("toolResult");
                    body.put("toolUseId", tr.toolCallId());
                    body.putArray("content").addObject().put("text", tr.content());
                    if (tr.isError()) {
                        body.put("status", "error");
                    }
                    blocks.add(result);
                    toolBlocks = true;
                }
                // Thinking and redacted thinking are not replayed (the class comment says why).
            }
            if (blocks.isEmpty()) {
                continue;
            }
            String role = user ? "user" : "assistant";
            if (!role.equals(lastRole)) {
                turns.add(new Turn(role, new ArrayList<>(), new ArrayList<>()));
                lastRole = role;
            }
            Turn turn = turns.get(turns.size() - 1);
            for (ObjectNode b : blocks) {
                // Converse, like Anthropic, wants a user turn's tool results before its other content.
                (b.has("toolResult") ? turn.results() : turn.others()).add(b);
            }
        }
        if (turns.isEmpty()) {
            throw CodecException.invalid("messages", "the conversation has no user or assistant content");
        }
        for (Turn t : turns) {
            ObjectNode turn = out.addObject();
            turn.put("role", t.role());
            ArrayNode content = turn.putArray("content");
            t.results().forEach(content::add);
            t.others().forEach(content::add);
        }
        return toolBlocks;
    }

    /** One Converse message, merged from consecutive canonical messages of its role. */
    private record Turn(String role, List<ObjectNode> results, List<ObjectNode> others) {}

    private static ObjectNode image(ContentPart.Image img, String param) {
        if (img.url() != null) {
            throw CodecException.unsupported(param, TARGET, "an image by URL (send it inline as base64)");
        }
        String type = img.mediaType() == null ? "" : img.mediaType().toLowerCase(Locale.ROOT);
        String format = switch (type) {
            case "image/png" -> "png";
            case "image/jpeg", "image/jpg" -> "jpeg";
            case "image/gif" -> "gif";
            case "image/webp" -> "webp";
            default -> throw CodecException.unsupported(param, TARGET, "an image of type '" + type + "'");
        };
        ObjectNode block = Json.NODES.objectNode();
        ObjectNode image = block.putObject("image");
        image.put("format", format);
        image.putObject("source").put("bytes", img.data());
        return block;
    }

    /**
     * The tools to declare: those offered, and any the conversation called that are not (Converse refuses tool
     * blocks without a {@code toolConfig} declaring them), each of those with an open schema.
     */
    private static List<Tool> toolsFor(ChatRequest r, ArrayNode messages, boolean offered) {
        List<Tool> tools = new ArrayList<>(offered ? r.tools() : List.of());
        java.util.Set<String> named = new java.util.HashSet<>();
        tools.forEach(t -> named.add(t.name()));
        for (JsonNode message : messages) {
            for (JsonNode block : message.path("content")) {
                String name = block.path("toolUse").path("name").textValue();
                if (name != null && named.add(name)) {
                    tools.add(new Tool(name, null, null));
                }
            }
        }
        if (tools.isEmpty()) {
            // Only tool results, their calls not in the conversation: a placeholder keeps Converse from refusing.
            tools.add(new Tool("tool", null, null));
        }
        return tools;
    }

    private static void writeTools(ObjectNode config, List<Tool> tools, @Nullable ToolChoice choice) {
        ArrayNode list = config.putArray("tools");
        for (Tool t : tools) {
            ObjectNode spec = list.addObject().putObject("toolSpec");
            spec.put("name", t.name());
            if (t.description() != null && !t.description().isEmpty()) {
                spec.put("description", t.description());
            }
            JsonNode schema = t.parameters() != null && t.parameters().isObject()
                    ? t.parameters()
                    : Json.NODES.objectNode().put("type", "object").set("properties", Json.NODES.objectNode());
            spec.putObject("inputSchema").set("json", schema);
        }
        if (choice == null) {
            return;
        }
        switch (choice.mode()) {
            case AUTO -> config.putObject("toolChoice").putObject("auto");
            case REQUIRED -> config.putObject("toolChoice").putObject("any");
            case SPECIFIC -> config.putObject("toolChoice").putObject("tool").put("name", choice.name());
            case NONE -> {
                // Converse cannot forbid the tools a conversation already used: they are offered, unforced.
            }
        }
    }
}
