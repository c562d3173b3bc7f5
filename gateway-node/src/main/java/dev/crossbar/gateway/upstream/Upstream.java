package dev.crossbar.gateway.upstream;

import dev.crossbar.codecs.spi.Protocol;
import dev.crossbar.codecs.spi.UpstreamCodec;
import dev.crossbar.gateway.config.ProviderConfig;
import dev.crossbar.gateway.config.ProviderType;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A provider at run time: where it lives, how to authenticate, which codec speaks to it, and its keys. */
public final class Upstream {

    private static final CharSequence ANTHROPIC_VERSION = HttpHeaders.createOptimized("anthropic-version");
    private static final CharSequence X_API_KEY = HttpHeaders.createOptimized("x-api-key");
    private static final CharSequence X_GOOG_API_KEY = HttpHeaders.createOptimized("x-goog-api-key");
    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream");
    /**
     * Every answer is asked for without content coding. A client able to inflate answers passes every one through
     * its decoder, compressed or not: without the decoder a node made 1.04-1.06x the requests/s (docs/benchmarks.md).
     * What compression would save is bytes from the provider to the node, inbound traffic.
     */
    private static final CharSequence IDENTITY = HttpHeaders.createOptimized("identity");

    private static final CharSequence ANTHROPIC_VERSION_VALUE = HttpHeaders.createOptimized("2023-06-01");

    private final ProviderConfig config;
    private final UpstreamCodec codec;
    private volatile List<ProviderKey> keys;
    private final String host;
    private final int port;
    private final boolean ssl;
    private final String pathPrefix;
    /** Where calls connect: made once, not by Vert.x per call from the host and port (an IP literal parsed each time). */
    private final SocketAddress server;
    /** A vendor's call headers by key: built once per key, not per call ({@link #post}). */
    private final CallHeaders callHeaders = new CallHeaders(this::headers);
    /** Null for a vendor's own API. */
    private final @Nullable CloudAccess cloud;
    /** The config's, derived once: read on every call. */
    private final ProviderType type;

    private final Protocol protocol;

    public Upstream(ProviderConfig config, UpstreamCodec codec, List<ProviderKey> keys) {
        this(config, codec, keys, null);
    }

    public Upstream(ProviderConfig config, UpstreamCodec codec, List<ProviderKey> keys, @Nullable CloudAccess cloud) {
        this.config = config;
        this.type = config.providerType();
        this.protocol = config.protocol();
        this.cloud = cloud;
        this.codec = codec;
        this.keys = List.copyOf(keys);
        URI base = URI.create(config.baseUrl());
        this.ssl = "https".equals(base.getScheme());
        this.host = base.getHost();
        this.port = base.getPort() > 0 ? base.getPort() : (ssl ? 443 : 80);
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        this.pathPrefix = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.server = SocketAddress.inetSocketAddress(port, host);
    }

    public String id() {
        return config.id();
    }

    public ProviderType type() {
        return type;
    }

    public Protocol protocol() {
        return protocol;
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
        callHeaders.clear();
    }

    public ProviderConfig config() {
        return config;
    }

    /** The model name to write in requests for the upstream model a route names (an Azure deployment). */
    public String wireModel(String upstreamModel) {
        return cloud == null ? upstreamModel : cloud.addressing().model(upstreamModel);
    }

    /** The body to send for a codec's body to {@code path}. */
    public byte[] body(String path, byte[] body) {
        return cloud == null ? body : cloud.addressing().body(path, body);
    }

    /**
     * Request options for a POST of a codec's request ({@code body}, as {@link #body} made it) to {@code path} for
     * {@code model} with the key's credential:
     * at once, or once a cloud's access token is had (a {@link dev.crossbar.gateway.upstream.auth.CredentialException}
     * if none can be).
     */
    public Future<RequestOptions> request(String path, String model, ProviderKey key, boolean stream, byte[] body) {
        if (cloud == null) {
            return Future.succeededFuture(post(path, key, stream));
        }
        return cloud.auth().authenticate(options(cloud.addressing().path(path, model, stream), stream), key, body);
    }

    /**
     * The provider answered 401 to {@code sent}: a cloud's cached token for the key is not used again. True when
     * an access token was refused, not the key itself.
     */
    public boolean refused(RequestOptions sent, ProviderKey key) {
        return cloud != null && cloud.auth().refused(sent, key);
    }

    /**
     * Request options for a GET of the provider's models list with the key's credential, the cheapest call that
     * says whether the provider accepts the key (it bills nothing); null for a cloud, whose credential its token
     * endpoint judges.
     */
    public @Nullable RequestOptions modelsList(ProviderKey key) {
        if (cloud != null) {
            return null;
        }
        MultiMap headers = uncompressed();
        authenticate(headers, key);
        return target("/models")
                .setMethod(HttpMethod.GET)
                .setHeaders(headers)
                .setIdleTimeout(answerTimeoutMillis(false));
    }

    /**
     * Request options for a POST of JSON to {@code path} (relative to the base URL) with the key's auth. Their
     * headers are shared by every call with the key and read-only: set others with {@link
     * RequestOptions#setHeaders} on a copy.
     */
    public RequestOptions post(String path, ProviderKey key, boolean stream) {
        return target(path).setHeaders(callHeaders.of(key, stream));
    }

    /** Options a cloud's credential is then put on: their headers are the call's own. */
    private RequestOptions options(String path, boolean stream) {
        return target(path).setHeaders(content(stream));
    }

    private MultiMap headers(@Nullable ProviderKey key, boolean stream) {
        MultiMap headers = content(stream);
        authenticate(headers, key);
        return headers;
    }

    private static MultiMap content(boolean stream) {
        MultiMap headers = uncompressed().set(HttpHeaders.CONTENT_TYPE, JSON);
        if (stream) {
            headers.set(HttpHeaders.ACCEPT, EVENT_STREAM);
        }
        return headers;
    }

    /** Headers every call starts from: its answer asked for without content coding. */
    private static MultiMap uncompressed() {
        return HttpHeaders.headers().set(HttpHeaders.ACCEPT_ENCODING, IDENTITY);
    }

    /** The method and address of a call, without headers. */
    private RequestOptions target(String path) {
        return new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setServer(server)
                .setHost(host)
                .setPort(port)
                .setSsl(ssl)
                .setURI(pathPrefix.isEmpty() ? path : pathPrefix + path);
    }

    /**
     * How long a call may wait for its answer's head ({@code streamIdleTimeout} for a stream, {@code timeout}
     * otherwise), and then a whole answer for its body: kept by the caller on its loop's deadlines, not by a Vert.x
     * timer per request.
     */
    public long answerTimeoutMillis(boolean stream) {
        return stream ? config.streamIdleTimeout().toMillis() : config.timeout().toMillis();
    }

    private void authenticate(MultiMap headers, @Nullable ProviderKey key) {
        String secret = key == null ? null : key.secret();
        switch (protocol()) {
            case ANTHROPIC -> {
                headers.set(ANTHROPIC_VERSION, ANTHROPIC_VERSION_VALUE);
                if (secret != null) {
                    headers.set(X_API_KEY, secret);
                }
            }
            case GEMINI -> {
                if (secret != null) {
                    headers.set(X_GOOG_API_KEY, secret);
                }
            }
            default -> {
                if (secret != null) {
                    headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + secret);
                }
            }
        }
    }
}
