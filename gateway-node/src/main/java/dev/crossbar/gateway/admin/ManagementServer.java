package dev.crossbar.gateway.admin;

import dev.crossbar.gateway.config.NodeConfig;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * The management port ({@code node.managementPort}): when set, the admin API, the dashboard and /metrics
 * are served there only, with /health/* on both ports, so the admin surface can be kept off the network
 * clients reach. Closed with the node's Vert.x.
 */
public final class ManagementServer {

    private ManagementServer() {}

    /**
     * What the client port serves of the node's own surface: all of it without a management port, else
     * /health/* only (a load balancer probes the port it sends clients to), the rest a 404.
     */
    public static Handler<HttpServerRequest> onClientPort(NodeConfig node, Handler<HttpServerRequest> operations) {
        if (node.managementPort() == 0) {
            return operations;
        }
        return request -> {
            if (managed(request.path())) {
                request.response()
                        .setStatusCode(404)
                        .putHeader("content-type", "application/json")
                        .end("{\"error\":{\"message\":\"not found\",\"type\":\"not_found_error\"}}");
            } else {
                operations.handle(request);
            }
        };
    }

    /** The paths only the management port serves when there is one. */
    private static boolean managed(String path) {
        return path.equals("/metrics") || path.equals("/admin") || path.startsWith("/admin/");
    }

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
                    if (managed(path) || path.startsWith("/health/")) {
                        operations.handle(request);
                    } else {
                        request.response()
                                .setStatusCode(404)
                                .putHeader("content-type", "text/plain; charset=utf-8")
                                .end("The management port serves /admin, /admin/api/, /metrics and /health/*.\n");
                    }
                })
                .listen()
                .recover(err -> Future.failedFuture(new IllegalStateException(
                        "node.managementPort " + node.managementPort() + " could not be bound: " + err.getMessage(),
                        err)));
    }
}
