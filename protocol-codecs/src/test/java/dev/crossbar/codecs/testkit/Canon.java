package dev.crossbar.codecs.testkit;

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
import java.util.Locale;

/**
 * A compact JSON rendering of the canonical model, both ways, for golden files: defaults (null, empty,
 * false) are left out so a vector shows only what it is about. {@code created} is not rendered.
 */
public final class Canon {

    private Canon() {}

    // ---- requests -------------------------------------------------------------------------------

    public static JsonNode render(ChatRequest r) {
        ObjectNode o = Json.NODES.objectNode();
        o.put("model", r.model());
        ArrayNode msgs = o.putArray("messages");
        for (Message m : r.messages()) {
            ObjectNode mo = msgs.addObject();
            mo.put("role", m.role().name().toLowerCase(Locale.ROOT));
            mo.set("parts", parts(m.parts()));
        }
        if (!r.tools().isEmpty()) {
            ArrayNode tools = o.putArray("tools");
            for (Tool t : r.tools()) {
                ObjectNode to = tools.addObject().put("name", t.name());
                if (t.namespace() != null) {
                    to.put("namespace", t.namespace());
                }
                if (t.description() != null) {
                    to.put("description", t.description());
                }
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
                            ? "specific:" + r.toolChoice().name()
                            : r.toolChoice().mode().name().toLowerCase(Locale.ROOT));
        }
        putIfSet(o, "maxTokens", r.maxTokens());
        putIfSet(o, "temperature", r.temperature());
        putIfSet(o, "topP", r.topP());
        putIfSet(o, "topK", r.topK());
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
            ResponseFormat f = r.responseFormat();
            ObjectNode fo = o.putObject("responseFormat").put("type", f.type().name());
            if (f.name() != null) {
                fo.put("name", f.name());
            }
            if (f.schema() != null) {
                fo.set("schema", f.schema());
            }
            if (f.strict()) {
                fo.put("strict", true);
            }
        }
        if (r.parallelToolCalls() != null) {
            o.put("parallelToolCalls", r.parallelToolCalls());
        }
        putIfSet(o, "thinkingBudget", r.thinkingBudget());
        if (r.user() != null) {
            o.put("user", r.user());
        }
        return reparse(o);
    }

    public static ChatRequest request(JsonNode o) {
        ChatRequest.Builder b = ChatRequest.builder(o.path("model").asText("model"));
        List<Message> messages = new ArrayList<>();
        for (JsonNode m : o.path("messages")) {
            messages.add(new Message(
                    Role.valueOf(m.path("role").asText().toUpperCase(Locale.ROOT)), parts(m.path("parts"))));
        }
        b.messages(messages);
        List<Tool> tools = new ArrayList<>();
        for (JsonNode t : o.path("tools")) {
            tools.add(new Tool(
                    t.path("name").asText(),
                    t.path("description").textValue(),
                    t.hasNonNull("parameters") ? t.get("parameters") : null,
                    t.path("namespace").textValue()));
        }
        b.tools(tools);
        String choice = o.path("toolChoice").textValue();
        if (choice != null) {
            b.toolChoice(
                    choice.startsWith("specific:")
                            ? ToolChoice.specific(choice.substring(9))
                            : new ToolChoice(ToolChoice.Mode.valueOf(choice.toUpperCase(Locale.ROOT)), null));
        }
        b.maxTokens(o.hasNonNull("maxTokens") ? o.get("maxTokens").intValue() : null);
        b.temperature(o.hasNonNull("temperature") ? o.get("temperature").doubleValue() : null);
        b.topP(o.hasNonNull("topP") ? o.get("topP").doubleValue() : null);
        b.topK(o.hasNonNull("topK") ? o.get("topK").intValue() : null);
        List<String> stop = new ArrayList<>();
        o.path("stop").forEach(s -> stop.add(s.asText()));
        b.stop(stop);
        b.stream(o.path("stream").asBoolean(false));
        b.includeUsage(o.path("includeUsage").asBoolean(false));
        JsonNode f = o.get("responseFormat");
        if (f != null) {
            b.responseFormat(new ResponseFormat(
                    ResponseFormat.Type.valueOf(f.path("type").asText()),
                    f.path("name").textValue(),
                    f.get("schema"),
                    f.path("strict").asBoolean(false)));
        }
        b.parallelToolCalls(
                o.hasNonNull("parallelToolCalls") ? o.get("parallelToolCalls").booleanValue() : null);
        b.thinkingBudget(
                o.hasNonNull("thinkingBudget") ? o.get("thinkingBudget").intValue() : null);
        b.user(o.path("user").textValue());
        return b.build();
    }

    // ---- responses ------------------------------------------------------------------------------

    public static JsonNode render(ChatResponse r) {
        ObjectNode o = Json.NODES.objectNode();
        if (r.id() != null) {
            o.put("id", r.id());
        }
        if (r.model() != null) {
            o.put("model", r.model());
        }
        o.set("content", parts(r.content()));
        o.put("finishReason", r.finishReason() == null ? null : r.finishReason().name());
        if (r.stopSequence() != null) {
            o.put("stopSequence", r.stopSequence());
        }
        o.set("usage", usage(r.usage()));
        return reparse(o);
    }

    public static ChatResponse response(JsonNode o) {
        return new ChatResponse(
                o.path("id").textValue(),
                o.path("model").textValue(),
                parts(o.path("content")),
                o.hasNonNull("finishReason")
                        ? FinishReason.valueOf(o.get("finishReason").asText())
                        : null,
                o.path("stopSequence").textValue(),
                usage(o.get("usage")),
                0);
    }

    // ---- stream events --------------------------------------------------------------------------

    public static JsonNode render(StreamEvent e) {
        ObjectNode o = Json.NODES.objectNode();
        if (e instanceof StreamEvent.Start s) {
            ObjectNode so = o.putObject("start");
            so.put("id", s.id());
            so.put("model", s.model());
            if (s.usage() != null) {
                so.set("usage", usage(s.usage()));
            }
        } else if (e instanceof StreamEvent.TextDelta t) {
            o.put("text", t.text());
        } else if (e instanceof StreamEvent.ThinkingDelta t) {
            o.put("thinking", t.text());
        } else if (e instanceof StreamEvent.ThinkingSignature s) {
            o.put("signature", s.signature()).put("issuer", s.issuer().label());
        } else if (e instanceof StreamEvent.RedactedThinking r) {
            o.put("redactedThinking", r.data()).put("issuer", r.issuer().label());
        } else if (e instanceof StreamEvent.ToolCallStart c) {
            o.putObject("toolStart")
                    .put("index", c.toolIndex())
                    .put("id", c.id())
                    .put("name", c.name());
        } else if (e instanceof StreamEvent.ToolCallDelta d) {
            o.putObject("toolDelta").put("index", d.toolIndex()).put("args", d.argumentsFragment());
        } else if (e instanceof StreamEvent.Finish f) {
            ObjectNode fo = o.putObject("finish").put("reason", f.reason().name());
            if (f.stopSequence() != null) {
                fo.put("stopSequence", f.stopSequence());
            }
        } else if (e instanceof StreamEvent.UsageUpdate u) {
            o.set("usage", usage(u.usage()));
        } else if (e instanceof StreamEvent.End) {
            o.put("end", true);
        } else if (e instanceof StreamEvent.Error err) {
            ApiError a = err.error();
            ObjectNode eo = o.putObject("error")
                    .put("status", a.status())
                    .put("kind", a.kind().name())
                    .put("message", a.message());
            if (a.retryAfterMs() >= 0) {
                eo.put("retryAfterMs", a.retryAfterMs());
            }
        }
        return reparse(o);
    }

    public static StreamEvent event(JsonNode o) {
        if (o.has("start")) {
            JsonNode s = o.get("start");
            return new StreamEvent.Start(
                    s.path("id").textValue(),
                    s.path("model").textValue(),
                    s.hasNonNull("usage") ? usage(s.get("usage")) : null);
        }
        if (o.has("text")) {
            return new StreamEvent.TextDelta(o.get("text").asText());
        }
        if (o.has("thinking")) {
            return new StreamEvent.ThinkingDelta(o.get("thinking").asText());
        }
        if (o.has("signature")) {
            return new StreamEvent.ThinkingSignature(o.get("signature").asText(), issuer(o));
        }
        if (o.has("redactedThinking")) {
            return new StreamEvent.RedactedThinking(o.get("redactedThinking").asText(), issuer(o));
        }
        if (o.has("toolStart")) {
            JsonNode c = o.get("toolStart");
            return new StreamEvent.ToolCallStart(
                    c.path("index").asInt(),
                    c.path("id").textValue(),
                    c.path("name").textValue());
        }
        if (o.has("toolDelta")) {
            JsonNode d = o.get("toolDelta");
            return new StreamEvent.ToolCallDelta(
                    d.path("index").asInt(), d.path("args").asText());
        }
        if (o.has("finish")) {
            JsonNode f = o.get("finish");
            return new StreamEvent.Finish(
                    FinishReason.valueOf(f.path("reason").asText()),
                    f.path("stopSequence").textValue());
        }
        if (o.has("usage")) {
            return new StreamEvent.UsageUpdate(usage(o.get("usage")));
        }
        if (o.has("end")) {
            return new StreamEvent.End();
        }
        JsonNode e = o.get("error");
        ErrorKind kind = ErrorKind.valueOf(e.path("kind").asText());
        return new StreamEvent.Error(new ApiError(
                e.path("status").asInt(kind.status()),
                kind,
                e.path("message").asText(),
                null,
                e.path("retryAfterMs").asLong(-1)));
    }

    public static ArrayNode renderEvents(List<StreamEvent> events) {
        ArrayNode a = Json.NODES.arrayNode();
        events.forEach(e -> a.add(render(e)));
        return a;
    }

    public static List<StreamEvent> events(JsonNode array) {
        List<StreamEvent> out = new ArrayList<>();
        array.forEach(n -> out.add(event(n)));
        return out;
    }

    // ---- parts and usage ------------------------------------------------------------------------

    public static ArrayNode parts(List<ContentPart> parts) {
        ArrayNode a = Json.NODES.arrayNode();
        for (ContentPart p : parts) {
            ObjectNode po = a.addObject();
            if (p instanceof ContentPart.Text t) {
                po.put("text", t.text());
            } else if (p instanceof ContentPart.Image i) {
                ObjectNode io = po.putObject("image");
                if (i.url() != null) {
                    io.put("url", i.url());
                } else {
                    io.put("mediaType", i.mediaType()).put("data", i.data());
                }
            } else if (p instanceof ContentPart.ToolCall c) {
                po.putObject("toolCall").put("id", c.id()).put("name", c.name()).put("arguments", c.argumentsJson());
            } else if (p instanceof ContentPart.ToolResult r) {
                ObjectNode ro = po.putObject("toolResult").put("id", r.toolCallId());
                if (r.name() != null) {
                    ro.put("name", r.name());
                }
                ro.put("content", r.content());
                if (r.isError()) {
                    ro.put("isError", true);
                }
            } else if (p instanceof ContentPart.Thinking th) {
                ObjectNode to = po.putObject("thinking").put("text", th.text());
                if (th.signature() != null) {
                    to.put("signature", th.signature())
                            .put("issuer", th.issuer().label());
                }
            } else if (p instanceof ContentPart.RedactedThinking rt) {
                po.put("redactedThinking", rt.data()).put("issuer", rt.issuer().label());
            }
        }
        return a;
    }

    public static List<ContentPart> parts(JsonNode a) {
        List<ContentPart> out = new ArrayList<>();
        for (JsonNode p : a) {
            if (p.has("text")) {
                out.add(new ContentPart.Text(p.get("text").asText()));
            } else if (p.has("image")) {
                JsonNode i = p.get("image");
                out.add(
                        i.has("url")
                                ? ContentPart.Image.remote(i.get("url").asText())
                                : ContentPart.Image.inline(
                                        i.path("mediaType").textValue(),
                                        i.path("data").asText()));
            } else if (p.has("toolCall")) {
                JsonNode c = p.get("toolCall");
                out.add(new ContentPart.ToolCall(
                        c.path("id").textValue(),
                        c.path("name").asText(),
                        c.path("arguments").asText()));
            } else if (p.has("toolResult")) {
                JsonNode r = p.get("toolResult");
                out.add(new ContentPart.ToolResult(
                        r.path("id").textValue(),
                        r.path("name").textValue(),
                        r.path("content").asText(),
                        r.path("isError").asBoolean(false)));
            } else if (p.has("thinking")) {
                JsonNode t = p.get("thinking");
                out.add(new ContentPart.Thinking(
                        t.path("text").asText(), t.path("signature").textValue(), issuer(t)));
            } else if (p.has("redactedThinking")) {
                out.add(new ContentPart.RedactedThinking(
                        p.get("redactedThinking").asText(), issuer(p)));
            }
        }
        return out;
    }

    /** The {@code issuer} label beside a signature; null when there is none (an unsigned part). */
    private static Issuer issuer(JsonNode o) {
        String label = o.path("issuer").textValue();
        if (label == null) {
            return null;
        }
        Issuer issuer = Issuer.byLabel(label);
        if (issuer == null) {
            throw new IllegalArgumentException("unknown issuer '" + label + "'");
        }
        return issuer;
    }

    private static ObjectNode usage(Usage u) {
        ObjectNode o = Json.NODES.objectNode().put("input", u.inputTokens()).put("output", u.outputTokens());
        if (u.cachedInputTokens() != 0) {
            o.put("cached", u.cachedInputTokens());
        }
        if (u.reasoningTokens() != 0) {
            o.put("reasoning", u.reasoningTokens());
        }
        return o;
    }

    private static Usage usage(JsonNode o) {
        if (o == null || o.isNull()) {
            return Usage.ZERO;
        }
        return new Usage(
                o.path("input").asLong(),
                o.path("output").asLong(),
                o.path("cached").asLong(),
                o.path("reasoning").asLong());
    }

    private static void putIfSet(ObjectNode o, String field, Number n) {
        if (n instanceof Integer i) {
            o.put(field, i);
        } else if (n instanceof Double d) {
            o.put(field, d);
        }
    }

    /** Through text and back, so number node types match those of a parsed golden file. */
    public static JsonNode reparse(JsonNode n) {
        try {
            return Json.MAPPER.readTree(Json.string(n));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
