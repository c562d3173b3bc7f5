package dev.crossbar.gateway.admin;

import dev.crossbar.gateway.config.NodeConfig;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * The management port ({@code node.managementPort}): /metrics and /health/* only, so a scraper or a
 * load balancer's probe need not reach the client-facing port. Closed with the node's Vert.x.
 */
public final class ManagementServer {

    private ManagementServer() {}

    /** Listens when a management port is configured; completes with null when none is. */
    public static Future<HttpServer> start(Vertx vertx, NodeConfig node, Handler<HttpServerRequest> operations) {
        if (node.managementPort() == 0) {
            return Future.succeededFuture();
        }
        HttpServerOptions options = new HttpServerOptions()
                .setHost(node.host())
                .setPort(node.managementPort())
                .setIdleTimeout(60);
        return vertx.createHttpServer(options)
                .requestHandler(request -> {
                    String path = request.path();
                    if (path.equals("/metrics") || path.equals("/health/live") || path.equals("/health/ready")) {
                        operations.handle(request);
                    } else {
                        request.response()
                                .setStatusCode(404)
                                .putHeader("content-type", "text/plain; charset=utf-8")
                                .end("The management port serves /metrics, /health/live and /health/ready.\n");
                    }
                })
                .listen()
                .recover(err -> Future.failedFuture(new IllegalStateException(
                        "node.managementPort " + node.managementPort() + " could not be bound: " + err.getMessage(),
                        err)));
    }
}
