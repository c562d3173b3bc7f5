package dev.crossbar.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Gemini: {@code POST /v1beta/models/{model}:generateContent} and
 * {@code :streamGenerateContent?alt=sse} (without {@code alt=sse}, a JSON array of the same
 * chunks), with {@code x-goog-api-key} or {@code ?key=} auth, no rate-limit headers, and
 * {@code {"error":{code,message,status,details}}} errors whose 429s carry a RetryInfo. Request
 * fields are read in their camelCase JSON names.
 */
final class GeminiMock extends ProviderMock {

    static final String PREFIX = "/v1beta/models/";
    private static final String[] RESULT_FIELDS = {"result", "content", "output"};

    GeminiMock(KeyRegistry keys, RuntimeFaults faults, Delivery delivery, Ids ids) {
        super(keys, faults, delivery, ids);
    }

    /** Gemini as a cloud serves it, the key named the cloud's way. */
    GeminiMock(KeyRegistry keys, RuntimeFaults faults, Delivery delivery, Ids ids, CloudCredentials cloud) {
        super(keys, faults, delivery, ids, cloud);
    }

    @Override
    String provider() {
        return MockKey.GEMINI;
    }

    @Override
    String keyOf(HttpServerRequest req) {
        String key = req.getHeader("x-goog-api-key");
        return key != null ? key : req.getParam("key");
    }

    @Override
    void handle(HttpServerRequest req, Buffer body) {
        String path = req.path();
        int colon = path.lastIndexOf(':');
        String method = colon > PREFIX.length() ? path.substring(colon + 1) : "";
        boolean stream = "streamGenerateContent".equals(method);
        if (!HttpMethod.POST.equals(req.method())
                || !path.startsWith(PREFIX)
                || !(stream || "generateContent".equals(method))) {
            notFound(req);
            return;
        }
        generate(req, body, path.substring(PREFIX.length(), colon), stream);
    }

    /** A {@code POST} of generateContent ({@code stream} false) or streamGenerateContent to {@code model}. */
    void generate(HttpServerRequest req, Buffer body, String model, boolean stream) {
        KeyState key = authorize(req);
        if (key == null) {
            return;
        }
        JsonNode json = parse(req, key, body);
        if (json == null) {
            return;
        }
        JsonNode contents = json.get("contents");
        Long max = positiveLong(json.path("generationConfig").get("maxOutputTokens"));
        if (contents == null || !contents.isArray() || contents.isEmpty()) {
            badRequest(req, key, "* GenerateContentRequest.contents: contents is not specified");
            return;
        }
        String badContent = badContent(contents);
        if (badContent != null) {
            badRequest(req, key, badContent);
            return;
        }
        if (max != null && max < 0) {
            badRequest(req, key, "generationConfig.maxOutputTokens must be a positive integer");
            return;
        }
        boolean sse = "sse".equals(req.getParam("alt"));
        Reply reply =
                Replies.reply(conversation(json, contents, max), planFor(key).streamChunks());
        TokenCost cost = TokenCost.of(reply, max, "gemini");
        serve(req, json, key, cost, () -> {
            String id = ids.next("");
            if (!stream) {
                return Rendering.json(
                        Json.write(response(model, id, reply, partsOf(reply), true, reply.outputTokens())));
            }
            List<String> chunks = chunks(model, id, reply);
            if (sse) {
                List<String> events = new ArrayList<>(chunks.size());
                chunks.forEach(c -> events.add("data: " + c + "\n\n"));
                return Rendering.sse(events);
            }
            return Rendering.json("[" + String.join(",\n", chunks) + "]");
        });
    }

