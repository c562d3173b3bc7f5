package dev.crossbar.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Set;

/**
 * One provider credential the mock accepts, with its limits. A key works only on its own
 * provider's paths. Each limit is optional ({@code null} = unlimited); the window defaults to
 * {@link #DEFAULT_WINDOW}.
 *
 * @param secret the key string clients send
 * @param provider {@code openai}, {@code anthropic}, {@code gemini}, {@code azure}, {@code vertex} or {@code bedrock}
 * @param requestsPerWindow request bucket capacity, refilled over {@code window}
 * @param tokensPerWindow token bucket capacity, refilled over {@code window}
 * @param maxConcurrent requests in flight at once
 * @param window the refill period of both buckets
 */
public record MockKey(
        String secret,
        String provider,
        Long requestsPerWindow,
        Long tokensPerWindow,
        Integer maxConcurrent,
        Duration window) {

    public static final String OPENAI = "openai";
    public static final String ANTHROPIC = "anthropic";
    public static final String GEMINI = "gemini";
    /** A key of an Azure OpenAI resource, or the client secret of an Entra ID application ({@link CloudTokens}). */
    public static final String AZURE = "azure";
    /** A Vertex AI service account, its {@code client_email} as the secret ({@link CloudTokens}). */
    public static final String VERTEX = "vertex";

    /** An AWS credential for Bedrock, {@code accessKeyId:secretAccessKey[:sessionToken]} ({@link BedrockMock}). */
    public static final String BEDROCK = "bedrock";

    public static final Set<String> PROVIDERS = Set.of(OPENAI, ANTHROPIC, GEMINI, AZURE, VERTEX, BEDROCK);
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);

    public MockKey {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("secret must not be blank, was " + quoted(secret));
        }
        if (provider == null || !PROVIDERS.contains(provider)) {
            throw new IllegalArgumentException(
                    "provider must be one of openai|anthropic|gemini|azure|vertex|bedrock, was " + quoted(provider));
        }
        if (window == null) {
            window = DEFAULT_WINDOW;
        }
        long micros = window.toNanos() / 1000;
        if (micros <= 0) {
            throw new IllegalArgumentException("window must be >= 1us, was " + window);
        }
        checkLimit("requestsPerWindow", requestsPerWindow, micros);
        checkLimit("tokensPerWindow", tokensPerWindow, micros);
        if (maxConcurrent != null && maxConcurrent <= 0) {
            throw new IllegalArgumentException("maxConcurrent must be > 0, was " + maxConcurrent);
        }
    }

    /** A key without any limit. */
    public static MockKey unlimited(String secret, String provider) {
        return new MockKey(secret, provider, null, null, null, null);
    }

    public MockKey withRequestsPerWindow(Long value) {
        return new MockKey(secret, provider, value, tokensPerWindow, maxConcurrent, window);
    }

    public MockKey withTokensPerWindow(Long value) {
        return new MockKey(secret, provider, requestsPerWindow, value, maxConcurrent, window);
    }

    public MockKey withMaxConcurrent(Integer value) {
        return new MockKey(secret, provider, requestsPerWindow, tokensPerWindow, value, window);
    }

    public MockKey withWindow(Duration value) {
        return new MockKey(secret, provider, requestsPerWindow, tokensPerWindow, maxConcurrent, value);
    }

    long windowMicros() {
        return window.toNanos() / 1000;
    }

    /** Reads {@code {"secret","provider","requestsPerWindow","tokensPerWindow","maxConcurrent","windowMs"}}. */
    static MockKey fromJson(JsonNode node) {
        JsonFields f = new JsonFields(node);
        f.only("secret", "provider", "requestsPerWindow", "tokensPerWindow", "maxConcurrent", "windowMs");
        Long windowMs = f.optLong("windowMs");
        Long maxConcurrent = f.optLong("maxConcurrent");
        if (maxConcurrent != null && (maxConcurrent > Integer.MAX_VALUE || maxConcurrent < Integer.MIN_VALUE)) {
            throw new IllegalArgumentException("maxConcurrent must fit an int, was " + maxConcurrent);
        }
        return new MockKey(
                f.optString("secret"),
                f.optString("provider"),
                f.optLong("requestsPerWindow"),
                f.optLong("tokensPerWindow"),
                maxConcurrent == null ? null : maxConcurrent.intValue(),
                windowMs == null ? null : Duration.ofMillis(windowMs));
    }

    ObjectNode toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("secret", secret);
        n.put("provider", provider);
        if (requestsPerWindow != null) {
            n.put("requestsPerWindow", requestsPerWindow);
        }
        if (tokensPerWindow != null) {
            n.put("tokensPerWindow", tokensPerWindow);
        }
        if (maxConcurrent != null) {
            n.put("maxConcurrent", maxConcurrent);
        }
        n.put("windowMs", window.toMillis());
        return n;
    }

    private static void checkLimit(String field, Long value, long windowMicros) {
        if (value == null) {
            return;
        }
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be > 0, was " + value);
        }
        if (Math.multiplyHigh(value, windowMicros) != 0 || value * windowMicros < 0) {
            throw new IllegalArgumentException(
                    field + " times the window in microseconds must fit a long, was " + value);
        }
    }

    private static String quoted(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }
}
