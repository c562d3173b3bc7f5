package dev.crossbar.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.mock.SeenRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One upstream protocol as the mock received it: reads what the gateway sent into protocol-neutral
 * {@link Sent} terms, so the tests can check the translation from every client protocol the same way.
 */
enum UpstreamProtocol {
    OPENAI("demo-openai", "gpt-4o-mini", "openai", "openai", null) {
        @Override
        Sent read(SeenRequest seen) {
            JsonNode body = seen.json();
            String system = null;
            List<Msg> messages = new ArrayList<>();
            for (JsonNode m : body.path("messages")) {
                String role = m.path("role").asText();
                StringBuilder text = new StringBuilder();
                List<String> images = new ArrayList<>();
                JsonNode content = m.path("content");
                if (content.isTextual()) {
                    text.append(content.asText());
                }
                for (JsonNode part : content.isArray() ? content : Http.JSON.createArrayNode()) {
                    if ("text".equals(part.path("type").asText())) {
                        text.append(part.path("text").asText());
                    } else if ("image_url".equals(part.path("type").asText())) {
                        images.add(part.at("/image_url/url").asText());
                    }
                }
                if ("system".equals(role) || "developer".equals(role)) {
                    system = system == null ? text.toString() : system + "\n" + text;
                    continue;
                }
                List<Conversation.Call> calls = new ArrayList<>();
                for (JsonNode tc : m.path("tool_calls")) {
                    calls.add(new Conversation.Call(
                            tc.path("id").asText(),
                            tc.at("/function/name").asText(),
                            tc.at("/function/arguments").asText()));
                }
                List<Conversation.Result> results = new ArrayList<>();
                if ("tool".equals(role)) {
                    results.add(new Conversation.Result(m.path("tool_call_id").asText(), null, text.toString()));
                    text.setLength(0);
                }
                messages.add(new Msg(role, text.toString(), calls, results, images));
            }
            List<String> tools = new ArrayList<>();
            body.path("tools").forEach(t -> tools.add(t.at("/function/name").asText()));
            JsonNode max =
                    body.has("max_completion_tokens") ? body.get("max_completion_tokens") : body.get("max_tokens");
            List<String> stop = new ArrayList<>();
            if (body.path("stop").isTextual()) {
                stop.add(body.path("stop").asText());
            }
            body.path("stop").forEach(s -> stop.add(s.asText()));
            JsonNode choice = body.path("tool_choice");
            String toolChoice = choice.isTextual()
                    ? choice.asText()
                    : choice.isObject() ? "tool " + choice.at("/function/name").asText() : null;
            return new Sent(
                    seen,
                    body.path("model").asText(),
                    body.path("stream").asBoolean(),
                    system,
                    messages,
                    tools,
                    toolChoice,
                    max == null ? null : max.asLong(),
                    number(body.get("temperature")),
                    stop,
                    seen.header("authorization"));
        }
    },

    ANTHROPIC("demo-anthropic", "claude-sonnet-4-5", "anthropic", "anthropic", null) {
        @Override
        Sent read(SeenRequest seen) {
            JsonNode body = seen.json();
            String system = null;
            JsonNode sys = body.path("system");
            if (sys.isTextual()) {
                system = sys.asText();
            } else if (sys.isArray()) {
                List<String> texts = new ArrayList<>();
                sys.forEach(b -> texts.add(b.path("text").asText()));
                system = String.join("\n", texts);
            }
            List<Msg> messages = new ArrayList<>();
            for (JsonNode m : body.path("messages")) {
                StringBuilder text = new StringBuilder();
                List<String> images = new ArrayList<>();
                List<Conversation.Call> calls = new ArrayList<>();
                List<Conversation.Result> results = new ArrayList<>();
                JsonNode content = m.path("content");
                if (content.isTextual()) {
                    text.append(content.asText());
                }
                for (JsonNode block : content.isArray() ? content : Http.JSON.createArrayNode()) {
                    switch (block.path("type").asText()) {
                        case "text" -> text.append(block.path("text").asText());
                        case "image" ->
                            images.add("data:" + block.at("/source/media_type").asText() + ";base64,"
                                    + block.at("/source/data").asText());
                        case "tool_use" ->
                            calls.add(new Conversation.Call(
                                    block.path("id").asText(),
                                    block.path("name").asText(),
                                    block.path("input").toString()));
                        case "tool_result" -> {
                            JsonNode c = block.path("content");
                            String out = c.isTextual()
                                    ? c.asText()
                                    : c.path(0).path("text").asText();
                            results.add(new Conversation.Result(
                                    block.path("tool_use_id").asText(), null, out));
                        }
                        default ->
                            text.append("<unexpected block ").append(block).append('>');
                    }
                }
                messages.add(new Msg(m.path("role").asText(), text.toString(), calls, results, images));
            }
            List<String> tools = new ArrayList<>();
            body.path("tools").forEach(t -> tools.add(t.path("name").asText()));
            List<String> stop = new ArrayList<>();
            body.path("stop_sequences").forEach(s -> stop.add(s.asText()));
            String auth = seen.header("x-api-key");
            JsonNode choice = body.path("tool_choice");
            String toolChoice = !choice.isObject()
                    ? null
                    : "any".equals(choice.path("type").asText())
                            ? "required"
                            : "tool".equals(choice.path("type").asText())
                                    ? "tool " + choice.path("name").asText()
                                    : choice.path("type").asText();
            return new Sent(
                    seen,
                    body.path("model").asText(),
                    body.path("stream").asBoolean(),
                    system,
                    messages,
                    tools,
                    toolChoice,
                    body.has("max_tokens") ? body.get("max_tokens").asLong() : null,
                    number(body.get("temperature")),
                    stop,
                    auth == null ? null : "x-api-key " + auth + " version " + seen.header("anthropic-version"));
        }
    },

