package dev.crossbar.gateway.upstream;

import dev.crossbar.gateway.config.ProviderConfig;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One event loop's HTTP clients to the upstream providers, pooled with keep-alive. Plain {@code http://}
 * providers get HTTP/1.1 on the loop's own connections ({@link Http1Pool}). Over TLS, HTTP/2 is offered through ALPN
 * (the hosted APIs accept it, and one connection then carries many calls) and HTTP/1.1 is used when the server
 * declines, through Vert.x's client; certificates are checked against the JDK's CAs or, for a self-hosted server, the
 * provider's own CA file. Providers with the same settings share one client. No decompression: the calls ask for
 * answers without content coding ({@link Upstream}), so the clients carry no decoder in their pipelines.
 */
public final class UpstreamClients {

    private final Map<String, HttpClient> byProvider = new HashMap<>();
    private final Map<String, Http1Pool> poolByProvider = new HashMap<>();

    /**
     * @param context     the event loop's context: the plain-HTTP connections are on its loop
     * @param connections the node's count of those connections
     */
    public UpstreamClients(
            Vertx vertx, Context context, UpstreamConnections connections, List<ProviderConfig> providers) {
        Map<Settings, HttpClientAgent> bySettings = new HashMap<>();
        Map<Origin, Http1Pool> byOrigin = new HashMap<>();
        for (ProviderConfig p : providers) {
            Settings settings = Settings.of(p);
            HttpClientAgent client = bySettings.computeIfAbsent(settings, s -> s.create(vertx));
            byProvider.put(p.id(), client);
            if (!settings.tls()) {
                Origin origin = Origin.of(settings, p.baseUrl());
                poolByProvider.put(
                        p.id(),
                        byOrigin.computeIfAbsent(
                                origin,
                                o -> new Http1Pool(
                                        (ContextInternal) context,
                                        connections,
                                        o.host(),
                                        o.port(),
                                        settings.connections())));
            }
        }
    }

    /**
     * Sends a call's request to a provider: on the loop's own HTTP/1.1 connections for a plain-HTTP provider, otherwise
     * through Vert.x's client and pool (HTTP/2, or HTTP/1.1 over TLS).
     */
    public ProviderCall send(String providerId, RequestOptions options, byte[] body) {
        Http1Pool pool = poolByProvider.get(providerId);
        return pool != null ? pool.send(options, body) : VertxCall.send(forProvider(providerId), options, body);
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

        HttpClientAgent create(Vertx vertx) {
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

    /** Where a plain-HTTP provider's calls connect. */
    private record Origin(Settings settings, String host, int port) {

        static Origin of(Settings settings, String baseUrl) {
            URI base = URI.create(baseUrl);
            return new Origin(settings, base.getHost(), base.getPort() > 0 ? base.getPort() : 80);
        }
    }
}
