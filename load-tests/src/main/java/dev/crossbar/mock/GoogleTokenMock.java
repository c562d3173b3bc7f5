package dev.crossbar.mock;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Google's OAuth2 token endpoint, {@code POST /token}, for the service account grant (RFC 7523): the assertion must
 * be a JWT signed RS256 by a registered service account's private key (checked against its public key), issued
 * by that account, for this endpoint ({@code aud}), with the cloud-platform scope, not expired and living at most
 * an hour. The account must be a configured {@code vertex} key (its {@code client_email} as the secret). Errors
 * are Google's: {@code invalid_grant} (400) with the reason.
 */
final class GoogleTokenMock {

    static final String PATH = "/token";
    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";
    private static final long MAX_LIFETIME_SECONDS = 3600;
    private static final long CLOCK_SKEW_SECONDS = 60;

    private final KeyRegistry keys;
    private final RuntimeFaults faults;
    private final CloudTokens tokens;
    private final Supplier<String> ownUrl;
    private final Map<String, PublicKey> accounts = new ConcurrentHashMap<>();

    GoogleTokenMock(KeyRegistry keys, RuntimeFaults faults, CloudTokens tokens, Supplier<String> ownUrl) {
        this.keys = keys;
        this.faults = faults;
        this.tokens = tokens;
        this.ownUrl = ownUrl;
    }

    void register(String clientEmail, PublicKey key) {
        accounts.put(clientEmail, key);
    }

    void handle(HttpServerRequest req, Buffer body) {
        if (!HttpMethod.POST.equals(req.method())) {
            TokenForms.error(req, 405, "invalid_request", "Method not allowed");
            return;
        }
        Map<String, String> form = TokenForms.read(body);
        if (!GRANT_TYPE.equals(form.get("grant_type"))) {
            TokenForms.error(req, 400, "unsupported_grant_type", "Invalid grant_type: " + form.get("grant_type"));
            return;
        }
        String[] jwt = form.getOrDefault("assertion", "").split("\\.", -1);
        JsonNode header = jwt.length == 3 ? part(jwt[0]) : null;
        JsonNode claims = jwt.length == 3 ? part(jwt[1]) : null;
        if (header == null || claims == null) {
            TokenForms.error(req, 400, "invalid_grant", "Invalid JWT: not a signed JWT");
            return;
        }
        if (!"RS256".equals(header.path("alg").asText())) {
            TokenForms.error(req, 400, "invalid_grant", "Invalid JWT: alg must be RS256");
            return;
        }
        String account = claims.path("iss").asText("");
        PublicKey publicKey = accounts.get(account);
        if (publicKey == null) {
            TokenForms.error(req, 400, "invalid_grant", "Invalid JWT: unknown issuer");
            return;
        }
        if (!verified(jwt, publicKey)) {
            TokenForms.error(req, 400, "invalid_grant", "Invalid JWT Signature.");
            return;
        }
        String reason = claimsProblem(claims);
        if (reason != null) {
            TokenForms.error(req, 400, "invalid_grant", reason);
            return;
        }
        if (keys.authorize(account, MockKey.VERTEX, faults) == null) {
            TokenForms.error(req, 400, "invalid_grant", "Invalid grant: account not found");
            return;
        }
        TokenForms.token(req, tokens.issue(account, "ya29.mock-"), tokens.lifetimeSeconds());
    }

    private String claimsProblem(JsonNode claims) {
        long now = keys.nowMicros() / 1_000_000;
        long iat = claims.path("iat").asLong(-1);
        long exp = claims.path("exp").asLong(-1);
        if (!ownUrl.get().equals(claims.path("aud").asText())) {
            return "Invalid JWT: aud must be " + ownUrl.get();
        }
        if (!claims.path("scope").asText("").contains(SCOPE)) {
            return "Invalid JWT: the scope must include " + SCOPE;
        }
        if (iat < 0 || exp < 0 || iat > now + CLOCK_SKEW_SECONDS || exp <= now) {
            return "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.";
        }
        if (exp - iat > MAX_LIFETIME_SECONDS) {
            return "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.";
        }
        return null;
    }

    private static boolean verified(String[] jwt, PublicKey key) {
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(key);
            rsa.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
            return rsa.verify(Base64.getUrlDecoder().decode(jwt[2]));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static JsonNode part(String base64url) {
        try {
            JsonNode json = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(base64url));
            return json != null && json.isObject() ? json : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
