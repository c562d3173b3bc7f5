package dev.crossbar.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's Responses API: {@code POST /v1/responses}, plain (a Response object) and streamed (the Responses
 * events, {@code event:} names and a {@code sequence_number} each, ending with {@code response.completed} or
 * {@code response.incomplete}). The keys, limits, headers and error bodies are OpenAI's, shared with
 * {@link OpenAiMock}. The mock keeps nothing between requests: it reads the conversation from {@code input}
 * and ignores references to stored state. Functions of a {@code namespace} group can be called, and the call
 * carries the namespace as OpenAI's does; built-in tools (web search...) are never run.
 */
final class OpenAiResponsesMock extends ProviderMock {

    static final String RESPONSES = "/v1/responses";

    /** OpenAI's error shapes, headers and status codes: the same provider. */
    private final OpenAiMock openAi;

    OpenAiResponsesMock(KeyRegistry keys, RuntimeFaults faults, Delivery delivery, Ids ids, OpenAiMock openAi) {
        this(keys, faults, delivery, ids, openAi, null);
    }

    /** The Responses API as a cloud serves it, the key named the cloud's way. */
    OpenAiResponsesMock(
            KeyRegistry keys,
            RuntimeFaults faults,
            Delivery delivery,
            Ids ids,
            OpenAiMock openAi,
            CloudCredentials cloud) {
        super(keys, faults, delivery, ids, cloud);
        this.openAi = openAi;
    }

    @Override
    String provider() {
        return MockKey.OPENAI;
    }

    @Override
    String keyOf(HttpServerRequest req) {
        return OpenAiMock.bearer(req);
    }

    @Override
    void handle(HttpServerRequest req, Buffer body) {
        if (!RESPONSES.equals(req.path()) || !HttpMethod.POST.equals(req.method())) {
            notFound(req);
            return;
        }
        respond(req, body);
    }

    /** A {@code POST} to the Responses API, wherever the provider serves it. */
    void respond(HttpServerRequest req, Buffer body) {
        KeyState key = authorize(req);
        if (key == null) {
            return;
        }
        JsonNode json = parse(req, key, body);
        if (json == null) {
            return;
        }
        String model = Json.text(json.get("model"));
        JsonNode input = json.get("input");
        Long max = positiveLong(json.get("max_output_tokens"));
        if (model.isEmpty()) {
            badRequest(req, key, "you must provide a model parameter");
            return;
        }
        if (input == null || !(input.isTextual() || (input.isArray() && !input.isEmpty()))) {
            badRequest(req, key, "input must be a string or a non-empty array of items");
            return;
        }
        if (max != null && max < 0) {
            badRequest(req, key, "max_output_tokens must be a positive integer");
            return;
        }
        Map<String, String> namespaces = new HashMap<>();
        Reply reply = Replies.reply(
                conversation(json, input, max, namespaces), planFor(key).streamChunks());
        TokenCost cost = TokenCost.of(reply, max, "openai");
        long created = keys.nowMicros() / 1_000_000;
        boolean stream = json.path("stream").asBoolean(false);
        serve(req, json, key, cost, () -> {
            Answer a = new Answer(ids.next("resp_"), model, created, json, reply, namespaces);
            return stream ? a.streamed() : Rendering.json(Json.write(a.response("completed", true)));
        });
    }

    /** What the reply depends on: the last user text, a tool output that ends the input, the offered tools. */
    private static ReplyRequest conversation(JsonNode json, JsonNode input, Long max, Map<String, String> namespaces) {
        long chars = Json.text(json.get("instructions")).length();
        String lastUser = "";
        String toolOutput = null;
        boolean userLast = false;
        List<JsonNode> items = new ArrayList<>();
        if (input.isTextual()) {
            items.add(Json.object().put("role", "user").put("content", input.textValue()));
        } else {
            input.forEach(items::add);
        }
        for (JsonNode item : items) {
            String type = item.path("type").asText("message");
            if ("message".equals(type)) {
                String role = item.path("role").asText();
                String text = contentText(item.get("content"));
                chars += text.length();
                if ("user".equals(role)) {
                    lastUser = text;
                    toolOutput = null;
                    userLast = true;
                } else if ("assistant".equals(role)) {
                    toolOutput = null;
                    userLast = false;
                }
            } else if ("function_call_output".equals(type)) {
                toolOutput = outputText(item.get("output"));
                chars += toolOutput.length();
                userLast = false;
            } else if ("function_call".equals(type)) {
                toolOutput = null;
                userLast = false;
            }
        }
        ReplyRequest.Tool tool = null;
        JsonNode choice = json.get("tool_choice");
        if (toolOutput == null && userLast && !"none".equals(Json.text(choice))) {
            List<ReplyRequest.Tool> offered = new ArrayList<>();
            for (JsonNode t : json.path("tools")) {
                String type = t.path("type").asText();
                if ("function".equals(type)) {
                    offered.add(new ReplyRequest.Tool(t.path("name").asText(), t.get("parameters")));
                } else if ("namespace".equals(type)) {
                    for (JsonNode fn : t.path("tools")) {
                        String name = fn.path("name").asText();
                        offered.add(new ReplyRequest.Tool(name, fn.get("parameters")));
                        namespaces.put(name, t.path("name").asText());
                    }
                }
                // built-in tools (web_search...) run at OpenAI: the mock cannot run them
            }
            String forced =
                    choice != null && "function".equals(choice.path("type").asText())
                            ? choice.path("name").asText()
                            : null;
            tool = ToolPick.choose(offered, forced, lastUser);
        }
        return new ReplyRequest(
                chars,
                lastUser,
                toolOutput,
                tool,
                max,
                jsonSchema(json.path("text").path("format")));
    }

