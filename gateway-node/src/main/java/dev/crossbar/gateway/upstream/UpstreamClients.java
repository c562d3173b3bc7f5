package dev.crossbar.gateway.upstream;

import dev.crossbar.gateway.config.ProviderConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One event loop's HTTP clients to the upstream providers, pooled with keep-alive. Plain {@code http://}
 * providers get HTTP/1.1. Over TLS, HTTP/2 is offered through ALPN (the hosted APIs accept it, and one
 * connection then carries many calls) and HTTP/1.1 is used when the server declines; certificates are
 * checked against the JDK's CAs or, for a self-hosted server, the provider's own CA file. Providers with
 * the same settings share one client. No decompression: the calls ask for answers without content coding
 * ({@link Upstream}), so the clients carry no decoder in their pipelines.
 */
public final class UpstreamClients {

    private final Map<String, HttpClient> byProvider = new HashMap<>();

    public UpstreamClients(Vertx vertx, List<ProviderConfig> providers) {
        Map<Settings, HttpClient> bySettings = new HashMap<>();
        for (ProviderConfig p : providers) {
            Settings settings = Settings.of(p);
            HttpClient client = bySettings.computeIfAbsent(settings, s -> s.create(vertx));
            byProvider.put(p.id(), client);
        }
    }

    /** The client for a provider of the config. */
    public HttpClient forProvider(String providerId) {
        HttpClient client = byProvider.get(providerId);
        if (client == null) {
            throw new IllegalArgumentException("no client for provider '" + providerId + "'");
        }
        return client;
    }

    private record Settings(
            boolean tls, boolean http2, @Nullable String caCertificate, int connections) {

        static Settings of(ProviderConfig p) {
            boolean tls = p.baseUrl().startsWith("https://");
            return new Settings(tls, tls && p.http2(), tls ? p.caCertificate() : null, p.maxConnections());
        }

        HttpClient create(Vertx vertx) {
            HttpClientOptions options = new HttpClientOptions()
                    .setKeepAlive(true)
                    .setTcpNoDelay(true)
                    .setConnectTimeout(10_000);
            if (http2) {
                options.setProtocolVersion(HttpVersion.HTTP_2)
                        .setUseAlpn(true)
                        .setSsl(true)
                        .setHttp2ClearTextUpgrade(false);
            }
            if (caCertificate != null) {
                options.setTrustOptions(new PemTrustOptions().addCertPath(caCertificate));
            }
            return vertx.createHttpClient(
                    options, new PoolOptions().setHttp1MaxSize(connections).setHttp2MaxSize(connections));
        }
    }
}
