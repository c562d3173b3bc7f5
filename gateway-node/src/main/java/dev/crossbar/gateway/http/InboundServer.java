package dev.crossbar.gateway.http;

import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.spi.Protocol;
import dev.crossbar.gateway.auth.ClientKey;
import dev.crossbar.gateway.config.NodeConfig;
import dev.crossbar.gateway.config.ProviderConfig;
import dev.crossbar.gateway.node.NodeServices;
import dev.crossbar.gateway.proxy.ChatExchange;
import dev.crossbar.gateway.proxy.LoopResources;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client-facing HTTP server of one event loop: fixes the client protocol from the path (no regex),
 * authenticates, and hands the request to a {@link ChatExchange}. Several instances share the port.
 */
public final class InboundServer extends VerticleBase {

    private static final AtomicLong REQUEST_IDS = new AtomicLong();

    private final NodeServices services;
    private final Handler<HttpServerRequest> operations;
    private LoopResources loop;
    private HttpServer server;

    /**
     * @param operations serves /health, /metrics and /admin (the node's own surface)
     */
    public InboundServer(NodeServices services, Handler<HttpServerRequest> operations) {
        this.services = services;
        this.operations = operations;
    }

    @Override
    public Future<?> start() {
        int connections = services.config().providers().stream().mapToInt(ProviderConfig::maxConnections).max()
                .orElse(256);
        HttpClientOptions clientOptions = new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setConnectTimeout(10_000)
                .setDecompressionSupported(true);
        var http = vertx.createHttpClient(clientOptions, new PoolOptions().setHttp1MaxSize(connections)
                .setHttp2MaxSize(connections));
        loop = new LoopResources(vertx, context, http, services.config().routing().queueSize());
        NodeConfig node = services.config().node();
        HttpServerOptions options = new HttpServerOptions()
                .setHost(node.host())
                .setPort(node.port())
                .setTcpNoDelay(true)
                .setIdleTimeout((int) node.idleTimeout().toSeconds())
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setMaxInitialLineLength(8 * 1024)
                .setMaxHeaderSize(16 * 1024)
                .setDecompressionSupported(true);
        if (node.tls() != null) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(node.tls().certPath()).setKeyPath(node.tls().keyPath()));
        }
        server = vertx.createHttpServer(options).requestHandler(this::route);
        return server.listen();
    }

    /** Stops accepting connections and lets requests and streams in flight finish, up to the drain timeout. */
    @Override
    public Future<?> stop() {
        if (server == null) {
            return Future.succeededFuture();
        }
        return server.shutdown(services.config().node().drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void route(HttpServerRequest request) {
        String path = request.path();
        HttpMethod method = request.method();
        if (method == HttpMethod.POST) {
            switch (path) {
                case "/v1/chat/completions" -> chat(request, Protocol.OPENAI_CHAT, null, false);
                case "/v1/responses" -> chat(request, Protocol.OPENAI_RESPONSES, null, false);
                case "/v1/messages" -> chat(request, Protocol.ANTHROPIC, null, false);
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
        if (method == HttpMethod.GET && path.equals("/v1/models")) {
            listModels(request, request.getHeader("anthropic-version") != null ? Protocol.ANTHROPIC : Protocol.OPENAI_CHAT);
            return;
        }
        if (method == HttpMethod.GET && path.equals("/v1beta/models")) {
            listModels(request, Protocol.GEMINI);
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
        ClientErrors.send(request.response(), services.codecs().client(protocol),
                ApiError.of(ErrorKind.NOT_FOUND, request.method() + " " + path + " is not a route of this gateway"));
    }

    /** Gemini names the model and the method in the path: {@code {model}:generateContent}. */
    private void gemini(HttpServerRequest request, String modelAndMethod) {
        int colon = modelAndMethod.lastIndexOf(':');
        String method = colon < 0 ? "" : modelAndMethod.substring(colon + 1);
        String model = colon < 0 ? modelAndMethod : modelAndMethod.substring(0, colon);
        switch (method) {
            case "generateContent" -> chat(request, Protocol.GEMINI, model, false);
            case "streamGenerateContent" -> chat(request, Protocol.GEMINI, model, true);
            default -> ClientErrors.send(request.response(), services.codecs().client(Protocol.GEMINI),
                    ApiError.of(ErrorKind.NOT_FOUND, "method '" + method + "' is not supported; use generateContent "
                            + "or streamGenerateContent"));
        }
    }

    private void chat(HttpServerRequest request, Protocol protocol, String pathModel, boolean pathStream) {
        ClientKey client = authenticate(request, protocol);
        if (client == null) {
            return;
        }
        if (services.draining()) {
            request.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        String requestId = "req_" + Long.toHexString(REQUEST_IDS.incrementAndGet()) + services.nodeId().substring(0, 6);
        new ChatExchange(services, loop, request, protocol, pathModel, pathStream, requestId).start(client);
    }

    private void listModels(HttpServerRequest request, Protocol protocol) {
        ClientKey client = authenticate(request, protocol);
        if (client == null) {
            return;
        }
        request.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(Buffer.buffer(ModelLists.render(protocol, services.routes(), client, services.startedAtMillis())));
    }

    /** The caller's client key, or null after answering 401 in the protocol's shape. */
    private ClientKey authenticate(HttpServerRequest request, Protocol protocol) {
        ClientKey client = services.clientKeys().authenticate(ClientCredentials.presented(request, protocol));
        if (client == null) {
            ClientErrors.send(request.response(), services.codecs().client(protocol), ApiError.of(
                    ErrorKind.AUTHENTICATION, "missing or invalid API key: send a Crossbar client key as "
                            + hint(protocol)));
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
