package dev.crossbar.gateway.http;

import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.spi.Protocol;
import dev.crossbar.gateway.auth.ClientKey;
import dev.crossbar.gateway.config.NodeConfig;
import dev.crossbar.gateway.node.NodeServices;
import dev.crossbar.gateway.proxy.ChatExchange;
import dev.crossbar.gateway.proxy.Endpoint;
import dev.crossbar.gateway.proxy.LoopResources;
import dev.crossbar.gateway.proxy.UpstreamClients;
import dev.crossbar.gateway.responses.StoredResponses;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client-facing HTTP server of one event loop: fixes the client protocol from the path (no regex),
 * authenticates, and hands the request to a {@link ChatExchange}. Several instances share the port.
 */
public final class InboundServer extends VerticleBase {

    private static final AtomicLong REQUEST_IDS = new AtomicLong();
    /** After the drain timeout, the time the answers ended by the drain get to go out before connections close. */
    private static final long DRAIN_CLOSE_MILLIS = 1_000;

    private final NodeServices services;
    private final StoredResponses storedResponses;
    private final Handler<HttpServerRequest> operations;
    private final String idSuffix;
    private final ConnectionCap connections;
    private ConnectionGuard guard;
    private LoopResources loop;
    private HttpServer server;

    /**
     * @param operations  serves /health, /metrics and /admin (the node's own surface)
     * @param connections the node's cap on client connections, shared by its event loops
     */
    public InboundServer(NodeServices services, Handler<HttpServerRequest> operations, ConnectionCap connections) {
        this.services = services;
        this.storedResponses =
                new StoredResponses(services.responsesState(), services.codecs().client(Protocol.OPENAI_RESPONSES));
        this.operations = operations;
        this.connections = connections;
        this.idSuffix = services.nodeId().substring(0, 6);
    }

    @Override
    public Future<?> start() {
        loop = new LoopResources(
                vertx,
                context,
                new UpstreamClients(vertx, services.config().providers()),
                services.config().routing().queueSize());
        NodeConfig node = services.config().node();
        guard = new ConnectionGuard(vertx, node.headerTimeout().toMillis(), connections);
        HttpServerOptions options = new HttpServerOptions()
                .setHost(node.host())
                .setPort(node.port())
                .setTcpNoDelay(true)
                .setIdleTimeout((int) node.idleTimeout().toSeconds())
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setMaxInitialLineLength(8 * 1024)
                .setMaxHeaderSize(16 * 1024)
                .setDecompressionSupported(true)
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
        server =
                vertx.createHttpServer(options).connectionHandler(guard::opened).requestHandler(this::route);
        return server.listen();
    }

    /**
     * Stops accepting connections and lets requests and streams in flight finish, up to the drain timeout.
     * Then this loop ends what still runs itself ({@link ChatExchange#drain}): each client hears it in its
     * own protocol and no key is blamed, before the server closes the connections that are left.
     */
    @Override
    public Future<?> stop() {
        if (server == null) {
            return Future.succeededFuture();
        }
        long drainMillis = services.config().node().drainTimeout().toMillis();
        long cutter = vertx.setTimer(Math.max(1, drainMillis), id -> {
            for (ChatExchange exchange : List.copyOf(loop.exchanges())) {
                exchange.drain();
            }
        });
        return server.shutdown(drainMillis + DRAIN_CLOSE_MILLIS, TimeUnit.MILLISECONDS)
                .onComplete(done -> vertx.cancelTimer(cutter));
    }

