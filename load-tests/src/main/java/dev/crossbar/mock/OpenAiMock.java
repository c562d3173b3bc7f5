package dev.crossbar.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * OpenAI: {@code POST /v1/chat/completions} (plain and SSE), {@code POST /v1/embeddings} and
 * {@code GET /v1/models}, with {@code Authorization: Bearer} auth, {@code x-ratelimit-*} headers
 * and {@code {"error":{message,type,param,code}}} errors.
 */
final class OpenAiMock extends ProviderMock {

    static final String CHAT = "/v1/chat/completions";
    static final String EMBEDDINGS = "/v1/embeddings";
    static final String MODELS = "/v1/models";
    static final int DEFAULT_DIMENSIONS = 8;
    private static final int MAX_DIMENSIONS = 4096;
    private static final List<String> MODEL_IDS = List.of("gpt-4o", "gpt-4o-mini", "text-embedding-3-small");
    private static final String BEARER = "Bearer ";

    OpenAiMock(KeyRegistry keys, RuntimeFaults faults, Delivery delivery, Ids ids) {
        super(keys, faults, delivery, ids);
    }

    /** OpenAI's API as a cloud serves it, the key named the cloud's way. */
    OpenAiMock(KeyRegistry keys, RuntimeFaults faults, Delivery delivery, Ids ids, CloudCredentials cloud) {
        super(keys, faults, delivery, ids, cloud);
    }

    @Override
    String provider() {
        return MockKey.OPENAI;
    }

    @Override
    void handle(HttpServerRequest req, Buffer body) {
        String path = req.path();
        if (CHAT.equals(path) && HttpMethod.POST.equals(req.method())) {
            chat(req, body);
        } else if (EMBEDDINGS.equals(path) && HttpMethod.POST.equals(req.method())) {
            embeddings(req, body);
        } else if (MODELS.equals(path) && HttpMethod.GET.equals(req.method())) {
            models(req);
        } else {
            notFound(req);
        }
    }

    @Override
    String keyOf(HttpServerRequest req) {
        return bearer(req);
    }

    static String bearer(HttpServerRequest req) {
        String auth = req.getHeader("authorization");
        return auth != null && auth.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? auth.substring(BEARER.length()).trim()
                : null;
    }

