package dev.crossbar.gateway.upstream;

import dev.crossbar.codecs.spi.Protocol;
import dev.crossbar.codecs.spi.UpstreamCodec;
import dev.crossbar.gateway.config.ProviderConfig;
import dev.crossbar.gateway.config.ProviderType;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.List;

/** A provider at run time: where it lives, how to authenticate, which codec speaks to it, and its keys. */
public final class Upstream {

    private static final CharSequence ANTHROPIC_VERSION = HttpHeaders.createOptimized("anthropic-version");
    private static final CharSequence X_API_KEY = HttpHeaders.createOptimized("x-api-key");
    private static final CharSequence X_GOOG_API_KEY = HttpHeaders.createOptimized("x-goog-api-key");
    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

    private final ProviderConfig config;
    private final UpstreamCodec codec;
    private volatile List<ProviderKey> keys;
    private final String host;
    private final int port;
    private final boolean ssl;
    private final String pathPrefix;

    public Upstream(ProviderConfig config, UpstreamCodec codec, List<ProviderKey> keys) {
        this.config = config;
        this.codec = codec;
        this.keys = List.copyOf(keys);
        URI base = URI.create(config.baseUrl());
        this.ssl = "https".equals(base.getScheme());
        this.host = base.getHost();
        this.port = base.getPort() > 0 ? base.getPort() : (ssl ? 443 : 80);
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        this.pathPrefix = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    public String id() {
        return config.id();
    }

    public ProviderType type() {
        return config.providerType();
    }

    public Protocol protocol() {
        return config.protocol();
    }

    public UpstreamCodec codec() {
        return codec;
    }

    /** The provider's keys now; admin changes replace the list atomically. */
    public List<ProviderKey> keys() {
        return keys;
    }

    public void replaceKeys(List<ProviderKey> newKeys) {
        keys = List.copyOf(newKeys);
    }

    public ProviderConfig config() {
        return config;
    }

    /** Request options for a POST of JSON to {@code path} (relative to the base URL) with the key's auth. */
    public RequestOptions post(String path, ProviderKey key, boolean stream) {
        RequestOptions options = new RequestOptions()
                .setMethod(io.vertx.core.http.HttpMethod.POST)
                .setHost(host)
                .setPort(port)
                .setSsl(ssl)
                .setURI(pathPrefix + path)
                .setIdleTimeout(
                        stream
                                ? config.streamIdleTimeout().toMillis()
                                : config.timeout().toMillis())
                .putHeader(HttpHeaders.CONTENT_TYPE, JSON);
        if (stream) {
            options.putHeader(HttpHeaders.ACCEPT, "text/event-stream");
        }
        authenticate(options, key);
        return options;
    }

    private void authenticate(RequestOptions options, ProviderKey key) {
        String secret = key == null ? null : key.secret();
        switch (protocol()) {
            case ANTHROPIC -> {
                options.putHeader(ANTHROPIC_VERSION, "2023-06-01");
                if (secret != null) {
                    options.putHeader(X_API_KEY, secret);
                }
            }
            case GEMINI -> {
                if (secret != null) {
                    options.putHeader(X_GOOG_API_KEY, secret);
                }
            }
            default -> {
                if (secret != null) {
                    options.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + secret);
                }
            }
        }
    }
}