    private void route(HttpServerRequest request) {
        guard.headersArrived(request);
        String path = request.path();
        HttpMethod method = request.method();
        if (HttpMethod.POST.equals(method)) {
            switch (path) {
                case "/v1/chat/completions" -> chat(request, Protocol.OPENAI_CHAT, null, false);
                case "/v1/responses" -> chat(request, Protocol.OPENAI_RESPONSES, null, false);
                case "/v1/messages" -> chat(request, Protocol.ANTHROPIC, null, false);
                case "/v1/messages/count_tokens" ->
                    exchange(request, Protocol.ANTHROPIC, null, false, Endpoint.COUNT_TOKENS);
                case "/v1/embeddings" -> exchange(request, Protocol.OPENAI_CHAT, null, false, Endpoint.EMBEDDINGS);
                default -> {
                    if (path.startsWith("/v1beta/models/")) {
                        gemini(request, path.substring("/v1beta/models/".length()));
                    } else {
                        other(request, path);
                    }
                }
            }
            return;
        }
        if (HttpMethod.GET.equals(method) && path.equals("/v1/models")) {
            listModels(
                    request,
                    request.getHeader("anthropic-version") != null ? Protocol.ANTHROPIC : Protocol.OPENAI_CHAT);
            return;
        }
        if (HttpMethod.GET.equals(method) && path.equals("/v1beta/models")) {
            listModels(request, Protocol.GEMINI);
            return;
        }
        if (path.startsWith(StoredResponses.PREFIX)) {
            ClientKey client = authenticate(request, Protocol.OPENAI_RESPONSES);
            if (client != null) {
                storedResponses.handle(request, client);
            }
            return;
        }
        other(request, path);
    }

    private void other(HttpServerRequest request, String path) {
        if (path.startsWith("/health") || path.startsWith("/metrics") || path.startsWith("/admin")) {
            operations.handle(request);
            return;
        }
        Protocol protocol = path.startsWith("/v1beta") ? Protocol.GEMINI : Protocol.OPENAI_CHAT;
        ClientErrors.send(
                request.response(),
                services.codecs().client(protocol),
                ApiError.of(ErrorKind.NOT_FOUND, request.method() + " " + path + " is not a route of this gateway"));
    }

    private String nextRequestId() {
        return "req_" + Long.toHexString(REQUEST_IDS.incrementAndGet()) + idSuffix;
    }

    /** Gemini names the model and the method in the path: {@code {model}:generateContent}. */
    private void gemini(HttpServerRequest request, String modelAndMethod) {
        int colon = modelAndMethod.lastIndexOf(':');
        String method = colon < 0 ? "" : modelAndMethod.substring(colon + 1);
        String model = colon < 0 ? modelAndMethod : modelAndMethod.substring(0, colon);
        switch (method) {
            case "generateContent" -> chat(request, Protocol.GEMINI, model, false);
            case "streamGenerateContent" -> chat(request, Protocol.GEMINI, model, true);
            default ->
                ClientErrors.send(
                        request.response(),
                        services.codecs().client(Protocol.GEMINI),
                        ApiError.of(
                                ErrorKind.NOT_FOUND,
                                "method '" + method + "' is not supported; use generateContent "
                                        + "or streamGenerateContent"));
        }
    }

    private void chat(HttpServerRequest request, Protocol protocol, String pathModel, boolean pathStream) {
        exchange(request, protocol, pathModel, pathStream, Endpoint.CHAT);
    }

    /**
     * @param endpoint a chat turn, or one forwarded as is: embeddings, and Anthropic's token counter
     *                 (estimated locally when no Anthropic provider serves the model)
     */
    private void exchange(
            HttpServerRequest request, Protocol protocol, String pathModel, boolean pathStream, Endpoint endpoint) {
        ClientKey client = authenticate(request, protocol);
        if (client == null) {
            return;
        }
        if (services.draining()) {
            request.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        new ChatExchange(services, loop, request, protocol, pathModel, pathStream, nextRequestId(), endpoint)
                .start(client);
    }

    private void listModels(HttpServerRequest request, Protocol protocol) {
        ClientKey client = authenticate(request, protocol);
        if (client == null) {
            return;
        }
        request.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(Buffer.buffer(ModelLists.render(protocol, services.routes(), client, services.startedAtMillis())));
    }

    /** The caller's client key, or null after answering 401 in the protocol's shape. */
    private ClientKey authenticate(HttpServerRequest request, Protocol protocol) {
        ClientKey client = services.clientKeys().authenticate(ClientCredentials.presented(request, protocol));
        if (client == null) {
            ClientErrors.send(
                    request.response(),
                    services.codecs().client(protocol),
                    ApiError.of(
                            ErrorKind.AUTHENTICATION,
                            "missing or invalid API key: send a Crossbar client key as " + hint(protocol)));
        }
        return client;
    }

    private static String hint(Protocol protocol) {
        return switch (protocol) {
            case ANTHROPIC -> "the x-api-key header or 'Authorization: Bearer <key>'";
            case GEMINI -> "the x-goog-api-key header or the key query parameter";
            default -> "'Authorization: Bearer <key>'";
        };
    }
}