    private static JsonNode jsonSchema(JsonNode format) {
        String type = format.path("type").asText();
        if ("json_schema".equals(type)) {
            return format.has("schema") ? format.get("schema") : Json.object();
        }
        return "json_object".equals(type) ? Json.object() : null;
    }

    private static String contentText(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.textValue();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            String type = part.path("type").asText();
            if ("input_text".equals(type) || "output_text".equals(type)) {
                sb.append(Json.text(part.get("text")));
            }
        }
        return sb.toString();
    }

    private static String outputText(JsonNode output) {
        return output != null && output.isArray() ? contentText(output) : Json.text(output);
    }

    /** One answer, rendered as OpenAI renders it whole or streamed. */
    private final class Answer {
        final String id;
        final String model;
        final long created;
        final JsonNode request;
        final Reply reply;
        final String itemId;
        final String callId;
        final String namespace;

        Answer(String id, String model, long created, JsonNode request, Reply reply, Map<String, String> namespaces) {
            this.id = id;
            this.model = model;
            this.created = created;
            this.request = request;
            this.reply = reply;
            boolean call = reply instanceof Reply.ToolCall;
            this.itemId = ids.next(call ? "fc_" : "msg_");
            this.callId = call ? ids.next("call_") : null;
            this.namespace = call ? namespaces.get(((Reply.ToolCall) reply).name()) : null;
        }

        String status() {
            return reply.truncated() ? "incomplete" : "completed";
        }

        /** The Response object; {@code withOutput} false for the lifecycle events before the output. */
        ObjectNode response(String status, boolean withOutput) {
            boolean done = withOutput;
            ObjectNode n = Json.object();
            n.put("id", id);
            n.put("object", "response");
            n.put("created_at", created);
            n.put("status", done ? status() : status);
            n.put("background", false);
            n.putNull("error");
            if (done && reply.truncated()) {
                n.putObject("incomplete_details").put("reason", "max_output_tokens");
            } else {
                n.putNull("incomplete_details");
            }
            n.set("instructions", request.path("instructions").isTextual() ? request.get("instructions") : null);
            if (request.hasNonNull("max_output_tokens")) {
                n.set("max_output_tokens", request.get("max_output_tokens"));
            } else {
                n.putNull("max_output_tokens");
            }
            n.putNull("max_tool_calls");
            n.put("model", model);
            ArrayNode output = n.putArray("output");
            if (done) {
                output.add(item(true));
            }
            n.put("parallel_tool_calls", request.path("parallel_tool_calls").asBoolean(true));
            n.putNull("previous_response_id");
            n.putObject("reasoning").putNull("effort").putNull("summary");
            n.put("service_tier", "default");
            n.put("store", request.path("store").asBoolean(true));
            n.put("temperature", request.path("temperature").asDouble(1.0));
            ObjectNode text = n.putObject("text");
            text.set(
                    "format",
                    request.path("text").has("format")
                            ? request.path("text").get("format")
                            : Json.object().put("type", "text"));
            n.set("tool_choice", request.has("tool_choice") ? request.get("tool_choice") : text("auto"));
            n.set("tools", request.path("tools").isArray() ? request.get("tools") : Json.MAPPER.createArrayNode());
            n.put("top_logprobs", 0);
            n.put("top_p", request.path("top_p").asDouble(1.0));
            n.put("truncation", "disabled");
            if (done) {
                // The input counts cache reads and writes, the output reasoning, each with its detail.
                TokenKinds k = reply.kinds();
                long prompt = k.promptTokens(reply.inputTokens());
                ObjectNode usage = n.putObject("usage");
                usage.put("input_tokens", prompt);
                ObjectNode inputDetails =
                        usage.putObject("input_tokens_details").put("cached_tokens", k.cacheRead());
                if (k.cacheWrites() > 0) {
                    inputDetails.put("cache_write_tokens", k.cacheWrites());
                }
                usage.put("output_tokens", reply.allOutputTokens());
                usage.putObject("output_tokens_details").put("reasoning_tokens", k.reasoning());
                usage.put("total_tokens", prompt + reply.allOutputTokens());
            } else {
                n.putNull("usage");
            }
            n.putNull("user");
            n.putObject("metadata");
            return n;
        }

        /** The one output item: a message, or a function call; {@code whole} false as first announced. */
        ObjectNode item(boolean whole) {
            ObjectNode item = Json.object();
            item.put("id", itemId);
            String itemStatus = whole ? (reply.truncated() ? "incomplete" : "completed") : "in_progress";
            if (reply instanceof Reply.ToolCall call) {
                item.put("type", "function_call");
                item.put("status", itemStatus);
                item.put("arguments", whole ? call.arguments() : "");
                item.put("call_id", callId);
                item.put("name", call.name());
                if (namespace != null) {
                    item.put("namespace", namespace);
                }
            } else {
                item.put("type", "message");
                item.put("status", itemStatus);
                ArrayNode content = item.putArray("content");
                if (whole) {
                    content.add(textPart(((Reply.Text) reply).text()));
                }
                item.put("role", "assistant");
            }
            return item;
        }

        private ObjectNode textPart(String text) {
            ObjectNode part = Json.object().put("type", "output_text");
            part.putArray("annotations");
            part.putArray("logprobs");
            part.put("text", text);
            return part;
        }

        Rendering streamed() {
            List<String> events = new ArrayList<>();
            Sequence seq = new Sequence(events);
            seq.add("response.created", Json.object().set("response", response("in_progress", false)));
            seq.add("response.in_progress", Json.object().set("response", response("in_progress", false)));
            ObjectNode added = Json.object().put("output_index", 0);
            added.set("item", item(false));
            seq.add("response.output_item.added", added);
            if (reply instanceof Reply.ToolCall call) {
                for (String fragment : call.fragments()) {
                    seq.add(
                            "response.function_call_arguments.delta",
                            Json.object()
                                    .put("item_id", itemId)
                                    .put("output_index", 0)
                                    .put("delta", fragment));
                }
                seq.add(
                        "response.function_call_arguments.done",
                        Json.object()
                                .put("item_id", itemId)
                                .put("output_index", 0)
                                .put("arguments", call.arguments()));
            } else {
                Reply.Text text = (Reply.Text) reply;
                ObjectNode partAdded = at().put("content_index", 0);
                partAdded.set("part", textPart(""));
                seq.add("response.content_part.added", partAdded);
                for (String chunk : text.chunks()) {
                    ObjectNode delta = at().put("content_index", 0).put("delta", chunk);
                    delta.putArray("logprobs");
                    seq.add("response.output_text.delta", delta);
                }
                ObjectNode textDone = at().put("content_index", 0).put("text", text.text());
                textDone.putArray("logprobs");
                seq.add("response.output_text.done", textDone);
                ObjectNode partDone = at().put("content_index", 0);
                partDone.set("part", textPart(text.text()));
                seq.add("response.content_part.done", partDone);
            }
            ObjectNode itemDone = Json.object().put("output_index", 0);
            itemDone.set("item", item(true));
            seq.add("response.output_item.done", itemDone);
            seq.add(
                    reply.truncated() ? "response.incomplete" : "response.completed",
                    Json.object().set("response", response(status(), true)));
            return Rendering.sse(events);
        }

        private ObjectNode at() {
            return Json.object().put("item_id", itemId).put("output_index", 0);
        }

        private JsonNode text(String s) {
            return Json.MAPPER.getNodeFactory().textNode(s);
        }
    }

    /** Streamed events with their names and sequence numbers. */
    private record Sequence(List<String> events) {
        void add(String type, ObjectNode fields) {
            ObjectNode data = Json.object().put("type", type);
            data.setAll(fields);
            data.put("sequence_number", events.size());
            events.add("event: " + type + "\ndata: " + Json.write(data) + "\n\n");
        }
    }

    @Override
    int status(ErrorKind kind) {
        return openAi.status(kind);
    }

    @Override
    String errorBody(ErrorKind kind, String message, LimitCause cause, long retryAfterMicros) {
        return openAi.errorBody(kind, message, cause, retryAfterMicros);
    }

    @Override
    String streamErrorEvent(String message) {
        ObjectNode n = Json.object();
        n.put("type", "error");
        n.put("code", "server_error");
        n.put("message", message);
        n.putNull("param");
        return "event: error\ndata: " + Json.write(n) + "\n\n";
    }

    @Override
    String noCreditMessage() {
        return openAi.noCreditMessage();
    }

    @Override
    String badKeyMessage() {
        return openAi.badKeyMessage();
    }

    @Override
    void commonHeaders(HttpServerResponse resp) {
        openAi.commonHeaders(resp);
    }

    @Override
    void limitHeaders(HttpServerResponse resp, LimitSnapshot limits) {
        openAi.limitHeaders(resp, limits);
    }

    @Override
    void retryHeaders(HttpServerResponse resp, long retryAfterMicros) {
        openAi.retryHeaders(resp, retryAfterMicros);
    }
}
