package dev.crossbar.mock;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Microsoft Entra ID's token endpoint, {@code POST /{tenant}/oauth2/v2.0/token}, for the client credentials grant:
 * the client secret must be a configured {@code azure} key (not revoked), the scope Azure OpenAI's. Errors are
 * Entra's: {@code invalid_client} (401) with an AADSTS code, {@code invalid_scope} or
 * {@code unsupported_grant_type} (400).
 */
final class EntraTokenMock {

    static final Pattern PATH = Pattern.compile("/[^/]+/oauth2/v2\\.0/token");
    static final String SCOPE = "https://cognitiveservices.azure.com/.default";

    private final KeyRegistry keys;
    private final RuntimeFaults faults;
    private final CloudTokens tokens;

    EntraTokenMock(KeyRegistry keys, RuntimeFaults faults, CloudTokens tokens) {
        this.keys = keys;
        this.faults = faults;
        this.tokens = tokens;
    }

    void handle(HttpServerRequest req, Buffer body) {
        if (!HttpMethod.POST.equals(req.method())) {
            TokenForms.error(req, 405, "invalid_request", "AADSTS900561: The endpoint only accepts POST requests.");
            return;
        }
        Map<String, String> form = TokenForms.read(body);
        if (!"client_credentials".equals(form.get("grant_type"))) {
            TokenForms.error(
                    req, 400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.");
            return;
        }
        if (form.getOrDefault("client_id", "").isBlank()) {
            TokenForms.error(req, 400, "invalid_request", "AADSTS900144: The request body must contain client_id.");
            return;
        }
        if (!SCOPE.equals(form.get("scope"))) {
            TokenForms.error(req, 400, "invalid_scope", "AADSTS1002012: The provided value for scope is not valid.");
            return;
        }
        String secret = form.get("client_secret");
        if (keys.authorize(secret, MockKey.AZURE, faults) == null) {
            TokenForms.error(req, 401, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
            return;
        }
        TokenForms.token(req, tokens.issue(secret, "entra-"), tokens.lifetimeSeconds());
    }
}
