package dev.crossbar.mock;

import io.vertx.core.http.HttpServerRequest;

/**
 * How a cloud's requests name their key: Azure OpenAI takes a resource key in {@code api-key} or an Entra ID
 * token as a bearer; Vertex AI takes only a Google access token. A bearer counts only if the mock issued it and
 * it has not expired: a raw key sent as a bearer is refused.
 *
 * @param provider the mock keys' provider: {@code azure} or {@code vertex}
 */
record CloudCredentials(String provider, CloudTokens tokens, boolean acceptsApiKeyHeader) {

    String keyOf(HttpServerRequest req) {
        if (acceptsApiKeyHeader) {
            String key = req.getHeader("api-key");
            if (key != null) {
                return key;
            }
        }
        return tokens.secretOf(OpenAiMock.bearer(req));
    }
}
