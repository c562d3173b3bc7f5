package dev.crossbar.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * Amazon Bedrock's runtime: {@code POST /model/{modelId}/converse} answered in JSON and {@code /converse-stream}
 * answered in AWS's binary event stream (framed by the AWS SDK's own encoder). Every request must carry a valid
 * Signature Version 4 for service {@code bedrock} in {@link #REGION}: {@link SigV4Verifier} recomputes it with the
 * key's secret, and a wrong one is refused with Bedrock's 403 ({@code InvalidSignatureException}), an unknown access
 * key with {@code UnrecognizedClientException}. A key's mock secret is {@code accessKeyId:secretAccessKey} (and
 * {@code :sessionToken}), as the gateway writes it. Errors are Bedrock's: {@code {"message"}} with the type in
 * {@code x-amzn-ErrorType}; conversations must start with a user turn and alternate, as Converse requires.
 */
final class BedrockMock extends ProviderMock {

    static final String PREFIX = "/model/";
    static final String REGION = "us-east-1";
    static final String SERVICE = "bedrock";
    private static final Pattern PATH = Pattern.compile("/model/([^/]+)/(converse|converse-stream)");
    private static final String TYPE_SUFFIX = ":http://internal.amazon.com/coral/com.amazon.bedrock/";

    private final SigV4Verifier verifier = new SigV4Verifier(REGION, SERVICE);
    private final Clock clock;

    BedrockMock(KeyRegistry keys, RuntimeFaults faults, Delivery delivery, Ids ids, Clock clock) {
        super(keys, faults, delivery, ids);
        this.clock = clock;
    }

    @Override
    String provider() {
        return MockKey.BEDROCK;
    }

    /** The mock secret of the access key the request names; the signature is checked before (in handle). */
    @Override
    String keyOf(HttpServerRequest req) {
        String authorization = req.getHeader("authorization");
        String credential = authorization == null
                ? null
                : SigV4Verifier.authorizationFields(authorization).get("Credential");
        return credential == null ? null : keys.secretStartingWith(accessKeyId(credential) + ":", provider());
    }

    @Override
    void handle(HttpServerRequest req, Buffer body) {
        Matcher m = PATH.matcher(req.path());
        if (!HttpMethod.POST.equals(req.method()) || !m.matches()) {
            notFound(req);
            return;
        }
        SigV4Verifier.Verdict verdict = verify(req, body);
        if (verdict != SigV4Verifier.Verdict.OK) {
            KeyState signer = keys.state(keyOf(req));
            if (signer != null) {
                signer.countUnauthorized();
            }
            sendAws(req, 403, verdict.errorType(), refusal(verdict));
            return;
        }
        KeyState key = authorize(req);
        if (key == null) {
            return;
        }
        JsonNode json = parse(req, key, body);
        if (json == null) {
            return;
        }
        converse(req, key, json, m.group(2).endsWith("stream"));
    }

    /** The access key id of a SigV4 credential scope ({@code AKID/date/region/service/aws4_request}). */
    private static String accessKeyId(String credential) {
        int slash = credential.indexOf('/');
        return slash < 0 ? credential : credential.substring(0, slash);
    }