    private static ReplyRequest conversation(JsonNode json, JsonNode contents, Long max) {
        long chars = 0;
        for (JsonNode part : json.path("systemInstruction").path("parts")) {
            chars += Json.text(part.get("text")).length();
        }
        String lastUser = "";
        String lastResult = null;
        boolean lastIsUser = false;
        for (JsonNode content : contents) {
            boolean user = !"model".equals(content.path("role").asText("user"));
            StringBuilder text = new StringBuilder();
            String result = null;
            for (JsonNode part : content.path("parts")) {
                text.append(Json.text(part.get("text")));
                JsonNode fr = part.get("functionResponse");
                if (fr != null) {
                    result = resultText(fr.get("response"));
                    chars += result.length();
                }
            }
            chars += text.length();
            if (user) {
                lastUser = text.toString();
            }
            lastResult = result;
            lastIsUser = user;
        }
        ReplyRequest.Tool tool = null;
        JsonNode calling = json.path("toolConfig").path("functionCallingConfig");
        if (lastResult == null
                && lastIsUser
                && !"NONE".equals(calling.path("mode").asText())) {
            List<ReplyRequest.Tool> offered = new ArrayList<>();
            for (JsonNode t : json.path("tools")) {
                for (JsonNode d : t.path("functionDeclarations")) {
                    JsonNode schema = d.has("parameters") ? d.get("parameters") : d.get("parametersJsonSchema");
                    offered.add(new ReplyRequest.Tool(d.path("name").asText(), schema));
                }
            }
            JsonNode allowed = calling.path("allowedFunctionNames");
            String forced = "ANY".equals(calling.path("mode").asText()) && allowed.size() > 0
                    ? allowed.get(0).asText()
                    : null;
            tool = ToolPick.choose(offered, forced, lastUser);
        }
        return new ReplyRequest(chars, lastUser, lastResult, tool, max, jsonSchema(json.path("generationConfig")));
    }

    /** The schema asked for by {@code responseJsonSchema} or {@code responseSchema}, {} for bare JSON output. */
    private static JsonNode jsonSchema(JsonNode config) {
        if (config.has("responseJsonSchema")) {
            return config.get("responseJsonSchema");
        }
        if (config.has("responseSchema")) {
            return config.get("responseSchema");
        }
        return "application/json".equals(config.path("responseMimeType").asText()) ? Json.object() : null;
    }

    /** A response object's {@code result}, {@code content} or {@code output} string, else its JSON. */
    static String resultText(JsonNode response) {
        if (response == null || response.isNull()) {
            return "";
        }
        for (String field : RESULT_FIELDS) {
            JsonNode v = response.get(field);
            if (v != null && v.isTextual()) {
                return v.textValue();
            }
        }
        return Json.write(response);
    }

    private static List<JsonNode> partsOf(Reply reply) {
        ObjectNode part = Json.object();
        if (reply instanceof Reply.Text text) {
            part.put("text", text.text());
        } else {
            Reply.ToolCall call = (Reply.ToolCall) reply;
            ObjectNode fc = part.putObject("functionCall");
            fc.put("name", call.name());
            fc.set("args", call.input());
        }
        return List.of(part);
    }

    /** The stream: one chunk per word with cumulative usage, or one chunk with the whole call. */
    private List<String> chunks(String model, String id, Reply reply) {
        List<String> out = new ArrayList<>();
        if (!(reply instanceof Reply.Text text)) {
            out.add(Json.write(response(model, id, reply, partsOf(reply), true, reply.outputTokens())));
            return out;
        }
        List<String> words = text.chunks();
        long chars = 0;
        for (int i = 0; i < words.size(); i++) {
            chars += words.get(i).length();
            ObjectNode part = Json.object().put("text", words.get(i));
            out.add(Json.write(
                    response(model, id, reply, List.of(part), i == words.size() - 1, Replies.tokens(chars))));
        }
        return out;
    }

