package dev.crossbar.gateway.admin;

import dev.crossbar.gateway.metrics.NodeMetrics;
import dev.crossbar.gateway.node.GatewayNode;
import dev.crossbar.gateway.node.NodeServices;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's own surface: /health/*, /metrics, the admin API under /admin/api/ and the dashboard at
 * /admin. Building it starts this node's once-a-second record for the cluster view.
 */
public final class Operations implements Handler<HttpServerRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(Operations.class);

    private final Vertx vertx;
    private final Health health;
    private final NodeMetrics metrics;
    private final AdminAuth auth;
    private final AdminApi api;
    private final Dashboard dashboard;

    public Operations(GatewayNode.NodeContext node) {
        NodeServices services = node.services();
        this.vertx = node.vertx();
        this.health = new Health(services, node.hazelcast());
        this.metrics = node.node().metrics();
        metrics.bind(services, node.hazelcast());
        NodeStats.Publisher publisher = new NodeStats.Publisher(node.hazelcast(), services, metrics.requests());
        publisher.start(vertx);
        this.auth = new AdminAuth(services.config().admin().token());
        Throughput throughput = new Throughput(services);
        throughput.start(vertx);
        this.api = new AdminApi(vertx, services, node.hazelcast(), auth, publisher, throughput);
        this.dashboard = new Dashboard();
        if (!auth.enabled()) {
            LOG.info("admin API and dashboard are off: no admin.token in the config");
        }
    }

    @Override
    public void handle(HttpServerRequest request) {
        String path = request.path();
        switch (path) {
            case "/health/live" -> health.live(request.response());
            case "/health/ready" -> health.ready(request.response());
            case "/metrics" -> metrics(request);
            default -> {
                if (path.equals(AdminApi.PREFIX) || path.startsWith(AdminApi.PREFIX + "/")) {
                    api.handle(request);
                } else if (path.equals("/admin") || path.startsWith("/admin/")) {
                    dashboard.handle(request, auth.enabled());
                } else {
                    request.response()
                            .setStatusCode(404)
                            .putHeader("content-type", "application/json")
                            .end("{\"error\":{\"message\":\"not found\",\"type\":\"not_found_error\"}}");
                }
            }
        }
    }

    /** Prometheus text; rendered on a worker so a large registry never holds up an event loop. */
    private void metrics(HttpServerRequest request) {
        if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
            request.response()
                    .setStatusCode(405)
                    .putHeader(HttpHeaders.ALLOW, "GET")
                    .end();
            return;
        }
        vertx.executeBlocking(metrics::scrape, false).onComplete(ar -> {
            if (ar.failed()) {
                LOG.warn("could not render /metrics: {}", ar.cause().toString());
                request.response().setStatusCode(500).end();
                return;
            }
            request.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, NodeMetrics.CONTENT_TYPE)
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .end(ar.result());
        });
    }
}