    void chat(HttpServerRequest req, Buffer body) {
        KeyState key = authorize(req);
        if (key == null) {
            return;
        }
        JsonNode json = parse(req, key, body);
        if (json == null) {
            return;
        }
        String model = Json.text(json.get("model"));
        JsonNode messages = json.get("messages");
        Long max = positiveLong(json.get("max_completion_tokens"));
        if (max == null) {
            max = positiveLong(json.get("max_tokens"));
        }
        if (model.isEmpty()) {
            badRequest(req, key, "you must provide a model parameter");
            return;
        }
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            badRequest(req, key, "messages must be a non-empty array");
            return;
        }
        String badMessage = badMessage(messages);
        if (badMessage != null) {
            badRequest(req, key, badMessage);
            return;
        }
        if (max != null && max < 0) {
            badRequest(req, key, "max_tokens must be a positive integer");
            return;
        }
        boolean stream = json.path("stream").asBoolean(false);
        boolean includeUsage =
                stream && json.path("stream_options").path("include_usage").asBoolean(false);
        Reply reply =
                Replies.reply(conversation(json, messages, max), planFor(key).streamChunks());
        TokenCost cost = TokenCost.of(reply, max, "openai");
        long created = keys.nowMicros() / 1_000_000;
        serve(
                req,
                json,
                key,
                cost,
                () -> stream
                        ? streamed(model, created, reply, includeUsage)
                        : Rendering.json(Json.write(completion(model, created, reply))));
    }

    private static ReplyRequest conversation(JsonNode json, JsonNode messages, Long max) {
        long chars = 0;
        String lastUser = "";
        JsonNode last = null;
        for (JsonNode m : messages) {
            String text = contentText(m.get("content"));
            chars += text.length();
            String role = m.path("role").asText();
            if ("user".equals(role)) {
                lastUser = text;
            }
            if (!"system".equals(role) && !"developer".equals(role)) {
                last = m;
            }
        }
        String lastRole = last == null ? "" : last.path("role").asText();
        String toolResult = "tool".equals(lastRole) ? contentText(last.get("content")) : null;
        ReplyRequest.Tool tool = null;
        JsonNode choice = json.get("tool_choice");
        if (toolResult == null && "user".equals(lastRole) && !"none".equals(Json.text(choice))) {
            List<ReplyRequest.Tool> offered = new ArrayList<>();
            for (JsonNode t : json.path("tools")) {
                JsonNode fn = t.path("function");
                if (fn.has("name")) {
                    offered.add(new ReplyRequest.Tool(fn.path("name").asText(), fn.get("parameters")));
                }
            }
            String forced =
                    choice == null ? null : choice.path("function").path("name").textValue();
            tool = ToolPick.choose(offered, forced, lastUser);
        }
        return new ReplyRequest(chars, lastUser, toolResult, tool, max, jsonSchema(json.get("response_format")));
    }

    /** The schema a {@code response_format} asks for: its {@code json_schema.schema}, {} for a JSON object. */
    private static JsonNode jsonSchema(JsonNode format) {
        String type = format == null ? "" : format.path("type").asText();
        if ("json_schema".equals(type)) {
            JsonNode schema = format.path("json_schema").get("schema");
            return schema != null ? schema : Json.object();
        }
        return "json_object".equals(type) ? Json.object() : null;
    }

    /** A string content, or the concatenated text parts of an array content. */
    private static String contentText(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.textValue();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            if ("text".equals(part.path("type").asText())) {
                sb.append(Json.text(part.get("text")));
            }
        }
        return sb.toString();
    }

    private ObjectNode completion(String model, long created, Reply reply) {
        ObjectNode n = Json.object();
        n.put("id", ids.next("chatcmpl-"));
        n.put("object", "chat.completion");
        n.put("created", created);
        n.put("model", model);
        ObjectNode choice = n.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (reply instanceof Reply.Text text) {
            message.put("content", text.text());
        } else {
            Reply.ToolCall call = (Reply.ToolCall) reply;
            message.putNull("content");
            ObjectNode tc = message.putArray("tool_calls").addObject();
            tc.put("id", ids.next("call_"));
            tc.put("type", "function");
            tc.putObject("function").put("name", call.name()).put("arguments", call.arguments());
        }
        message.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(reply));
        usage(n.putObject("usage"), reply);
        return n;
    }

    private Rendering streamed(String model, long created, Reply reply, boolean includeUsage) {
        String id = ids.next("chatcmpl-");
        String head = "data: {\"id\":" + Json.quote(id) + ",\"object\":\"chat.completion.chunk\",\"created\":" + created
                + ",\"model\":" + Json.quote(model) + ",\"choices\":[{\"index\":0,\"delta\":";
        String usageNull = includeUsage ? ",\"usage\":null" : "";
        String tail = ",\"logprobs\":null,\"finish_reason\":null}]" + usageNull + "}\n\n";
        List<String> events = new ArrayList<>();
        if (reply instanceof Reply.Text text) {
            events.add(head + "{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}" + tail);
            for (String chunk : text.chunks()) {
                events.add(head + "{\"content\":" + Json.quote(chunk) + "}" + tail);
            }
        } else {
            Reply.ToolCall call = (Reply.ToolCall) reply;
            events.add(head + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":"
                    + Json.quote(ids.next("call_")) + ",\"type\":\"function\",\"function\":{\"name\":"
                    + Json.quote(call.name()) + ",\"arguments\":\"\"}}],\"refusal\":null}" + tail);
            for (String fragment : call.fragments()) {
                events.add(head + "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":" + Json.quote(fragment)
                        + "}}]}" + tail);
            }
        }
        events.add(head + "{},\"logprobs\":null,\"finish_reason\":" + Json.quote(finishReason(reply)) + "}]" + usageNull
                + "}\n\n");
        if (includeUsage) {
            ObjectNode usage = Json.object();
            usage(usage, reply);
            events.add("data: {\"id\":" + Json.quote(id) + ",\"object\":\"chat.completion.chunk\",\"created\":"
                    + created + ",\"model\":" + Json.quote(model) + ",\"choices\":[],\"usage\":" + Json.write(usage)
                    + "}\n\n");
        }
        events.add("data: [DONE]\n\n");
        return Rendering.sse(events);
    }

    private static String finishReason(Reply reply) {
        if (reply.truncated()) {
            return "length";
        }
        return reply instanceof Reply.ToolCall ? "tool_calls" : "stop";
    }

    /**
     * OpenAI's usage: the prompt counts cache reads and writes, the completion counts reasoning; the details
     * are there when {@code mock:usage} asked for kinds (writes only when there are any, as OpenAI reports
     * them only for models that bill them).
     */
    static void usage(ObjectNode usage, Reply reply) {
        TokenKinds k = reply.kinds();
        long prompt = k.promptTokens(reply.inputTokens());
        usage.put("prompt_tokens", prompt);
        usage.put("completion_tokens", reply.allOutputTokens());
        usage.put("total_tokens", prompt + reply.allOutputTokens());
        if (!k.isNone()) {
            ObjectNode details = usage.putObject("prompt_tokens_details").put("cached_tokens", k.cacheRead());
            if (k.cacheWrites() > 0) {
                details.put("cache_write_tokens", k.cacheWrites());
            }
            details.put("audio_tokens", 0);
            usage.putObject("completion_tokens_details")
                    .put("reasoning_tokens", k.reasoning())
                    .put("audio_tokens", 0)
                    .put("accepted_prediction_tokens", 0)
                    .put("rejected_prediction_tokens", 0);
        }
    }

    void embeddings(HttpServerRequest req, Buffer body) {
        KeyState key = authorize(req);
        if (key == null) {
            return;
        }
        JsonNode json = parse(req, key, body);
        if (json == null) {
            return;
        }
        String model = Json.text(json.get("model"));
        List<String> inputs = embeddingInputs(json.get("input"));
        Long dims = positiveLong(json.get("dimensions"));
        if (model.isEmpty()) {
            badRequest(req, key, "you must provide a model parameter");
            return;
        }
        if (inputs == null) {
            badRequest(req, key, "input must be a string or a non-empty array of strings");
            return;
        }
        if (dims != null && (dims < 0 || dims > MAX_DIMENSIONS)) {
            badRequest(req, key, "dimensions must be within 1.." + MAX_DIMENSIONS);
            return;
        }
        int dimensions = dims == null ? DEFAULT_DIMENSIONS : dims.intValue();
        boolean base64 = "base64".equals(json.path("encoding_format").asText());
        long chars = 0;
        for (String in : inputs) {
            chars += in.length();
        }
        long tokens = Replies.tokens(chars);
        serve(req, json, key, new TokenCost(tokens, null, 0), () -> {
            ObjectNode n = Json.object();
            n.put("object", "list");
            ArrayNode data = n.putArray("data");
            for (int i = 0; i < inputs.size(); i++) {
                ObjectNode e = data.addObject();
                e.put("object", "embedding");
                e.put("index", i);
                float[] v = vector(inputs.get(i), dimensions);
                if (base64) {
                    e.put("embedding", base64(v));
                } else {
                    ArrayNode arr = e.putArray("embedding");
                    for (float f : v) {
                        arr.add(f);
                    }
                }
            }
            n.put("model", model);
            n.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
            return Rendering.json(Json.write(n));
        });
    }

    /** The inputs as strings (a token array becomes its JSON text), or null if malformed. */
    private static List<String> embeddingInputs(JsonNode input) {
        List<String> out = new ArrayList<>();
        if (input == null) {
            return null;
        }
        if (input.isTextual()) {
            out.add(input.textValue());
            return out;
        }
        if (!input.isArray() || input.isEmpty()) {
            return null;
        }
        if (input.get(0).isNumber()) {
            out.add(input.toString());
            return out;
        }
        for (JsonNode item : input) {
            if (item.isTextual()) {
                out.add(item.textValue());
            } else if (item.isArray()) {
                out.add(item.toString());
            } else {
                return null;
            }
        }
        return out;
    }

    /** A deterministic vector in [-1, 1) from a 64-bit FNV-1a hash of the input. */
    static float[] vector(String input, int dimensions) {
        long h = 0xcbf29ce484222325L;
        for (byte b : input.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        float[] v = new float[dimensions];
        for (int i = 0; i < dimensions; i++) {
            long z = h + (i + 1) * 0x9e3779b97f4a7c15L;
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            z ^= z >>> 31;
            v[i] = (float) ((z >>> 40) / (double) (1L << 24) * 2 - 1);
        }
        return v;
    }

    private static String base64(float[] v) {
        ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            buf.putFloat(f);
        }
        return Base64.getEncoder().encodeToString(buf.array());
    }

    private void models(HttpServerRequest req) {
        KeyState key = authorize(req);
        if (key == null) {
            return;
        }
        ObjectNode n = Json.object();
        n.put("object", "list");
        ArrayNode data = n.putArray("data");
        for (String id : MODEL_IDS) {
            data.addObject()
                    .put("id", id)
                    .put("object", "model")
                    .put("created", 1_700_000_000L)
                    .put("owned_by", "mock");
        }
        HttpServerResponse resp = req.response();
        commonHeaders(resp);
        limitHeaders(resp, key.limits(keys.nowMicros()));
        resp.putHeader("content-type", Rendering.JSON).end(Json.write(n));
    }

    @Override
    int status(ErrorKind kind) {
        return switch (kind) {
            case BAD_REQUEST -> 400;
            case UNAUTHORIZED -> 401;
            case NOT_FOUND -> 404;
            case RATE_LIMITED, NO_CREDIT -> 429;
            case OVERLOADED -> 503;
            default -> 500;
        };
    }

    @Override
    String badKeyMessage() {
        return "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.";
    }

    @Override
    String noCreditMessage() {
        return "You exceeded your current quota, please check your plan and billing details. For more information on"
                + " this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.";
    }

    @Override
    String errorBody(ErrorKind kind, String message, LimitCause cause, long retryAfterMicros) {
        ObjectNode n = Json.object();
        ObjectNode e = n.putObject("error");
        e.put("message", message);
        switch (kind) {
            case BAD_REQUEST ->
                e.put("type", "invalid_request_error").putNull("param").putNull("code");
            case UNAUTHORIZED ->
                e.put("type", "invalid_request_error").putNull("param").put("code", "invalid_api_key");
            case NOT_FOUND ->
                e.put("type", "invalid_request_error").putNull("param").put("code", "unknown_url");
            case RATE_LIMITED ->
                e.put("type", cause == LimitCause.TOKENS ? "tokens" : "requests")
                        .putNull("param")
                        .put("code", "rate_limit_exceeded");
            case NO_CREDIT ->
                e.put("type", "insufficient_quota").putNull("param").put("code", "insufficient_quota");
            default -> e.put("type", "server_error").putNull("param").putNull("code");
        }
        return Json.write(n);
    }

    @Override
    void commonHeaders(HttpServerResponse resp) {
        resp.putHeader("x-request-id", ids.next("req_"));
    }

    @Override
    void limitHeaders(HttpServerResponse resp, LimitSnapshot s) {
        if (s.requestLimit() != null) {
            resp.putHeader("x-ratelimit-limit-requests", Long.toString(s.requestLimit()));
            resp.putHeader("x-ratelimit-remaining-requests", Long.toString(s.requestsRemaining()));
            resp.putHeader("x-ratelimit-reset-requests", Durations.goStyle(s.requestsResetMicros()));
        }
        if (s.tokenLimit() != null) {
            resp.putHeader("x-ratelimit-limit-tokens", Long.toString(s.tokenLimit()));
            resp.putHeader("x-ratelimit-remaining-tokens", Long.toString(s.tokensRemaining()));
            resp.putHeader("x-ratelimit-reset-tokens", Durations.goStyle(s.tokensResetMicros()));
        }
    }

    @Override
    void retryHeaders(HttpServerResponse resp, long retryAfterMicros) {
        resp.putHeader("retry-after", Long.toString(retryAfterSeconds(retryAfterMicros)));
        resp.putHeader("retry-after-ms", Long.toString(Math.max(1, (retryAfterMicros + 999) / 1000)));
    }

    private static final java.util.Set<String> ROLES =
            java.util.Set.of("system", "developer", "user", "assistant", "tool");

    /** What OpenAI says of a message it cannot read, or null: the mock refuses what the provider refuses. */
    static String badMessage(JsonNode messages) {
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            if (!m.isObject()
                    || !m.path("role").isTextual()
                    || !ROLES.contains(m.path("role").asText())) {
                return "Invalid value for 'messages[" + i + "].role'";
            }
            JsonNode content = m.get("content");
            if (content != null && !(content.isTextual() || content.isArray() || content.isNull())) {
                return "Invalid type for 'messages[" + i + "].content'";
            }
        }
        return null;
    }
}
