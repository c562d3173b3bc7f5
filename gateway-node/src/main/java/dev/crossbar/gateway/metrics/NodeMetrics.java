package dev.crossbar.gateway.metrics;

import dev.crossbar.cluster.ClusterState;
import dev.crossbar.cluster.ledger.KeyStateCodec;
import dev.crossbar.cluster.ledger.Ledger;
import dev.crossbar.cluster.members.MemberStats;
import dev.crossbar.cluster.members.Members;
import dev.crossbar.cluster.records.ClientKeyRecord;
import dev.crossbar.cluster.records.ProviderKeyRecord;
import dev.crossbar.cluster.seal.Rejections;
import dev.crossbar.cluster.seal.UnreadableValue;
import dev.crossbar.gateway.config.MetricsConfig;
import dev.crossbar.gateway.pricing.Budgets;
import dev.crossbar.gateway.proxy.Traffic;
import dev.crossbar.gateway.upstream.Upstream;
import dev.crossbar.gateway.upstream.UpstreamConnections;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One node's metrics: a Prometheus registry holding the request metrics, per-key gauges, node gauges,
 * JVM metrics and Vert.x's own (HTTP server and client, pools, event loops). One registry per node, so
 * several nodes in one JVM (tests, the demo) keep their numbers apart.
 */
public final class NodeMetrics implements AutoCloseable {

    /** The Prometheus text format's content type. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RequestMetrics requests;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final String vertxRegistryName = "crossbar-" + UUID.randomUUID();
    private volatile @Nullable KeyMetrics keys;
    private volatile @Nullable BudgetMetrics budgets;

    public NodeMetrics(MetricsConfig bounds) {
        requests = new RequestMetrics(registry, bounds);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        Gauge.builder("crossbar.build.info", () -> 1)
                .description("Always 1; the version is a label")
                .tag("version", BuildInfo.version())
                .register(registry);
    }

    /** The registry itself, for the parts of the node that publish their own meters (the usage database). */
    public MeterRegistry registry() {
        return registry;
    }

    /** The request observer feeding this registry. */
    public RequestMetrics requests() {
        return requests;
    }

    /**
     * Vert.x metrics into this registry. Labels are bounded: method, status code, pool and event-bus
     * side, never the request path or remote address.
     */
    public VertxMetricsFactory vertxMetricsFactory() {
        return new ConnectionLevelHttpMetrics(new MicrometerMetricsFactory(registry), registry);
    }

    public MicrometerMetricsOptions vertxMetricsOptions() {
        return new MicrometerMetricsOptions()
                .setEnabled(true)
                .setRegistryName(vertxRegistryName)
                .setJvmMetricsEnabled(false)
                .setLabels(EnumSet.of(
                        Label.HTTP_METHOD,
                        Label.HTTP_CODE,
                        Label.POOL_TYPE,
                        Label.POOL_NAME,
                        Label.EB_SIDE,
                        Label.EB_FAILURE,
                        Label.NAMESPACE));
    }

    /**
     * Adds the gauges that read the node's state: in-flight requests, members (and those without proof of
     * the cluster key), values refused in cluster state, and every key's.
     */
    public void bind(
            Traffic traffic,
            UpstreamConnections upstreamConnections,
            Ledger ledger,
            Collection<Upstream> upstreams,
            ClusterState cluster) {
        Gauge.builder("crossbar.upstream.connections", upstreamConnections, UpstreamConnections::open)
                .description("Connections the node's own HTTP/1.1 pools hold open to plain-HTTP providers"
                        + " (those over TLS are vertx_http_client_active_connections)")
                .register(registry);
        Gauge.builder("crossbar.node.in.flight", traffic, Traffic::inFlight)
                .description("Requests this node is serving now")
                .register(registry);
        Gauge.builder("crossbar.node.draining", traffic, t -> t.draining() ? 1 : 0)
                .description("1 while the node is stopping and finishing its requests")
                .register(registry);
        Members members = cluster.members();
        Gauge.builder(
                        "crossbar.cluster.members",
                        members,
                        m -> m.running() ? m.list().size() : 0)
                .description("Members in the cluster as this node sees it")
                .register(registry);
        Gauge.builder(
                        "crossbar.cluster.unproven.members",
                        members,
                        m -> m.running() ? m.unproven().size() : 0)
                .description("Members that show no proof of the cluster key (not Crossbar nodes of this cluster)")
                .register(registry);
        FunctionCounter.builder("crossbar.cluster.round.trips", ledger, Ledger::roundTrips)
                .description("Entry-processor calls this node made on the shared ledger (cluster round trips)")
                .register(registry);
        Rejections rejections = cluster.rejections();
        for (String map : List.of(
                KeyStateCodec.MAP, ProviderKeyRecord.FORMAT.map(), ClientKeyRecord.FORMAT.map(), MemberStats.MAP)) {
            for (UnreadableValue.Reason reason : UnreadableValue.Reason.values()) {
                FunctionCounter.builder("crossbar.cluster.refused.values", rejections, r -> r.count(map, reason))
                        .description("Values in cluster state this node ignored: foreign, not authentic under the"
                                + " cluster key, of an unknown format version, or malformed")
                        .tag("map", map)
                        .tag("reason", reason.label())
                        .register(registry);
            }
        }
        keys = new KeyMetrics(registry, ledger, upstreams);
    }

    /** Adds the budgets' series: limit, spend and reservations of the period, and this node's overruns. */
    public void bindBudgets(Budgets budgets) {
        this.budgets = new BudgetMetrics(registry, budgets);
    }

    /** The Prometheus text exposition. Takes a moment on large registries: call off the event loop. */
    public String scrape() {
        KeyMetrics k = keys;
        if (k != null) {
            k.sync();
        }
        BudgetMetrics b = budgets;
        if (b != null) {
            b.sync();
        }
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
