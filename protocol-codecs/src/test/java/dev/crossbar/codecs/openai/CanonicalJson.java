package dev.crossbar.codecs.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.model.FinishReason;
import dev.crossbar.codecs.model.Issuer;
import dev.crossbar.codecs.model.Message;
import dev.crossbar.codecs.model.ResponseFormat;
import dev.crossbar.codecs.model.Role;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.model.Tool;
import dev.crossbar.codecs.model.ToolChoice;
import dev.crossbar.codecs.model.Usage;
import java.util.ArrayList;
import java.util.List;

/**
 * A compact JSON rendering of the canonical model, for golden files: absent optional values are left
 * out, so a golden file shows exactly what a decoder set. Parsing is the inverse.
 */
public final class CanonicalJson {

    private CanonicalJson() {}

    // ---- requests

    public static ObjectNode render(ChatRequest r) {
        ObjectNode o = Json.NODES.objectNode();
        o.put("model", r.model());
        ArrayNode messages = o.putArray("messages");
        for (Message m : r.messages()) {
            ObjectNode mo = messages.addObject();
            mo.put("role", m.role().name());
            ArrayNode parts = mo.putArray("parts");
            for (ContentPart p : m.parts()) {
                parts.add(render(p));
            }
        }
        if (!r.tools().isEmpty()) {
            ArrayNode tools = o.putArray("tools");
            for (Tool t : r.tools()) {
                ObjectNode to = tools.addObject();
                to.put("name", t.name());
                putOpt(to, "namespace", t.namespace());
                putOpt(to, "description", t.description());
                if (t.parameters() != null) {
                    to.set("parameters", t.parameters());
                }
            }
        }
        if (!r.builtinTools().isEmpty()) {
            ArrayNode builtins = o.putArray("builtinTools");
            r.builtinTools()
                    .forEach(b -> builtins.addObject().put("type", b.type()).put("param", b.param()));
        }
        if (r.toolChoice() != null) {
            o.put(
                    "toolChoice",
                    r.toolChoice().mode() == ToolChoice.Mode.SPECIFIC
                            ? "SPECIFIC:" + r.toolChoice().name()
                            : r.toolChoice().mode().name());
        }
        if (r.maxTokens() != null) {
            o.put("maxTokens", r.maxTokens());
        }
        if (r.temperature() != null) {
            o.put("temperature", r.temperature());
        }
        if (r.topP() != null) {
            o.put("topP", r.topP());
        }
        if (r.topK() != null) {
            o.put("topK", r.topK());
        }
        if (!r.stop().isEmpty()) {
            ArrayNode stop = o.putArray("stop");
            r.stop().forEach(stop::add);
        }
        if (r.stream()) {
            o.put("stream", true);
        }
        if (r.includeUsage()) {
            o.put("includeUsage", true);
        }
        if (r.responseFormat() != null) {
            ObjectNode f = o.putObject("responseFormat");
            f.put("type", r.responseFormat().type().name());
            putOpt(f, "name", r.responseFormat().name());
            if (r.responseFormat().schema() != null) {
                f.set("schema", r.responseFormat().schema());
            }
            if (r.responseFormat().strict()) {
                f.put("strict", true);
            }
        }
        if (r.parallelToolCalls() != null) {
            o.put("parallelToolCalls", r.parallelToolCalls());
        }
        if (r.thinkingBudget() != null) {
            o.put("thinkingBudget", r.thinkingBudget());
        }
        putOpt(o, "user", r.user());
        return o;
    }

    public static ChatRequest parseRequest(JsonNode o) {
        List<Message> messages = new ArrayList<>();
        for (JsonNode m : o.path("messages")) {
            List<ContentPart> parts = new ArrayList<>();
            for (JsonNode p : m.path("parts")) {
                parts.add(parsePart(p));
            }
            messages.add(new Message(Role.valueOf(m.get("role").asText()), parts));
        }
        List<Tool> tools = new ArrayList<>();
        for (JsonNode t : o.path("tools")) {
            tools.add(new Tool(
                    t.get("name").asText(), text(t, "description"), t.get("parameters"), text(t, "namespace")));
        }
        ToolChoice choice = null;
        String c = text(o, "toolChoice");
        if (c != null) {
            choice = c.startsWith("SPECIFIC:")
                    ? ToolChoice.specific(c.substring(9))
                    : new ToolChoice(ToolChoice.Mode.valueOf(c), null);
        }
        List<String> stop = new ArrayList<>();
        o.path("stop").forEach(s -> stop.add(s.asText()));
        ResponseFormat format = null;
        JsonNode f = o.get("responseFormat");
        if (f != null) {
            format = new ResponseFormat(
                    ResponseFormat.Type.valueOf(f.get("type").asText()),
                    text(f, "name"),
                    f.get("schema"),
                    f.path("strict").asBoolean(false));
        }
        return new ChatRequest(
                o.path("model").asText("model"),
                messages,
                tools,
                choice,
                integer(o, "maxTokens"),
                dbl(o, "temperature"),
                dbl(o, "topP"),
                integer(o, "topK"),
                stop,
                o.path("stream").asBoolean(false),
                o.path("includeUsage").asBoolean(false),
                format,
                o.has("parallelToolCalls") ? o.get("parallelToolCalls").asBoolean() : null,
                integer(o, "thinkingBudget"),
                text(o, "user"));
    }

