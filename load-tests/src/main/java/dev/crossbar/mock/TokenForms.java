package dev.crossbar.mock;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** What the mock token endpoints share: reading a form, answering a token or an OAuth error. */
final class TokenForms {

    private TokenForms() {}

    /** The fields of an {@code application/x-www-form-urlencoded} body; an undecodable one is empty. */
    static Map<String, String> read(Buffer body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.toString(StandardCharsets.UTF_8).split("&", -1)) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    form.put(
                            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    return Map.of();
                }
            }
        }
        return form;
    }

    static void token(HttpServerRequest req, String token, long expiresIn) {
        req.response()
                .putHeader("content-type", Rendering.JSON)
                .putHeader("cache-control", "no-store")
                .end(Json.write(Json.MAPPER
                        .createObjectNode()
                        .put("token_type", "Bearer")
                        .put("expires_in", expiresIn)
                        .put("access_token", token)));
    }

    static void error(HttpServerRequest req, int status, String error, String description) {
        req.response()
                .setStatusCode(status)
                .putHeader("content-type", Rendering.JSON)
                .end(Json.write(
                        Json.MAPPER.createObjectNode().put("error", error).put("error_description", description)));
    }
}