    private SigV4Verifier.Verdict verify(HttpServerRequest req, Buffer body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        req.headers()
                .forEach(h -> headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>())
                        .add(h.getValue()));
        SigV4Verifier.Request request = new SigV4Verifier.Request(
                req.method().name(), rawPath(req.uri()), req.query(), headers, body.getBytes());
        return verifier.verify(
                request,
                accessKeyId -> {
                    String secret = keys.secretStartingWith(accessKeyId + ":", provider());
                    if (secret == null) {
                        return null;
                    }
                    String[] parts = secret.split(":", -1);
                    return new SigV4Verifier.Secret(parts[1], parts.length > 2 ? parts[2] : null);
                },
                clock.instant());
    }

    private static String rawPath(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    private static String refusal(SigV4Verifier.Verdict verdict) {
        return switch (verdict) {
            case MISSING -> "Missing Authentication Token";
            case UNKNOWN_KEY, BAD_TOKEN -> "The security token included in the request is invalid.";
            case MALFORMED -> "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders'.";
            case SKEWED -> "Signature expired: the request time is too far from the server's.";
            default ->
                "The request signature we calculated does not match the signature you provided. Check your AWS "
                        + "Secret Access Key and signing method. Consult the service documentation for details.";
        };
    }

    private void converse(HttpServerRequest req, KeyState key, JsonNode json, boolean stream) {
        JsonNode messages = json.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            badRequest(
                    req,
                    key,
                    "A conversation must start with a user message. Try again with a conversation"
                            + " that starts with a user message.");
            return;
        }
        String expected = "user";
        boolean toolBlocks = false;
        for (JsonNode message : messages) {
            String role = message.path("role").asText();
            if (!role.equals(expected)) {
                badRequest(
                        req,
                        key,
                        "A conversation must alternate between user and assistant roles. Make sure the"
                                + " conversation alternates between user and assistant roles and try again.");
                return;
            }
            expected = "user".equals(role) ? "assistant" : "user";
            for (JsonNode block : message.path("content")) {
                toolBlocks |= block.has("toolUse") || block.has("toolResult");
            }
        }
        if (toolBlocks && !json.path("toolConfig").path("tools").isArray()) {
            badRequest(
                    req,
                    key,
                    "The toolConfig field must be defined when using toolUse and toolResult content" + " blocks.");
            return;
        }
        Long max = positiveLong(json.path("inferenceConfig").get("maxTokens"));
        if (max != null && max < 0) {
            badRequest(
                    req,
                    key,
                    "1 validation error detected: Value at 'inferenceConfig.maxTokens' failed to satisfy"
                            + " constraint: Member must have value greater than or equal to 1");
            return;
        }
        Reply reply =
                Replies.reply(conversation(json, messages, max), planFor(key).streamChunks());
        TokenCost cost = TokenCost.of(reply, max, provider());
        serve(req, json, key, cost, () -> stream ? streamed(reply) : Rendering.json(Json.write(answer(reply))));
    }

    private static ReplyRequest conversation(JsonNode json, JsonNode messages, Long max) {
        long chars = 0;
        for (JsonNode s : json.path("system")) {
            chars += Json.text(s.get("text")).length();
        }
        String lastUser = "";
        String lastResult = null;
        boolean lastIsUser = false;
        for (JsonNode message : messages) {
            boolean user = "user".equals(message.path("role").asText());
            StringBuilder text = new StringBuilder();
            String result = null;
            for (JsonNode block : message.path("content")) {
                text.append(Json.text(block.get("text")));
                if (block.has("toolResult")) {
                    StringBuilder r = new StringBuilder();
                    for (JsonNode c : block.get("toolResult").path("content")) {
                        r.append(c.has("json") ? Json.write(c.get("json")) : Json.text(c.get("text")));
                    }
                    result = r.toString();
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
        if (lastResult == null && lastIsUser) {
            List<ReplyRequest.Tool> offered = new ArrayList<>();
            for (JsonNode t : json.path("toolConfig").path("tools")) {
                JsonNode spec = t.path("toolSpec");
                offered.add(new ReplyRequest.Tool(
                        spec.path("name").asText(), spec.path("inputSchema").path("json")));
            }
            JsonNode choice = json.path("toolConfig").path("toolChoice");
            String forced = choice.has("tool") ? choice.get("tool").path("name").asText() : null;
            tool = ToolPick.choose(offered, forced, lastUser);
        }
        return new ReplyRequest(chars, lastUser, lastResult, tool, max);
    }

    private ObjectNode answer(Reply reply) {
        ObjectNode n = Json.object();
        ObjectNode message = n.putObject("output").putObject("message");
        message.put("role", "assistant");
        ArrayNode content = message.putArray("content");
        if (reply instanceof Reply.Text text) {
            content.addObject().put("text", text.text());
        } else {
            Reply.ToolCall call = (Reply.ToolCall) reply;
            ObjectNode use = content.addObject().putObject("toolUse");
            use.put("toolUseId", ids.next("tooluse_"));
            use.put("name", call.name());
            use.set("input", call.input());
        }
        n.put("stopReason", stopReason(reply));
        n.set("usage", usage(reply));
        n.putObject("metrics").put("latencyMs", 1);
        return n;
    }

    private static String stopReason(Reply reply) {
        return reply.truncated() ? "max_tokens" : reply instanceof Reply.ToolCall ? "tool_use" : "end_turn";
    }

    /** Converse's usage: input without the cache, the cache apart, output with reasoning. */
    private static ObjectNode usage(Reply reply) {
        TokenKinds k = reply.kinds();
        long cacheWrite = k.cacheWrite5m() + k.cacheWrite1h();
        ObjectNode u = Json.object()
                .put("inputTokens", reply.inputTokens())
                .put("outputTokens", reply.allOutputTokens())
                .put("totalTokens", reply.inputTokens() + k.cacheRead() + cacheWrite + reply.allOutputTokens());
        if (k.cacheRead() > 0) {
            u.put("cacheReadInputTokens", k.cacheRead());
        }
        if (cacheWrite > 0) {
            u.put("cacheWriteInputTokens", cacheWrite);
        }
        return u;
    }

    private Rendering streamed(Reply reply) {
        List<byte[]> frames = new ArrayList<>();
        frames.add(event("messageStart", Json.object().put("role", "assistant")));
        if (reply instanceof Reply.Text text) {
            for (String chunk : text.chunks()) {
                ObjectNode delta = Json.object().put("contentBlockIndex", 0);
                delta.putObject("delta").put("text", chunk);
                frames.add(event("contentBlockDelta", delta));
            }
        } else {
            Reply.ToolCall call = (Reply.ToolCall) reply;
            ObjectNode start = Json.object().put("contentBlockIndex", 0);
            start.putObject("start")
                    .putObject("toolUse")
                    .put("toolUseId", ids.next("tooluse_"))
                    .put("name", call.name());
            frames.add(event("contentBlockStart", start));
            for (String fragment : call.fragments()) {
                ObjectNode delta = Json.object().put("contentBlockIndex", 0);
                delta.putObject("delta").putObject("toolUse").put("input", fragment);
                frames.add(event("contentBlockDelta", delta));
            }
        }
        frames.add(event("contentBlockStop", Json.object().put("contentBlockIndex", 0)));
        frames.add(event("messageStop", Json.object().put("stopReason", stopReason(reply))));
        ObjectNode metadata = Json.object();
        metadata.set("usage", usage(reply));
        metadata.putObject("metrics").put("latencyMs", 1);
        frames.add(event("metadata", metadata));
        return Rendering.eventStream(frames);
    }

    private static byte[] event(String type, ObjectNode payload) {
        // Bedrock pads each event with "p" so that its length does not tell its content.
        payload.put("p", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ".substring(0, 1 + (type.length() * 7) % 30));
        return frame(type, ":event-type", "event", payload);
    }

    private static byte[] frame(String type, String typeHeader, String messageType, ObjectNode payload) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(typeHeader, HeaderValue.fromString(type));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString(messageType));
        Message message = new Message(headers, Json.write(payload).getBytes(StandardCharsets.UTF_8));
        java.nio.ByteBuffer buffer = message.toByteBuffer();
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    @Override
    String streamErrorEvent(String message) {
        byte[] frame = frame(
                "internalServerException",
                ":exception-type",
                "exception",
                Json.object().put("message", message));
        return new String(frame, StandardCharsets.ISO_8859_1);
    }

    @Override
    void commonHeaders(HttpServerResponse resp) {
        resp.putHeader("x-amzn-RequestId", ids.next("req-"));
    }

    @Override
    int status(ErrorKind kind) {
        return switch (kind) {
            case BAD_REQUEST -> 400;
            case UNAUTHORIZED, NO_CREDIT -> 403;
            case NOT_FOUND -> 404;
            case RATE_LIMITED -> 429;
            case OVERLOADED -> 503;
            default -> 500;
        };
    }

    private static String typeOf(ErrorKind kind) {
        return switch (kind) {
            case BAD_REQUEST -> "ValidationException";
            case UNAUTHORIZED -> "UnrecognizedClientException";
            case NO_CREDIT -> "AccessDeniedException";
            case NOT_FOUND -> "ResourceNotFoundException";
            case RATE_LIMITED -> "ThrottlingException";
            case OVERLOADED -> "ServiceUnavailableException";
            default -> "InternalServerException";
        };
    }

    @Override
    String badKeyMessage() {
        return "The security token included in the request is invalid.";
    }

    @Override
    String noCreditMessage() {
        return "Model access is denied due to INVALID_PAYMENT_INSTRUMENT:A valid payment instrument must be provided.";
    }

    @Override
    String errorBody(ErrorKind kind, String message, LimitCause cause, long retryAfterMicros) {
        return Json.write(Json.object().put("message", message));
    }

    @Override
    void retryHeaders(HttpServerResponse resp, long retryAfterMicros) {
        // Bedrock states no delay: the SDK backs off by itself.
    }

    /** Bedrock names an error's type in a header, its body says only why. */
    private void sendAws(HttpServerRequest req, int status, String type, String message) {
        HttpServerResponse resp = req.response();
        if (resp.closed() || resp.ended()) {
            return;
        }
        commonHeaders(resp);
        resp.setStatusCode(status)
                .putHeader("content-type", Rendering.JSON)
                .putHeader("x-amzn-ErrorType", type + TYPE_SUFFIX)
                .end(Json.write(Json.object().put("message", message)));
    }

    @Override
    void errorHeaders(HttpServerResponse resp, ErrorKind kind) {
        resp.putHeader("x-amzn-ErrorType", typeOf(kind) + TYPE_SUFFIX);
    }
}
