package dev.crossbar.gateway.config;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One provider credential and what the provider allows it.
 *
 * @param id     a stable name for logs, metrics and the admin API (never the secret)
 * @param secret the API key; write {@code ${ENV_VAR}} or {@code ${file:/path}} to keep it out of the file
 * @param weight share of traffic under the weighted strategy (default 1)
 * @param accessKeyId     a bedrock key's AWS access key id; with {@code secretAccessKey} (and {@code sessionToken}
 *                        for temporary credentials) it becomes the key's secret, {@link #awsSecret}
 * @param secretAccessKey the AWS secret access key that goes with {@code accessKeyId}
 * @param sessionToken    the session token of temporary AWS credentials, or null
 */
public record ProviderKeyConfig(
        String id,
        @Nullable String secret,
        @Nullable Long requests,
        @Nullable Long tokens,
        @Nullable Integer concurrent,
        @Nullable Duration window,
        Integer weight,
        @Nullable String accessKeyId,
        @Nullable String secretAccessKey,
        @Nullable String sessionToken) {

    /** Joins the parts of an AWS credential in a key's secret: none of them contains it. */
    public static final char AWS_SEPARATOR = ':';

    /** A key with a secret and no limits of its own. */
    public static ProviderKeyConfig of(String id, String secret) {
        return new ProviderKeyConfig(id, secret, null, null, null, null, null, null, null, null);
    }

    // Not compact, so that a field left out (null) can be passed in for its default.
    public ProviderKeyConfig(
            String id,
            @Nullable String secret,
            @Nullable Long requests,
            @Nullable Long tokens,
            @Nullable Integer concurrent,
            @Nullable Duration window,
            @Nullable Integer weight,
            @Nullable String accessKeyId,
            @Nullable String secretAccessKey,
            @Nullable String sessionToken) {
        Check.required("id", id);
        weight = weight == null ? 1 : weight;
        Check.positive("weight", weight);
        new LimitsConfig(requests, tokens, concurrent, window);
        if (accessKeyId != null || secretAccessKey != null || sessionToken != null) {
            if (secret != null) {
                throw new IllegalArgumentException(
                        "keys '" + id + "': give either secret or accessKeyId and secretAccessKey, not both");
            }
            secret = awsSecret(
                    Check.required("accessKeyId", accessKeyId),
                    Check.required("secretAccessKey", secretAccessKey),
                    sessionToken);
        }
        this.id = id;
        this.secret = secret;
        this.requests = requests;
        this.tokens = tokens;
        this.concurrent = concurrent;
        this.window = window;
        this.weight = weight;
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        this.sessionToken = sessionToken;
    }

    /**
     * An AWS credential as one key secret, {@code accessKeyId:secretAccessKey[:sessionToken]}: how it is stored,
     * scrubbed and added through the admin API like any other key's secret.
     */
    public static String awsSecret(String accessKeyId, String secretAccessKey, @Nullable String sessionToken) {
        for (String part : new String[] {accessKeyId, secretAccessKey, sessionToken}) {
            if (part != null && part.indexOf(AWS_SEPARATOR) >= 0) {
                throw new IllegalArgumentException("an AWS credential part cannot contain '" + AWS_SEPARATOR + "'");
            }
        }
        return accessKeyId
                + AWS_SEPARATOR
                + secretAccessKey
                + (sessionToken == null ? "" : AWS_SEPARATOR + sessionToken);
    }

    public LimitsConfig limits() {
        return new LimitsConfig(requests, tokens, concurrent, window);
    }
}
