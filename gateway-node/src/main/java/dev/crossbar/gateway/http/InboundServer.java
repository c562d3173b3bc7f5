package dev.crossbar.gateway.http;

import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.spi.ClientCodec;
import dev.crossbar.codecs.spi.KeyPlaces;
import dev.crossbar.gateway.auth.ClientKey;
import dev.crossbar.gateway.auth.ClientKeyDirectory;
import dev.crossbar.gateway.config.GatewayConfig;
import dev.crossbar.gateway.config.NodeConfig;
import dev.crossbar.gateway.keys.FlowWeights;
import dev.crossbar.gateway.proxy.ClientErrors;
import dev.crossbar.gateway.proxy.ConnectionEnds;
import dev.crossbar.gateway.proxy.Exchange;
import dev.crossbar.gateway.proxy.LoopResources;
import dev.crossbar.gateway.proxy.Pipeline;
import dev.crossbar.gateway.proxy.Traffic;
import dev.crossbar.gateway.routing.ModelRoutes;
import dev.crossbar.gateway.upstream.UpstreamClients;
import dev.crossbar.gateway.upstream.UpstreamConnections;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The client-facing HTTP server of one event loop: fixes the client protocol from the path ({@link
 * ClientRouter}), authenticates, and hands the request to the {@link Pipeline}. Several instances share the
 * port.
 */
public final class InboundServer extends VerticleBase {

    private static final AtomicLong REQUEST_IDS = new AtomicLong();
    /** After the drain timeout, the time the answers ended by the drain get to go out before connections close. */
    private static final long DRAIN_CLOSE_MILLIS = 1_000;

    /**
     * What the servers of a node's event loops share.
     *
     * @param startedAtMillis when the node started (the model list's creation time)
     * @param clients         the client protocols the node speaks
     * @param pipeline        serves each authenticated call
     * @param storedResponses serves the Responses API's stored responses by id
     * @param upstreamConnections the node's count of its own open upstream connections
     */
    public record Shared(
            GatewayConfig config,
            String nodeId,
            long startedAtMillis,
            List<ClientCodec> clients,
            ClientKeyDirectory clientKeys,
            ModelRoutes routes,
            Pipeline pipeline,
            StoredResponses storedResponses,
            Traffic traffic,
            UpstreamConnections upstreamConnections) {}

    private final Shared shared;
    private final GatewayConfig config;
    private final Handler<HttpServerRequest> operations;
    private final String idSuffix;
    private final ClientRouter router;
    private final ConnectionCap connections;
    private ConnectionGuard guard;
    private LoopResources loop;
    private @Nullable HttpServer server;

    /**
     * @param operations  serves /health, /metrics and /admin (the node's own surface)
     * @param connections the node's cap on client connections, shared by its event loops
     */
    @SuppressWarnings("NullAway.Init") // Vert.x calls start(), which sets guard and loop, before it routes a request
    public InboundServer(Shared shared, Handler<HttpServerRequest> operations, ConnectionCap connections) {
        this.shared = shared;
        this.config = shared.config();
        this.operations = operations;
        this.connections = connections;
        this.idSuffix = shared.nodeId().substring(0, 6);
        this.router = new ClientRouter(shared.clients());
    }

    @Override
    public Future<?> start() {
        loop = new LoopResources(
                vertx,
                context,
                new UpstreamClients(vertx, context, shared.upstreamConnections(), config.providers()),
                config.routing().queueSize(),
                new FlowWeights(config));
        NodeConfig node = config.node();
        guard = new ConnectionGuard(vertx, node.headerTimeout().toMillis(), connections);
        HttpServerOptions options = new HttpServerOptions()
                .setHost(node.host())
                .setPort(node.port())
                .setTcpNoDelay(true)
                .setIdleTimeout((int) node.idleTimeout().toSeconds())
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setMaxInitialLineLength(8 * 1024)
                .setMaxHeaderSize(16 * 1024)
                // No decompressor in the connections' pipelines: a coded request body is inflated by its reader
                // (proxy.BodyInflater), on either HTTP version.
                // Plain-text HTTP/2 would delay the connection (and its slow-loris guard) until the first
                // bytes decide the protocol; HTTP/2 remains available over TLS.
                .setHttp2ClearTextEnabled(false);
        if (node.tls() != null) {
            options.setSsl(true)
                    .setUseAlpn(true)
                    .setKeyCertOptions(new PemKeyCertOptions()
                            .setCertPath(node.tls().certPath())
                            .setKeyPath(node.tls().keyPath()));
        }
        UndecodableRequests undecodable =
                new UndecodableRequests(options.getMaxInitialLineLength(), options.getMaxHeaderSize());
        server = vertx.createHttpServer(options)
                .connectionHandler(connection -> {
                    guard.opened(connection);
                    StrictRequestDecoder.install(connection, options);
                })
                .invalidRequestHandler(request -> refuse(request, undecodable))
                .requestHandler(this::route);
        return server.listen();
    }