    private static ObjectNode response(
            String model, String id, Reply reply, List<JsonNode> parts, boolean last, long outputSoFar) {
        ObjectNode n = Json.object();
        ObjectNode candidate = n.putArray("candidates").addObject();
        ObjectNode content = candidate.putObject("content");
        content.put("role", "model");
        content.putArray("parts").addAll(parts);
        if (last) {
            candidate.put("finishReason", reply.truncated() ? "MAX_TOKENS" : "STOP");
        }
        candidate.put("index", 0);
        // Cumulative on every chunk. The prompt counts cached content (and what other providers would call
        // cache writes: Gemini reports none); thoughts, all thought before the text, are apart from candidates.
        TokenKinds k = reply.kinds();
        long prompt = k.promptTokens(reply.inputTokens());
        ObjectNode usage = n.putObject("usageMetadata")
                .put("promptTokenCount", prompt)
                .put("candidatesTokenCount", outputSoFar)
                .put("totalTokenCount", prompt + outputSoFar + k.reasoning());
        if (k.cacheRead() > 0) {
            usage.put("cachedContentTokenCount", k.cacheRead());
        }
        if (k.reasoning() > 0) {
            usage.put("thoughtsTokenCount", k.reasoning());
        }
        n.put("modelVersion", model);
        n.put("responseId", id);
        return n;
    }

    @Override
    int status(ErrorKind kind) {
        return switch (kind) {
            // Gemini refuses a bad key as a bad argument, not with 401; only the ErrorInfo reason tells them apart.
            case BAD_REQUEST, UNAUTHORIZED -> 400;
            case NOT_FOUND -> 404;
            case RATE_LIMITED, NO_CREDIT -> 429;
            case OVERLOADED -> 503;
            default -> 500;
        };
    }

    @Override
    String badKeyMessage() {
        return "API key not valid. Please pass a valid API key.";
    }

    @Override
    String noCreditMessage() {
        return "Your prepayment credits are depleted. Please go to AI Studio at https://ai.studio/projects to manage"
                + " your project and billing.";
    }

    @Override
    String errorBody(ErrorKind kind, String message, LimitCause cause, long retryAfterMicros) {
        ObjectNode n = Json.object();
        ObjectNode e = n.putObject("error");
        e.put("code", status(kind));
        e.put("message", message);
        e.put("status", statusName(kind));
        if (kind == ErrorKind.RATE_LIMITED) {
            e.putArray("details")
                    .addObject()
                    .put("@type", "type.googleapis.com/google.rpc.RetryInfo")
                    .put("retryDelay", retryAfterSeconds(retryAfterMicros) + "s");
        } else if (kind == ErrorKind.UNAUTHORIZED) {
            var details = e.putArray("details");
            ObjectNode info = details.addObject()
                    .put("@type", "type.googleapis.com/google.rpc.ErrorInfo")
                    .put("reason", "API_KEY_INVALID")
                    .put("domain", "googleapis.com");
            info.putObject("metadata").put("service", "generativelanguage.googleapis.com");
            details.addObject()
                    .put("@type", "type.googleapis.com/google.rpc.LocalizedMessage")
                    .put("locale", "en-US")
                    .put("message", message);
        }
        return Json.write(n);
    }

    private static String statusName(ErrorKind kind) {
        return switch (kind) {
            case BAD_REQUEST, UNAUTHORIZED -> "INVALID_ARGUMENT";
            case NOT_FOUND -> "NOT_FOUND";
            case RATE_LIMITED, NO_CREDIT -> "RESOURCE_EXHAUSTED";
            case OVERLOADED -> "UNAVAILABLE";
            default -> "INTERNAL";
        };
    }

    /** What Gemini says of content it cannot read, or null: the mock refuses what the provider refuses. */
    static String badContent(JsonNode contents) {
        for (int i = 0; i < contents.size(); i++) {
            JsonNode parts = contents.get(i).get("parts");
            if (!contents.get(i).isObject() || parts == null || !parts.isArray()) {
                return "Invalid JSON payload received. contents[" + i + "].parts: a list of parts is required";
            }
            for (int j = 0; j < parts.size(); j++) {
                JsonNode text = parts.get(j).get("text");
                if (!parts.get(j).isObject() || (text != null && !text.isTextual())) {
                    return "Invalid JSON payload received. Invalid value at 'contents[" + i + "].parts[" + j
                            + "].text'";
                }
            }
        }
        return null;
    }
}