    // ---- parts

    public static ObjectNode render(ContentPart p) {
        ObjectNode o = Json.NODES.objectNode();
        if (p instanceof ContentPart.Text t) {
            o.put("type", "text");
            o.put("text", t.text());
        } else if (p instanceof ContentPart.Image i) {
            o.put("type", "image");
            putOpt(o, "mediaType", i.mediaType());
            putOpt(o, "data", i.data());
            putOpt(o, "url", i.url());
        } else if (p instanceof ContentPart.ToolCall c) {
            o.put("type", "toolCall");
            putOpt(o, "id", c.id());
            o.put("name", c.name());
            o.put("arguments", c.argumentsJson());
        } else if (p instanceof ContentPart.ToolResult r) {
            o.put("type", "toolResult");
            putOpt(o, "toolCallId", r.toolCallId());
            putOpt(o, "name", r.name());
            o.put("content", r.content());
            if (r.isError()) {
                o.put("isError", true);
            }
        } else if (p instanceof ContentPart.Thinking th) {
            o.put("type", "thinking");
            o.put("text", th.text());
            putOpt(o, "signature", th.signature());
            putOpt(o, "issuer", th.issuer() == null ? null : th.issuer().label());
        } else if (p instanceof ContentPart.RedactedThinking r) {
            o.put("type", "redactedThinking");
            o.put("data", r.data());
            o.put("issuer", r.issuer().label());
        }
        return o;
    }

    public static ContentPart parsePart(JsonNode p) {
        return switch (p.get("type").asText()) {
            case "text" -> new ContentPart.Text(p.get("text").asText());
            case "image" -> new ContentPart.Image(text(p, "mediaType"), text(p, "data"), text(p, "url"));
            case "toolCall" ->
                new ContentPart.ToolCall(text(p, "id"), p.get("name").asText(), text(p, "arguments"));
            case "toolResult" ->
                new ContentPart.ToolResult(
                        text(p, "toolCallId"),
                        text(p, "name"),
                        text(p, "content"),
                        p.path("isError").asBoolean(false));
            case "thinking" -> new ContentPart.Thinking(text(p, "text"), text(p, "signature"), issuer(p));
            case "redactedThinking" -> new ContentPart.RedactedThinking(text(p, "data"), issuer(p));
            default -> throw new IllegalArgumentException("unknown part " + p);
        };
    }

    // ---- responses

    public static ObjectNode render(ChatResponse r) {
        ObjectNode o = Json.NODES.objectNode();
        putOpt(o, "id", r.id());
        putOpt(o, "model", r.model());
        ArrayNode content = o.putArray("content");
        for (ContentPart p : r.content()) {
            content.add(render(p));
        }
        o.put("finishReason", r.finishReason() == null ? null : r.finishReason().name());
        putOpt(o, "stopSequence", r.stopSequence());
        o.set("usage", render(r.usage()));
        o.put("created", r.created());
        return o;
    }

    public static ChatResponse parseResponse(JsonNode o) {
        List<ContentPart> content = new ArrayList<>();
        o.path("content").forEach(p -> content.add(parsePart(p)));
        String reason = text(o, "finishReason");
        return new ChatResponse(
                text(o, "id"),
                text(o, "model"),
                content,
                reason == null ? null : FinishReason.valueOf(reason),
                text(o, "stopSequence"),
                parseUsage(o.get("usage")),
                o.path("created").asLong(0));
    }

    public static ObjectNode render(Usage u) {
        ObjectNode o = Json.NODES.objectNode();
        o.put("input", u.inputTokens());
        o.put("output", u.outputTokens());
        o.put("cached", u.cachedInputTokens());
        o.put("reasoning", u.reasoningTokens());
        return o;
    }

