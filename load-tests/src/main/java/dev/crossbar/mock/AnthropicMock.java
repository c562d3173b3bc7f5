package dev.crossbar.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Anthropic: {@code POST /v1/messages} (plain and SSE with named events) and
 * {@code POST /v1/messages/count_tokens}, with {@code x-api-key} (or Bearer) auth, a required
 * {@code anthropic-version} header, {@code anthropic-ratelimit-*} headers and
 * {@code {"type":"error","error":{type,message}}} errors.
 */
final class AnthropicMock extends ProviderMock {

    static final String MESSAGES = "/v1/messages";
    static final String COUNT_TOKENS = "/v1/messages/count_tokens";

    AnthropicMock(KeyRegistry keys, RuntimeFaults faults, Delivery delivery, Ids ids) {
        super(keys, faults, delivery, ids);
    }

    /** Claude as a cloud serves it, the key named the cloud's way. */
    AnthropicMock(KeyRegistry keys, RuntimeFaults faults, Delivery delivery, Ids ids, CloudCredentials cloud) {
        super(keys, faults, delivery, ids, cloud);
    }

    @Override
    String provider() {
        return MockKey.ANTHROPIC;
    }

    @Override
    void handle(HttpServerRequest req, Buffer body) {
        if (!HttpMethod.POST.equals(req.method())) {
            notFound(req);
            return;
        }
        KeyState key = authorize(req);
        if (key == null) {
            return;
        }
        if (req.getHeader("anthropic-version") == null) {
            badRequest(req, key, "anthropic-version: header is required");
            return;
        }
        JsonNode json = parse(req, key, body);
        if (json == null) {
            return;
        }
        if (COUNT_TOKENS.equals(req.path())) {
            countTokens(req, key, json);
        } else {
            messages(req, key, json);
        }
    }

    @Override
    String keyOf(HttpServerRequest req) {
        String key = req.getHeader("x-api-key");
        return key != null ? key : OpenAiMock.bearer(req);
    }