    GEMINI("demo-gemini", "gemini-2.5-flash", "gemini", "gemini", null) {
        @Override
        Sent read(SeenRequest seen) {
            JsonNode body = seen.json();
            String system = null;
            for (JsonNode part : body.at("/systemInstruction/parts")) {
                system = system == null
                        ? part.path("text").asText()
                        : system + "\n" + part.path("text").asText();
            }
            List<Msg> messages = new ArrayList<>();
            for (JsonNode content : body.path("contents")) {
                StringBuilder text = new StringBuilder();
                List<String> images = new ArrayList<>();
                List<Conversation.Call> calls = new ArrayList<>();
                List<Conversation.Result> results = new ArrayList<>();
                for (JsonNode part : content.path("parts")) {
                    if (part.has("text")) {
                        text.append(part.path("text").asText());
                    } else if (part.has("inlineData")) {
                        images.add("data:" + part.at("/inlineData/mimeType").asText() + ";base64,"
                                + part.at("/inlineData/data").asText());
                    } else if (part.has("functionCall")) {
                        JsonNode fc = part.get("functionCall");
                        calls.add(new Conversation.Call(
                                fc.path("id").asText(null),
                                fc.path("name").asText(),
                                fc.path("args").toString()));
                    } else if (part.has("functionResponse")) {
                        JsonNode fr = part.get("functionResponse");
                        results.add(new Conversation.Result(
                                fr.path("id").asText(null),
                                fr.path("name").asText(),
                                fr.at("/response/result")
                                        .asText(fr.path("response").toString())));
                    }
                }
                String role = "model".equals(content.path("role").asText()) ? "assistant" : "user";
                messages.add(new Msg(role, text.toString(), calls, results, images));
            }
            List<String> tools = new ArrayList<>();
            for (JsonNode t : body.path("tools")) {
                t.path("functionDeclarations")
                        .forEach(d -> tools.add(d.path("name").asText()));
            }
            List<String> stop = new ArrayList<>();
            body.at("/generationConfig/stopSequences").forEach(s -> stop.add(s.asText()));
            JsonNode max = body.at("/generationConfig/maxOutputTokens");
            String path = seen.path();
            String model = path.substring(path.lastIndexOf('/') + 1, path.lastIndexOf(':'));
            boolean stream = path.endsWith(":streamGenerateContent") && "alt=sse".equals(seen.query());
            JsonNode fcc = body.at("/toolConfig/functionCallingConfig");
            String mode = fcc.path("mode").asText(null);
            String toolChoice = mode == null
                    ? null
                    : "ANY".equals(mode) && fcc.path("allowedFunctionNames").size() == 1
                            ? "tool " + fcc.at("/allowedFunctionNames/0").asText()
                            : "ANY".equals(mode) ? "required" : mode.toLowerCase(Locale.ROOT);
            return new Sent(
                    seen,
                    model,
                    stream,
                    system,
                    messages,
                    tools,
                    toolChoice,
                    max.isNumber() ? max.asLong() : null,
                    number(body.at("/generationConfig/temperature")),
                    stop,
                    seen.header("x-goog-api-key"));
        }
    },

