package dev.crossbar.gateway.config;

import java.time.Duration;
import java.util.List;

/**
 * An upstream service and its key pool.
 *
 * @param type    openai, anthropic, gemini, mistral, deepseek, vllm, llamacpp, ollama or openai-compatible
 * @param baseUrl the API root including its version segment, e.g. https://api.openai.com/v1
 * @param timeout longest wait for the first byte of an answer
 * @param streamIdleTimeout longest silence inside a stream before it is cut
 * @param http2   over TLS, offer HTTP/2 (ALPN) before HTTP/1.1; default true
 * @param caCertificate a PEM file of the CA to trust for this provider (self-hosted servers); default the JDK's
 */
public record ProviderConfig(
        String id,
        String type,
        String baseUrl,
        List<ProviderKeyConfig> keys,
        Duration timeout,
        Duration streamIdleTimeout,
        Integer maxConnections,
        Boolean http2,
        String caCertificate) {

    public ProviderConfig {
        Check.required("id", id);
        Check.required("type", type);
        if (ProviderType.byName(type) == null) {
            throw new IllegalArgumentException("type must be one of " + ProviderType.names() + ", was '" + type + "'");
        }
        Check.required("baseUrl", baseUrl);
        if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
            throw new IllegalArgumentException("baseUrl must start with http:// or https://, was '" + baseUrl + "'");
        }
        keys = keys == null ? List.of() : List.copyOf(keys);
        if (keys.isEmpty() && ProviderType.byName(type).needsKey()) {
            throw new IllegalArgumentException("keys: a " + type + " provider needs at least one key");
        }
        timeout = timeout == null ? Duration.ofSeconds(60) : timeout;
        Check.positive("timeout", timeout.toMillis());
        streamIdleTimeout = streamIdleTimeout == null ? Duration.ofSeconds(60) : streamIdleTimeout;
        Check.positive("streamIdleTimeout", streamIdleTimeout.toMillis());
        maxConnections = maxConnections == null ? 256 : maxConnections;
        Check.positive("maxConnections", maxConnections);
        http2 = http2 == null || http2;
        if (caCertificate != null) {
            if (!baseUrl.startsWith("https://")) {
                throw new IllegalArgumentException("caCertificate needs an https:// baseUrl, was '" + baseUrl + "'");
            }
            Check.readableFile("caCertificate", caCertificate);
        }
    }

    public ProviderType providerType() {
        return ProviderType.byName(type);
    }
}
