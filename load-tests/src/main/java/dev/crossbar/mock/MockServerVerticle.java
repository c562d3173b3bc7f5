package dev.crossbar.mock;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/** One HTTP server on one event loop; several share a port and one request handler. */
final class MockServerVerticle extends VerticleBase {

    static final String HOST = "127.0.0.1";

    private final String host;
    private final int port;
    private final Handler<HttpServerRequest> handler;
    private volatile int actualPort;

    MockServerVerticle(String host, int port, Handler<HttpServerRequest> handler) {
        this.host = host;
        this.port = port;
        this.handler = handler;
    }

    @Override
    public Future<?> start() {
        return vertx.createHttpServer(new HttpServerOptions()
                        .setHost(host)
                        .setPort(port)
                        .setTcpNoDelay(true)
                        .setHandle100ContinueAutomatically(true))
                .requestHandler(handler)
                .listen()
                .onSuccess(server -> actualPort = server.actualPort());
    }

    int actualPort() {
        return actualPort;
    }
}