    /** An OpenAI provider spoken to in the Responses API ({@code api: responses}), the mock's {@code /v1/responses}. */
    RESPONSES("demo-openai-responses", "gpt-5-mini", "openai-responses", "openai", "responses") {
        @Override
        Sent read(SeenRequest seen) {
            JsonNode body = seen.json();
            String system = body.path("instructions").isTextual()
                    ? body.get("instructions").asText()
                    : null;
            List<Msg> messages = new ArrayList<>();
            JsonNode input = body.path("input");
            if (input.isTextual()) {
                messages.add(new Msg("user", input.asText(), List.of(), List.of(), List.of()));
            }
            for (JsonNode item : input.isArray() ? input : Http.JSON.createArrayNode()) {
                String type = item.path("type").asText("message");
                if ("function_call".equals(type)) {
                    Conversation.Call call = new Conversation.Call(
                            item.path("call_id").asText(),
                            item.path("name").asText(),
                            item.path("arguments").asText());
                    Msg last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
                    if (last != null && "assistant".equals(last.role())) {
                        List<Conversation.Call> calls = new ArrayList<>(last.calls());
                        calls.add(call);
                        messages.set(
                                messages.size() - 1,
                                new Msg("assistant", last.text(), calls, last.results(), last.images()));
                    } else {
                        messages.add(new Msg("assistant", "", List.of(call), List.of(), List.of()));
                    }
                    continue;
                }
                if ("function_call_output".equals(type)) {
                    messages.add(new Msg(
                            "tool",
                            "",
                            List.of(),
                            List.of(new Conversation.Result(
                                    item.path("call_id").asText(),
                                    null,
                                    item.path("output").asText())),
                            List.of()));
                    continue;
                }
                if (!"message".equals(type)) {
                    continue;
                }
                String role = item.path("role").asText();
                StringBuilder text = new StringBuilder();
                List<String> images = new ArrayList<>();
                JsonNode content = item.path("content");
                if (content.isTextual()) {
                    text.append(content.asText());
                }
                for (JsonNode part : content.isArray() ? content : Http.JSON.createArrayNode()) {
                    switch (part.path("type").asText()) {
                        case "input_text", "output_text" ->
                            text.append(part.path("text").asText());
                        case "input_image" -> images.add(part.path("image_url").asText());
                        default -> text.append("<unexpected part ").append(part).append('>');
                    }
                }
                if ("system".equals(role) || "developer".equals(role)) {
                    system = system == null ? text.toString() : system + "\n" + text;
                    continue;
                }
                messages.add(new Msg(role, text.toString(), List.of(), List.of(), images));
            }
            List<String> tools = new ArrayList<>();
            body.path("tools").forEach(t -> tools.add(t.path("name").asText()));
            JsonNode choice = body.path("tool_choice");
            String toolChoice = choice.isTextual()
                    ? choice.asText()
                    : choice.isObject() ? "tool " + choice.path("name").asText() : null;
            JsonNode max = body.get("max_output_tokens");
            return new Sent(
                    seen,
                    body.path("model").asText(),
                    body.path("stream").asBoolean(),
                    system,
                    messages,
                    tools,
                    toolChoice,
                    max == null ? null : max.asLong(),
                    number(body.get("temperature")),
                    List.of(),
                    seen.header("authorization"));
        }
    };

    /** The model this upstream serves, and the model name the gateway must ask the upstream for. */
    final String model;

    final String upstreamModel;
    /** The provider's id in the gateway's config ({@code mock-<provider>}, {@code fault-<provider>-N}). */
    final String provider;
    /** The mock's provider, whose keys ({@code mock-<keys>-N}) and paths this upstream uses. */
    final String keys;
    /** The provider's {@code api} setting, or null for its type's own. */
    final String api;

    UpstreamProtocol(String model, String upstreamModel, String provider, String keys, String api) {
        this.model = model;
        this.upstreamModel = upstreamModel;
        this.provider = provider;
        this.keys = keys;
        this.api = api;
    }

    /** The provider's {@code type} in the gateway's config. */
    String type() {
        return keys;
    }

    abstract Sent read(SeenRequest seen);

    private static Double number(JsonNode n) {
        return n != null && n.isNumber() ? n.asDouble() : null;
    }

    /** One upstream message: its role ("user", "assistant" or "tool"), text, calls, results and images. */
    record Msg(
            String role,
            String text,
            List<Conversation.Call> calls,
            List<Conversation.Result> results,
            List<String> images) {}

    /**
     * What the gateway sent upstream.
     *
     * @param system the system prompt in the protocol's own place, or null
     * @param toolChoice "auto", "none", "required" or "tool NAME" in the protocol's words, or null when not sent
     * @param auth the credential as sent, with the protocol's header words
     */
    record Sent(
            SeenRequest raw,
            String model,
            boolean stream,
            String system,
            List<Msg> messages,
            List<String> tools,
            String toolChoice,
            Long maxTokens,
            Double temperature,
            List<String> stop,
            String auth) {

        List<String> roles() {
            return messages.stream().map(Msg::role).toList();
        }

        Msg last() {
            return messages.get(messages.size() - 1);
        }

        @Override
        public String toString() {
            return raw.path() + (raw.query() == null ? "" : "?" + raw.query()) + " " + raw.bodyText();
        }
    }
}