    public static Usage parseUsage(JsonNode o) {
        if (o == null || o.isNull()) {
            return null;
        }
        return new Usage(
                o.path("input").asLong(),
                o.path("output").asLong(),
                o.path("cached").asLong(),
                o.path("reasoning").asLong());
    }

    // ---- stream events

    public static ObjectNode render(StreamEvent e) {
        ObjectNode o = Json.NODES.objectNode();
        if (e instanceof StreamEvent.Start s) {
            o.put("type", "start");
            putOpt(o, "id", s.id());
            putOpt(o, "model", s.model());
            if (s.usage() != null) {
                o.set("usage", render(s.usage()));
            }
        } else if (e instanceof StreamEvent.TextDelta t) {
            o.put("type", "text");
            o.put("text", t.text());
        } else if (e instanceof StreamEvent.ThinkingDelta t) {
            o.put("type", "thinking");
            o.put("text", t.text());
        } else if (e instanceof StreamEvent.ThinkingSignature s) {
            o.put("type", "signature");
            o.put("signature", s.signature());
            o.put("issuer", s.issuer().label());
        } else if (e instanceof StreamEvent.RedactedThinking r) {
            o.put("type", "redactedThinking");
            o.put("data", r.data());
            o.put("issuer", r.issuer().label());
        } else if (e instanceof StreamEvent.ToolCallStart c) {
            o.put("type", "toolStart");
            o.put("index", c.toolIndex());
            putOpt(o, "id", c.id());
            o.put("name", c.name());
        } else if (e instanceof StreamEvent.ToolCallDelta d) {
            o.put("type", "toolDelta");
            o.put("index", d.toolIndex());
            o.put("arguments", d.argumentsFragment());
        } else if (e instanceof StreamEvent.Finish f) {
            o.put("type", "finish");
            o.put("reason", f.reason().name());
            putOpt(o, "stopSequence", f.stopSequence());
        } else if (e instanceof StreamEvent.UsageUpdate u) {
            o.put("type", "usage");
            o.setAll(render(u.usage()));
        } else if (e instanceof StreamEvent.End) {
            o.put("type", "end");
        } else if (e instanceof StreamEvent.Error err) {
            o.put("type", "error");
            o.put("status", err.error().status());
            o.put("kind", err.error().kind().name());
            o.put("message", err.error().message());
        }
        return o;
    }

    public static StreamEvent parseEvent(JsonNode o) {
        switch (o.get("type").asText()) {
            case "start" -> {
                return new StreamEvent.Start(text(o, "id"), text(o, "model"), parseUsage(o.get("usage")));
            }
            case "text" -> {
                return new StreamEvent.TextDelta(o.get("text").asText());
            }
            case "thinking" -> {
                return new StreamEvent.ThinkingDelta(o.get("text").asText());
            }
            case "signature" -> {
                return new StreamEvent.ThinkingSignature(o.get("signature").asText(), issuer(o));
            }
            case "redactedThinking" -> {
                return new StreamEvent.RedactedThinking(o.get("data").asText(), issuer(o));
            }
            case "toolStart" -> {
                return new StreamEvent.ToolCallStart(
                        o.get("index").asInt(), text(o, "id"), o.get("name").asText());
            }
            case "toolDelta" -> {
                return new StreamEvent.ToolCallDelta(
                        o.get("index").asInt(), o.get("arguments").asText());
            }
            case "finish" -> {
                return new StreamEvent.Finish(
                        FinishReason.valueOf(o.get("reason").asText()), text(o, "stopSequence"));
            }
            case "usage" -> {
                return new StreamEvent.UsageUpdate(parseUsage(o));
            }
            case "end" -> {
                return new StreamEvent.End();
            }
            case "error" -> {
                ErrorKind kind = ErrorKind.valueOf(o.get("kind").asText());
                return new StreamEvent.Error(new ApiError(
                        o.path("status").asInt(kind.status()),
                        kind,
                        o.get("message").asText(),
                        null,
                        -1));
            }
            default -> throw new IllegalArgumentException("unknown event " + o);
        }
    }

    // ---- helpers

    private static void putOpt(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Integer integer(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asInt();
    }

    private static Double dbl(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asDouble();
    }

    private static Issuer issuer(JsonNode o) {
        String label = text(o, "issuer");
        return label == null ? null : java.util.Objects.requireNonNull(Issuer.byLabel(label), label);
    }
}