    void messages(HttpServerRequest req, KeyState key, JsonNode json) {
        String model = Json.text(json.get("model"));
        Long max = positiveLong(json.get("max_tokens"));
        JsonNode messages = json.get("messages");
        if (model.isEmpty()) {
            badRequest(req, key, "model: Field required");
            return;
        }
        if (max == null || max < 0) {
            badRequest(req, key, "max_tokens: Field required (a positive integer)");
            return;
        }
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            badRequest(req, key, "messages: must be a non-empty array");
            return;
        }
        String badMessage = badMessage(messages);
        if (badMessage != null) {
            badRequest(req, key, badMessage);
            return;
        }
        boolean stream = json.path("stream").asBoolean(false);
        Reply reply =
                Replies.reply(conversation(json, messages, max), planFor(key).streamChunks());
        TokenCost cost = TokenCost.of(reply, max, "anthropic");
        serve(
                req,
                json,
                key,
                cost,
                () -> stream ? streamed(model, reply) : Rendering.json(Json.write(message(model, reply))));
    }

    void countTokens(HttpServerRequest req, KeyState key, JsonNode json) {
        JsonNode messages = json.get("messages");
        if (Json.text(json.get("model")).isEmpty() || messages == null || !messages.isArray() || messages.isEmpty()) {
            badRequest(req, key, "model and messages are required");
            return;
        }
        String badMessage = badMessage(messages);
        if (badMessage != null) {
            badRequest(req, key, badMessage);
            return;
        }
        long tokens = Replies.tokens(conversation(json, messages, null).inputChars());
        HttpServerResponse resp = req.response();
        commonHeaders(resp);
        limitHeaders(resp, key.limits(keys.nowMicros()));
        resp.putHeader("content-type", Rendering.JSON).end("{\"input_tokens\":" + tokens + "}");
    }

    private static ReplyRequest conversation(JsonNode json, JsonNode messages, Long max) {
        long chars = blocksText(json.get("system"), null).length();
        String lastUser = "";
        String lastToolResult = null;
        JsonNode last = null;
        for (JsonNode m : messages) {
            List<String> results = new ArrayList<>();
            String text = blocksText(m.get("content"), results::add);
            chars += text.length();
            for (String r : results) {
                chars += r.length();
            }
            String role = m.path("role").asText();
            if ("system".equals(role)) {
                continue; // a mid-conversation system turn (Claude Code sends them) is not the last turn
            }
            boolean user = "user".equals(role);
            if (user) {
                lastUser = text;
            }
            lastToolResult = user && !results.isEmpty() ? results.get(results.size() - 1) : null;
            last = m;
        }
        ReplyRequest.Tool tool = null;
        JsonNode choice = json.path("tool_choice");
        if (lastToolResult == null
                && last != null
                && "user".equals(last.path("role").asText())
                && !"none".equals(choice.path("type").asText())) {
            List<ReplyRequest.Tool> offered = new ArrayList<>();
            for (JsonNode t : json.path("tools")) {
                if (t.has("input_schema")) { // server tools (web search...) have none: the mock cannot run them
                    offered.add(new ReplyRequest.Tool(t.path("name").asText(), t.get("input_schema")));
                }
            }
            String forced = "tool".equals(choice.path("type").asText())
                    ? choice.path("name").asText()
                    : null;
            tool = ToolPick.choose(offered, forced, lastUser);
        }
        return new ReplyRequest(chars, lastUser, lastToolResult, tool, max, jsonSchema(json));
    }

    /** The schema of {@code output_config.format} (or the older {@code output_format}) when it is json_schema. */
    private static JsonNode jsonSchema(JsonNode json) {
        JsonNode format = json.path("output_config").has("format")
                ? json.path("output_config").get("format")
                : json.path("output_format");
        if (!"json_schema".equals(format.path("type").asText())) {
            return null;
        }
        return format.has("schema") ? format.get("schema") : Json.object();
    }

    /**
     * The text of a string or of text blocks; each {@code tool_result} block's text goes to
     * {@code onToolResult} instead (its characters are counted there).
     */
    private static String blocksText(JsonNode content, Consumer<String> onToolResult) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.textValue();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode block : content) {
            String type = block.path("type").asText();
            if ("text".equals(type)) {
                sb.append(Json.text(block.get("text")));
            } else if ("tool_result".equals(type) && onToolResult != null) {
                onToolResult.accept(blocksText(block.get("content"), null));
            }
        }
        return sb.toString();
    }

    private ObjectNode message(String model, Reply reply) {
        ObjectNode n = Json.object();
        n.put("id", ids.next("msg_"));
        n.put("type", "message");
        n.put("role", "assistant");
        n.put("model", model);
        ObjectNode block = n.putArray("content").addObject();
        if (reply instanceof Reply.Text text) {
            block.put("type", "text").put("text", text.text());
        } else {
            Reply.ToolCall call = (Reply.ToolCall) reply;
            block.put("type", "tool_use").put("id", ids.next("toolu_")).put("name", call.name());
            block.set("input", call.input());
        }
        n.put("stop_reason", stopReason(reply));
        n.putNull("stop_sequence");
        usage(n.putObject("usage"), reply, true);
        return n;
    }

    /**
     * Anthropic's usage: {@code input_tokens} is only the prompt's own tokens; cache reads and writes (with
     * their split by lifetime) have fields of their own when {@code mock:usage} asked for kinds;
     * {@code output_tokens} counts reasoning, detailed in {@code output_tokens_details}. A message_start
     * states {@code output_tokens: 1}, as Anthropic does before anything is generated.
     */
    private static ObjectNode usage(ObjectNode usage, Reply reply, boolean withOutput) {
        TokenKinds k = reply.kinds();
        usage.put("input_tokens", reply.inputTokens());
        if (!k.isNone()) {
            usage.put("cache_creation_input_tokens", k.cacheWrites());
            usage.put("cache_read_input_tokens", k.cacheRead());
            usage.putObject("cache_creation")
                    .put("ephemeral_5m_input_tokens", k.cacheWrite5m())
                    .put("ephemeral_1h_input_tokens", k.cacheWrite1h());
        }
        usage.put("output_tokens", withOutput ? reply.allOutputTokens() : 1);
        if (withOutput && !k.isNone()) {
            usage.putObject("output_tokens_details").put("thinking_tokens", k.reasoning());
        }
        if (!k.isNone()) {
            usage.put("service_tier", "standard");
        }
        return usage;
    }

    private Rendering streamed(String model, Reply reply) {
        List<String> events = new ArrayList<>();
        events.add(event(
                "message_start",
                "{\"type\":\"message_start\",\"message\":{\"id\":"
                        + Json.quote(ids.next("msg_")) + ",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
                        + Json.quote(model) + ",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
                        + "\"usage\":" + Json.write(usage(Json.object(), reply, false)) + "}}"));
        String deltaHead = "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":";
        if (reply instanceof Reply.Text text) {
            events.add(
                    event(
                            "content_block_start",
                            "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
            events.add(event("ping", "{\"type\":\"ping\"}"));
            for (String chunk : text.chunks()) {
                events.add(event(
                        "content_block_delta",
                        deltaHead + "{\"type\":\"text_delta\",\"text\":" + Json.quote(chunk) + "}}"));
            }
        } else {
            Reply.ToolCall call = (Reply.ToolCall) reply;
            events.add(event(
                    "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":0,"
                            + "\"content_block\":{\"type\":\"tool_use\",\"id\":" + Json.quote(ids.next("toolu_"))
                            + ",\"name\":" + Json.quote(call.name()) + ",\"input\":{}}}"));
            events.add(event("ping", "{\"type\":\"ping\"}"));
            events.add(
                    event("content_block_delta", deltaHead + "{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}"));
            for (String fragment : call.fragments()) {
                events.add(event(
                        "content_block_delta",
                        deltaHead + "{\"type\":\"input_json_delta\",\"partial_json\":" + Json.quote(fragment) + "}}"));
            }
        }
        events.add(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
        events.add(event(
                "message_delta",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
                        + Json.quote(stopReason(reply)) + ",\"stop_sequence\":null},\"usage\":"
                        + Json.write(deltaUsage(reply)) + "}"));
        events.add(event("message_stop", "{\"type\":\"message_stop\"}"));
        return Rendering.sse(events);
    }

    /** The message_delta's usage: the cumulative output only (the input side came in message_start). */
    private static ObjectNode deltaUsage(Reply reply) {
        ObjectNode usage = Json.object().put("output_tokens", reply.allOutputTokens());
        if (!reply.kinds().isNone()) {
            usage.putObject("output_tokens_details")
                    .put("thinking_tokens", reply.kinds().reasoning());
        }
        return usage;
    }

    private static String event(String name, String data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }

    private static String stopReason(Reply reply) {
        if (reply.truncated()) {
            return "max_tokens";
        }
        return reply instanceof Reply.ToolCall ? "tool_use" : "end_turn";
    }

    @Override
    int status(ErrorKind kind) {
        return switch (kind) {
            // Anthropic has no status of its own for an empty account: a 400 whose words say it.
            case BAD_REQUEST, NO_CREDIT -> 400;
            case UNAUTHORIZED -> 401;
            case NOT_FOUND -> 404;
            case RATE_LIMITED -> 429;
            case OVERLOADED -> 529;
            default -> 500;
        };
    }

    @Override
    String badKeyMessage() {
        return "invalid x-api-key";
    }

    @Override
    String noCreditMessage() {
        return "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or"
                + " purchase credits.";
    }

    @Override
    String errorBody(ErrorKind kind, String message, LimitCause cause, long retryAfterMicros) {
        ObjectNode n = Json.object();
        n.put("type", "error");
        n.putObject("error").put("type", errorType(kind)).put("message", message);
        return Json.write(n);
    }

    @Override
    String streamErrorEvent(String message) {
        return "event: error\ndata: " + errorBody(ErrorKind.SERVER_ERROR, message, null, 0) + "\n\n";
    }

    private static String errorType(ErrorKind kind) {
        return switch (kind) {
            case BAD_REQUEST, NO_CREDIT -> "invalid_request_error";
            case UNAUTHORIZED -> "authentication_error";
            case NOT_FOUND -> "not_found_error";
            case RATE_LIMITED -> "rate_limit_error";
            case OVERLOADED -> "overloaded_error";
            default -> "api_error";
        };
    }

    @Override
    void commonHeaders(HttpServerResponse resp) {
        resp.putHeader("request-id", ids.next("req_"));
    }

    @Override
    void limitHeaders(HttpServerResponse resp, LimitSnapshot s) {
        if (s.requestLimit() != null) {
            resp.putHeader("anthropic-ratelimit-requests-limit", Long.toString(s.requestLimit()));
            resp.putHeader("anthropic-ratelimit-requests-remaining", Long.toString(s.requestsRemaining()));
            resp.putHeader(
                    "anthropic-ratelimit-requests-reset", Durations.rfc3339(s.nowMicros() + s.requestsResetMicros()));
        }
        if (s.tokenLimit() != null) {
            resp.putHeader("anthropic-ratelimit-tokens-limit", Long.toString(s.tokenLimit()));
            resp.putHeader("anthropic-ratelimit-tokens-remaining", Long.toString(s.tokensRemaining()));
            resp.putHeader(
                    "anthropic-ratelimit-tokens-reset", Durations.rfc3339(s.nowMicros() + s.tokensResetMicros()));
        }
    }

    @Override
    void retryHeaders(HttpServerResponse resp, long retryAfterMicros) {
        resp.putHeader("retry-after", Long.toString(retryAfterSeconds(retryAfterMicros)));
    }

    /** What Anthropic says of a message it cannot read, or null: the mock refuses what the provider refuses. */
    static String badMessage(JsonNode messages) {
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String role = m.path("role").asText("");
            // Mid-conversation system turns are accepted (Claude Code sends them).
            if (!m.isObject() || !(role.equals("user") || role.equals("assistant") || role.equals("system"))) {
                return "messages." + i + ".role: Input should be 'user', 'assistant' or 'system'";
            }
            JsonNode content = m.get("content");
            if (content == null || !(content.isTextual() || content.isArray())) {
                return "messages." + i + ".content: Input should be a valid string or list";
            }
        }
        return null;
    }
}
