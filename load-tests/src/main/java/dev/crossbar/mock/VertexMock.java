package dev.crossbar.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Vertex AI's publisher models, {@code /v1/projects/{project}/locations/{location}/publishers/{publisher}/models/
 * {model}:{method}}: Gemini's generateContent and streamGenerateContent, Claude's rawPredict and streamRawPredict.
 * Claude's body must carry {@code anthropic_version: vertex-2023-10-16} and no model (it is in the URL); its
 * count_tokens is the model {@code count-tokens} with {@code rawPredict}, the counted model in the body. Keys are
 * Google access tokens from {@link GoogleTokenMock} sent as a bearer. Bodies and errors are each publisher's.
 */
final class VertexMock {

    static final String PREFIX = "/v1/projects/";
    static final String ANTHROPIC_VERSION = "vertex-2023-10-16";
    private static final Pattern MODEL = Pattern.compile(
            "/v1/projects/[a-z][a-z0-9-]*/locations/[a-z0-9-]+/publishers/(google|anthropic)/models/([^/:]+):(\\w+)");

    private final GeminiMock gemini;
    private final AnthropicMock anthropic;

    VertexMock(KeyRegistry keys, RuntimeFaults faults, Delivery delivery, Ids ids, CloudTokens tokens) {
        CloudCredentials vertex = new CloudCredentials(MockKey.VERTEX, tokens, false);
        this.gemini = new GeminiMock(keys, faults, delivery, ids, vertex);
        this.anthropic = new AnthropicMock(keys, faults, delivery, ids, vertex);
    }

    void handle(HttpServerRequest req, Buffer body) {
        Matcher m = MODEL.matcher(req.path());
        if (!HttpMethod.POST.equals(req.method()) || !m.matches()) {
            gemini.notFound(req);
            return;
        }
        String model = m.group(2);
        String method = m.group(3);
        if ("google".equals(m.group(1)) && method.endsWith("enerateContent")) {
            switch (method) {
                case "generateContent" -> gemini.generate(req, body, model, false);
                case "streamGenerateContent" -> gemini.generate(req, body, model, true);
                default -> gemini.notFound(req);
            }
        } else if ("anthropic".equals(m.group(1)) && "count-tokens".equals(model) && "rawPredict".equals(method)) {
            claudeCount(req, body);
        } else if ("anthropic".equals(m.group(1))
                && ("rawPredict".equals(method) || "streamRawPredict".equals(method))) {
            claude(req, body, model, "streamRawPredict".equals(method));
        } else {
            gemini.notFound(req);
        }
    }

    /** Claude's count_tokens, which Vertex serves as the model {@code count-tokens}, the real model in the body. */
    private void claudeCount(HttpServerRequest req, Buffer body) {
        KeyState key = anthropic.authorize(req);
        if (key == null) {
            return;
        }
        JsonNode json = anthropic.parse(req, key, body);
        if (json == null) {
            return;
        }
        if (json.path("model").asText("").isEmpty()) {
            anthropic.badRequest(req, key, "model: Field required");
            return;
        }
        anthropic.countTokens(req, key, json);
    }

    private void claude(HttpServerRequest req, Buffer body, String model, boolean streamMethod) {
        KeyState key = anthropic.authorize(req);
        if (key == null) {
            return;
        }
        JsonNode json = anthropic.parse(req, key, body);
        if (json == null) {
            return;
        }
        if (!ANTHROPIC_VERSION.equals(json.path("anthropic_version").asText())) {
            anthropic.badRequest(req, key, "anthropic_version: Input should be '" + ANTHROPIC_VERSION + "'");
            return;
        }
        if (json.has("model")) {
            anthropic.badRequest(req, key, "model: Extra inputs are not permitted (the model is in the URL)");
            return;
        }
        if (json.path("stream").asBoolean(false) != streamMethod) {
            anthropic.badRequest(req, key, "stream: must be true for streamRawPredict and absent for rawPredict");
            return;
        }
        ((ObjectNode) json).put("model", model);
        anthropic.messages(req, key, json);
    }
}