    /**
     * Stops accepting connections and lets requests and streams in flight finish, up to the drain timeout.
     * Then this loop ends what still runs itself ({@link Exchange#drain}): each client hears it in its
     * own protocol and no key is blamed, before the server closes the connections that are left.
     */
    @Override
    public Future<?> stop() {
        if (server == null) {
            return Future.succeededFuture();
        }
        long drainMillis = config.node().drainTimeout().toMillis();
        long cutter = vertx.setTimer(Math.max(1, drainMillis), id -> {
            for (Exchange exchange : List.copyOf(loop.exchanges())) {
                exchange.drain();
            }
        });
        return server.shutdown(drainMillis + DRAIN_CLOSE_MILLIS, TimeUnit.MILLISECONDS)
                .onComplete(done -> vertx.cancelTimer(cutter));
    }

    private void route(HttpServerRequest request) {
        guard.headersArrived(request);
        String path = request.path();
        ClientRouter.Match match = router.match(request.method().name(), path, h -> request.getHeader(h) != null);
        if (match instanceof ClientRouter.Call call) {
            exchange(request, call);
        } else if (match instanceof ClientRouter.ModelList list) {
            listModels(request, list.codec());
        } else if (path.startsWith("/health") || path.startsWith("/metrics") || path.startsWith("/admin")) {
            operations.handle(request);
        } else if (path.startsWith(StoredResponses.PREFIX)) {
            storedResponse(request);
        } else {
            ClientRouter.Unknown unknown = (ClientRouter.Unknown) match;
            ClientErrors.send(request.response(), unknown.codec(), unknown.error());
        }
    }

    /**
     * A request whose line or headers could not be decoded: answered in the protocol its path names, then the
     * connection closes (Vert.x closes it once the answer is written), since nothing after it can be framed.
     */
    private void refuse(HttpServerRequest request, UndecodableRequests undecodable) {
        ClientCodec codec = router.match(request.method().name(), request.path(), h -> request.getHeader(h) != null)
                .codec();
        ConnectionEnds.closeAfter(request);
        ClientErrors.send(
                request.response(),
                codec,
                undecodable.error(request.decoderResult().cause()));
    }

    private String nextRequestId() {
        return "req_" + Long.toHexString(REQUEST_IDS.incrementAndGet()) + idSuffix;
    }

    private void exchange(HttpServerRequest request, ClientRouter.Call call) {
        ClientKey client = authenticate(request, call.request().codec());
        if (client == null) {
            return;
        }
        if (shared.traffic().draining()) {
            ConnectionEnds.sendElsewhere(request);
        }
        shared.pipeline().start(loop, request, call.request(), client, nextRequestId());
    }

    private void storedResponse(HttpServerRequest request) {
        StoredResponses stored = shared.storedResponses();
        ClientKey client = authenticate(request, stored.codec());
        if (client != null) {
            stored.handle(request, client);
        }
    }

    private void listModels(HttpServerRequest request, ClientCodec codec) {
        ClientKey client = authenticate(request, codec);
        if (client == null) {
            return;
        }
        List<String> models = shared.routes().all().stream()
                .map(ModelRoutes.Route::name)
                .filter(client::allows)
                .toList();
        request.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(Buffer.buffer(codec.encodeModelList(models, shared.startedAtMillis())));
    }

    /** The caller's client key, or null after answering 401 in the protocol's shape. */
    private @Nullable ClientKey authenticate(HttpServerRequest request, ClientCodec codec) {
        KeyPlaces places = codec.inbound().key();
        ClientKey client = shared.clientKeys().current().authenticate(ClientCredentials.presented(request, places));
        if (client == null) {
            ClientErrors.send(
                    request.response(),
                    codec,
                    ApiError.of(
                            ErrorKind.AUTHENTICATION,
                            "missing or invalid API key: send a Crossbar client key as " + places.hint()));
        }
        return client;
    }
}
