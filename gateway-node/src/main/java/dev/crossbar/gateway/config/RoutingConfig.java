package dev.crossbar.gateway.config;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How a request finds a key.
 *
 * @param strategy        least-utilised (default), weighted, round-robin or sticky
 * @param maxAttempts     upstream calls one request may make across keys and fallbacks
 * @param deadline        total time one request may take before its first byte, retries included
 * @param queueTimeout    how long a request may wait for capacity when every key is saturated
 * @param queueSize       requests that may wait per model; more get a 429 at once
 * @param defaultMaxTokens output allowance assumed when a request sets no max tokens (token estimate)
 * @param keyHealth       when server errors take a key out of rotation, and checks of keys the provider refused
 */
public record RoutingConfig(
        String strategy,
        Integer maxAttempts,
        Duration deadline,
        Duration queueTimeout,
        Integer queueSize,
        Integer defaultMaxTokens,
        KeyHealthConfig keyHealth) {

    public static final List<String> STRATEGIES = List.of("least-utilised", "weighted", "round-robin", "sticky");

    // Not compact, so that a field left out (null) can be passed in for its default.
    public RoutingConfig(
            @Nullable String strategy,
            @Nullable Integer maxAttempts,
            @Nullable Duration deadline,
            @Nullable Duration queueTimeout,
            @Nullable Integer queueSize,
            @Nullable Integer defaultMaxTokens,
            @Nullable KeyHealthConfig keyHealth) {
        strategy = strategy == null ? "least-utilised" : strategy;
        if (!STRATEGIES.contains(strategy)) {
            throw new IllegalArgumentException("strategy must be one of " + STRATEGIES + ", was '" + strategy + "'");
        }
        maxAttempts = maxAttempts == null ? 4 : maxAttempts;
        Check.positive("maxAttempts", maxAttempts);
        deadline = deadline == null ? Duration.ofMinutes(2) : deadline;
        Check.positive("deadline", deadline.toMillis());
        queueTimeout = queueTimeout == null ? Duration.ofSeconds(10) : queueTimeout;
        Check.notNegative("queueTimeout", queueTimeout.toMillis());
        queueSize = queueSize == null ? 1_000 : queueSize;
        Check.notNegative("queueSize", queueSize);
        defaultMaxTokens = defaultMaxTokens == null ? 1_024 : defaultMaxTokens;
        Check.positive("defaultMaxTokens", defaultMaxTokens);
        keyHealth = keyHealth == null ? KeyHealthConfig.defaults() : keyHealth;
        this.strategy = strategy;
        this.maxAttempts = maxAttempts;
        this.deadline = deadline;
        this.queueTimeout = queueTimeout;
        this.queueSize = queueSize;
        this.defaultMaxTokens = defaultMaxTokens;
        this.keyHealth = keyHealth;
    }

    public static RoutingConfig defaults() {
        return new RoutingConfig(null, null, null, null, null, null, null);
    }
}
