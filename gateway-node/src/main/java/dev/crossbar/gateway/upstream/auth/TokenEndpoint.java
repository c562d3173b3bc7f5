package dev.crossbar.gateway.upstream.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * An OAuth2 token endpoint (RFC 6749 section 4.4 and RFC 7523): a form POST answered with
 * {@code {"access_token","expires_in"}}. Errors name the endpoint's host and the OAuth error code only: the form
 * carries secrets, and error descriptions may echo parts of it.
 */
public final class TokenEndpoint {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The OAuth errors that mean the credential itself is wrong, not the endpoint unwell. */
    private static final Set<String> REFUSALS =
            Set.of("invalid_client", "invalid_grant", "unauthorized_client", "access_denied");

    private static final int MAX_ANSWER_BYTES = 64 * 1024;
    private static final long TIMEOUT_MILLIS = 10_000;

    private final HttpClient client;
    private final String url;
    private final String host;
    private final Clock clock;

    public TokenEndpoint(HttpClient client, String url, Clock clock) {
        this.client = client;
        this.url = url;
        this.host = URI.create(url).getHost();
        this.clock = clock;
    }

    public String url() {
        return url;
    }

    /** Posts {@code form} (URL-encoded here) and reads the token from the answer. */
    public Future<AccessToken> exchange(Map<String, String> form) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(url)
                .setIdleTimeout(TIMEOUT_MILLIS)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/x-www-form-urlencoded")
                .putHeader(HttpHeaders.ACCEPT, "application/json");
        Buffer body = Buffer.buffer(encode(form));
        return client.request(options)
                .compose(req -> req.send(body))
                .compose(resp -> resp.body().map(answer -> read(resp, answer)))
                .recover(e -> Future.failedFuture(
                        e instanceof CredentialException
                                ? e
                                : new CredentialException(
                                        "the token endpoint at " + host + " could not be reached ("
                                                + e.getClass().getSimpleName() + ")",
                                        false)));
    }

    private AccessToken read(HttpClientResponse resp, Buffer answer) {
        int status = resp.statusCode();
        JsonNode json = parse(answer);
        if (status != 200) {
            String error = json == null ? "" : json.path("error").asText("");
            boolean refused = REFUSALS.contains(error) || status == 401;
            throw new CredentialException(
                    "the token endpoint at " + host + " answered " + status
                            + (error.isEmpty() ? "" : " " + error.replaceAll("[^a-z_]", "")),
                    refused);
        }
        String token = json == null ? "" : json.path("access_token").asText("");
        JsonNode expiresIn = json == null ? null : json.get("expires_in");
        long seconds = expiresIn == null ? -1 : expiresIn.asLong(-1);
        if (token.isEmpty() || seconds <= 0) {
            throw new CredentialException(
                    "the token endpoint at " + host + " answered without access_token and expires_in", false);
        }
        Instant now = clock.instant();
        return new AccessToken(token, now, now.plus(Duration.ofSeconds(seconds)));
    }

    private static @Nullable JsonNode parse(Buffer answer) {
        if (answer.length() > MAX_ANSWER_BYTES) {
            return null;
        }
        try {
            JsonNode json = JSON.readTree(answer.getBytes());
            return json != null && json.isObject() ? json : null;
        } catch (IOException e) {
            return null;
        }
    }

    static String encode(Map<String, String> form) {
        StringJoiner out = new StringJoiner("&");
        form.forEach((name, value) -> out.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return out.toString();
    }
}
