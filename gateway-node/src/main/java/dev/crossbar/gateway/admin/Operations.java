package dev.crossbar.gateway.admin;

import dev.crossbar.cluster.ClusterState;
import dev.crossbar.cluster.ledger.Ledger;
import dev.crossbar.gateway.auth.ClientKeyDirectory;
import dev.crossbar.gateway.config.GatewayConfig;
import dev.crossbar.gateway.keys.KeyDirectory;
import dev.crossbar.gateway.keys.SharedBuckets;
import dev.crossbar.gateway.metrics.NodeMetrics;
import dev.crossbar.gateway.pricing.Budgets;
import dev.crossbar.gateway.pricing.PriceDirectory;
import dev.crossbar.gateway.proxy.Traffic;
import dev.crossbar.gateway.routing.ModelRoutes;
import dev.crossbar.gateway.upstream.Upstream;
import dev.crossbar.gateway.upstream.UpstreamConnections;
import dev.crossbar.gateway.usage.UsageDatabase;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's own surface: /health/*, /metrics, the admin API under /admin/api/ and the dashboard at
 * /admin. Building it starts this node's once-a-second record for the cluster view.
 */
public final class Operations implements Handler<HttpServerRequest> {

    /**
     * What the operations surface reads and changes of its node.
     *
     * @param startedAtMillis when the node started
     * @param traffic         the requests in flight and whether the node drains
     * @param upstreamConnections the connections the node's own upstream pools hold open
     * @param upstreams       the providers by id
     * @param keyDirectory    the provider keys' records in the cluster
     * @param clientKeys      the client keys' records in the cluster
     * @param prices          the prices in force and the admins' overrides
     * @param buckets         the providers' shared buckets
     * @param cluster         the state shared with the cluster (members, their stats, the cluster key)
     * @param metrics         the node's registry (served at /metrics)
     * @param usage           the usage database, or null when the config names none
     */
    public record Node(
            Vertx vertx,
            GatewayConfig config,
            String nodeId,
            long startedAtMillis,
            Traffic traffic,
            UpstreamConnections upstreamConnections,
            Ledger ledger,
            Map<String, Upstream> upstreams,
            ModelRoutes routes,
            KeyDirectory keyDirectory,
            ClientKeyDirectory clientKeys,
            PriceDirectory prices,
            Budgets budgets,
            SharedBuckets buckets,
            ClusterState cluster,
            NodeMetrics metrics,
            @Nullable UsageDatabase usage) {}

    private static final Logger LOG = LoggerFactory.getLogger(Operations.class);

    private final Vertx vertx;
    private final Health health;
    private final NodeMetrics metrics;
    private final AdminAuth auth;
    private final AdminApi api;
    private final Dashboard dashboard;

    public Operations(Node node) {
        this.vertx = node.vertx();
        this.health = new Health(
                node.traffic(),
                node.cluster().members(),
                node.config().cluster().refusesUnprovenMembers());
        this.metrics = node.metrics();
        metrics.bind(
                node.traffic(),
                node.upstreamConnections(),
                node.ledger(),
                node.upstreams().values(),
                node.cluster());
        metrics.bindBudgets(node.budgets());
        MemberStatsPublisher publisher = new MemberStatsPublisher(
                node.cluster().memberStats(),
                node.cluster().keyring().isEphemeral()
                        ? "ephemeral"
                        : node.cluster().keyring().current().idText(),
                node.config().node(),
                node.nodeId(),
                node.startedAtMillis(),
                node.traffic(),
                metrics.requests());
        publisher.start(vertx);
        this.auth = new AdminAuth(node.config().admin().token());
        Throughput throughput = new Throughput(node.ledger(), node.upstreams());
        throughput.start(vertx);
        this.api = new AdminApi(vertx, node, auth, publisher, throughput);
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
