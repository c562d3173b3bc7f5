package dev.crossbar.gateway.config;

import java.time.Duration;

/**
 * One provider credential and what the provider allows it.
 *
 * @param id     a stable name for logs, metrics and the admin API (never the secret)
 * @param secret the API key; write {@code ${ENV_VAR}} or {@code ${file:/path}} to keep it out of the file
 * @param weight share of traffic under the weighted strategy (default 1)
 */
public record ProviderKeyConfig(
        String id, String secret, Long requests, Long tokens, Integer concurrent, Duration window, Integer weight) {

    public ProviderKeyConfig {
        Check.required("id", id);
        weight = weight == null ? 1 : weight;
        Check.positive("weight", weight);
        new LimitsConfig(requests, tokens, concurrent, window);
    }

    public LimitsConfig limits() {
        return new LimitsConfig(requests, tokens, concurrent, window);
    }
}
