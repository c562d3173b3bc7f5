package dev.crossbar.gateway.upstream.vertex;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.gateway.upstream.auth.AccessToken;
import dev.crossbar.gateway.upstream.auth.TokenEndpoint;
import dev.crossbar.gateway.upstream.auth.TokenSource;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Google's service account flow (RFC 7523): a JWT naming the account, the scope and the token endpoint, signed
 * RS256 with the account's private key, is exchanged for an access token. The JDK signs it: one
 * {@code SHA256withRSA} signature does not warrant google-auth-library and its Guava, HTTP client and
 * metadata-server probing, and this way the token travels through the node's own non-blocking client.
 */
public final class ServiceAccountJwt implements TokenSource {

    public static final String CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";
    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    /** The longest lifetime Google accepts for the assertion. */
    private static final long LIFETIME_SECONDS = 3600;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final ServiceAccountKey key;
    private final TokenEndpoint endpoint;
    private final Clock clock;

    public ServiceAccountJwt(ServiceAccountKey key, TokenEndpoint endpoint, Clock clock) {
        this.key = key;
        this.endpoint = endpoint;
        this.clock = clock;
    }

    @Override
    public Future<AccessToken> fetch() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", GRANT_TYPE);
        form.put("assertion", assertion());
        return endpoint.exchange(form);
    }

    /** The signed JWT: header, claims and signature, each base64url without padding. */
    String assertion() {
        ObjectNode header = JSON.createObjectNode().put("alg", "RS256").put("typ", "JWT");
        if (key.keyId() != null) {
            header.put("kid", key.keyId());
        }
        long now = clock.instant().getEpochSecond();
        ObjectNode claims = JSON.createObjectNode()
                .put("iss", key.clientEmail())
                .put("scope", CLOUD_PLATFORM)
                .put("aud", endpoint.url())
                .put("iat", now)
                .put("exp", now + LIFETIME_SECONDS);
        String signed = encode(header) + "." + encode(claims);
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key.privateKey());
            rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + BASE64URL.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot sign SHA256withRSA", e);
        }
    }

    private static String encode(ObjectNode json) {
        return BASE64URL.encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
    }
}
