package dev.crossbar.gateway.admin;

import dev.crossbar.gateway.node.GatewayNode;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/** The node's own surface: /health/*, /metrics and /admin. */
public final class Operations implements Handler<HttpServerRequest> {

    private final Health health;

    public Operations(GatewayNode.NodeContext node) {
        this.health = new Health(node.services(), node.hazelcast());
    }

    @Override
    public void handle(HttpServerRequest request) {
        switch (request.path()) {
            case "/health/live" -> health.live(request.response());
            case "/health/ready" -> health.ready(request.response());
            default -> request.response().setStatusCode(404).putHeader("content-type", "application/json")
                    .end("{\"error\":{\"message\":\"not found\",\"type\":\"not_found_error\"}}");
        }
    }
}
