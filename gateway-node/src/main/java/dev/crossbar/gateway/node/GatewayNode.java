package dev.crossbar.gateway.node;

import com.hazelcast.core.HazelcastInstance;
import dev.crossbar.cluster.hazelcast.HazelcastLedger;
import dev.crossbar.cluster.hazelcast.MemberConfigs;
import dev.crossbar.cluster.hazelcast.MemberSettings;
import dev.crossbar.cluster.lease.LocalLeases;
import dev.crossbar.cluster.ledger.KeyCommand;
import dev.crossbar.cluster.ledger.KeyLimits;
import dev.crossbar.cluster.ledger.Ledger;
import dev.crossbar.cluster.ledger.LedgerSettings;
import dev.crossbar.gateway.admin.ManagementServer;
import dev.crossbar.gateway.admin.Operations;
import dev.crossbar.gateway.auth.ClientKeyDirectory;
import dev.crossbar.gateway.auth.ClientKeys;
import dev.crossbar.gateway.config.ClientKeyConfig;
import dev.crossbar.gateway.config.ClusterConfig;
import dev.crossbar.gateway.config.GatewayConfig;
import dev.crossbar.gateway.config.ProviderConfig;
import dev.crossbar.gateway.config.ProviderKeyConfig;
import dev.crossbar.gateway.http.InboundServer;
import dev.crossbar.gateway.keys.KeyDirectory;
import dev.crossbar.gateway.keys.KeyPool;
import dev.crossbar.gateway.keys.Strategy;
import dev.crossbar.gateway.metrics.NodeMetrics;
import dev.crossbar.gateway.metrics.Observers;
import dev.crossbar.gateway.proxy.FieldPolicy;
import dev.crossbar.gateway.proxy.Pipeline;
import dev.crossbar.gateway.proxy.RequestObserver;
import dev.crossbar.gateway.proxy.Traffic;
import dev.crossbar.gateway.routing.ModelRoutes;
import dev.crossbar.gateway.upstream.Codecs;
import dev.crossbar.gateway.upstream.ProviderKey;
import dev.crossbar.gateway.upstream.Upstream;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway node, and where its parts are put together (the composition root): a clustered Vert.x with its
 * embedded Hazelcast member, the shared ledger and this node's leases on it, the request pipeline, the
 * client-facing server on every event loop and the operations surface, each given only what it uses. {@link
 * #stop()} drains first.
 */
public final class GatewayNode {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayNode.class);

    /** The cluster's state as this node uses it, loaded on a worker before the node serves. */
    private record State(
            String nodeId,
            Map<String, Upstream> upstreams,
            ModelRoutes routes,
            HazelcastLedger ledger,
            LocalLeases leases,
            KeyPool pool,
            KeyDirectory keyDirectory,
            ClientKeyDirectory clientKeys) {}

    private final Vertx vertx;
    private final GatewayConfig config;
    private final State state;
    private final Traffic traffic = new Traffic();
    private final long startedAtMillis = System.currentTimeMillis();
    private final HazelcastInstance hazelcast;
    private final ScheduledExecutorService leaseTimer;
    private final NodeMetrics metrics;
    private volatile String serverDeployment;
    private volatile boolean stopped;

    private GatewayNode(
            Vertx vertx,
            GatewayConfig config,
            State state,
            HazelcastInstance hazelcast,
            ScheduledExecutorService timer,
            NodeMetrics metrics) {
        this.vertx = vertx;
        this.config = config;
        this.state = state;
        this.hazelcast = hazelcast;
        this.leaseTimer = timer;
        this.metrics = metrics;
    }

    /**
     * Starts a node.
     *
     * @param observer   told about every request, besides the node's own metrics
     * @param operations builds the handler of /health, /metrics and /admin once the node's parts exist; it
     *                   serves the management port too when {@code node.managementPort} is set
     */
    public static Future<GatewayNode> start(
            GatewayConfig config,
            Codecs codecs,
            RequestObserver observer,
            Function<Operations.Node, Handler<HttpServerRequest>> operations) {
        ClusterConfig cluster = config.cluster();
        MemberSettings member = new MemberSettings(
                cluster.name(),
                cluster.host(),
                cluster.port(),
                true,
                cluster.members(),
                cluster.kubernetesServiceDns());
        HazelcastClusterManager manager = new HazelcastClusterManager(MemberConfigs.build(member));
        NodeMetrics metrics = new NodeMetrics();
        RequestObserver observed =
                observer == RequestObserver.NONE ? metrics.requests() : Observers.of(metrics.requests(), observer);
        VertxOptions options = new VertxOptions()
                .setEventLoopPoolSize(config.node().eventLoops())
                .setMetricsOptions(metrics.vertxMetricsOptions());
        options.getEventBusOptions().setHost(cluster.host()).setPort(0);
        VertxBuilder builder =
                Vertx.builder().with(options).withClusterManager(manager).withMetrics(metrics.vertxMetricsFactory());
        // The answer must not be bound to a Vert.x context: a failed start closes the one it ran on.
        Promise<GatewayNode> started = Promise.promise();
        builder.buildClustered().onComplete(built -> {
            if (built.failed()) {
                metrics.close();
                started.tryFail(built.cause());
                return;
            }
            Vertx vertx = built.result();
            HazelcastInstance hz = manager.getHazelcastInstance();
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "crossbar-leases");
                t.setDaemon(true);
                return t;
            });
            vertx.executeBlocking(() -> assemble(config, codecs, hz, timer))
                    .compose(state -> {
                        GatewayNode node = new GatewayNode(vertx, config, state, hz, timer, metrics);
                        Handler<HttpServerRequest> ops = operations.apply(node.operationsView());
                        InboundServer.Shared shared = node.servers(codecs, observed);
                        return vertx.deployVerticle(
                                        () -> new InboundServer(shared, ops),
                                        new DeploymentOptions()
                                                .setInstances(config.node().eventLoops()))
                                .compose(id -> {
                                    node.serverDeployment = id;
                                    return ManagementServer.start(vertx, config.node(), ops);
                                })
                                .map(server -> node);
                    })
                    .onComplete(ar -> {
                        if (ar.succeeded()) {
                            started.tryComplete(ar.result());
                            return;
                        }
                        LOG.error("node failed to start: {}", ar.cause().toString());
                        timer.shutdownNow();
                        vertx.close().onComplete(closed -> {
                            metrics.close();
                            started.tryFail(ar.cause());
                        });
                    });
        });
        return started.future();
    }

    /** What the operations surface (health, metrics, admin) reads and changes of this node. */
    private Operations.Node operationsView() {
        return new Operations.Node(
                vertx,
                config,
                state.nodeId(),
                startedAtMillis,
                traffic,
                state.ledger(),
                state.upstreams(),
                state.routes(),
                state.keyDirectory(),
                state.clientKeys(),
                hazelcast,
                metrics);
    }

    /** What the client-facing servers of every event loop share, the request pipeline first. */
    private InboundServer.Shared servers(Codecs codecs, RequestObserver observer) {
        Pipeline pipeline = new Pipeline(
                config,
                state.routes(),
                state.pool(),
                state.leases(),
                state.ledger(),
                observer,
                traffic,
                FieldPolicy.ALLOW_ALL);
        return new InboundServer.Shared(
                config,
                state.nodeId(),
                startedAtMillis,
                codecs.clients(),
                state.clientKeys(),
                state.routes(),
                pipeline,
                traffic);
    }

    /** Runs on a worker thread: the ledger loads the cluster's state, which may take a moment. */
    private static State assemble(
            GatewayConfig config, Codecs codecs, HazelcastInstance hz, ScheduledExecutorService timer)
            throws Exception {
        ClusterConfig cluster = config.cluster();
        LedgerSettings settings = new LedgerSettings(
                cluster.lease().toMillis(),
                cluster.reclaimGrace().toMillis(),
                LedgerSettings.DEFAULTS.backoffBaseMillis(),
                LedgerSettings.DEFAULTS.backoffMaxMillis(),
                LedgerSettings.DEFAULTS.rateLimitCooldownMillis(),
                LedgerSettings.DEFAULTS.probeTimeoutMillis(),
                LedgerSettings.DEFAULTS.creditCooldownMillis());
        HazelcastLedger ledger = new HazelcastLedger(hz, settings);
        Map<String, Upstream> upstreams = new LinkedHashMap<>();
        List<ProviderKey> configured = new ArrayList<>();
        List<CompletableFuture<Object>> registrations = new ArrayList<>();
        for (ProviderConfig provider : config.providers()) {
            for (ProviderKeyConfig k : provider.keys()) {
                configured.add(new ProviderKey(
                        k.id(), provider.id(), k.secret(), k.limits().toKeyLimits(), k.weight()));
            }
            if (provider.keys().isEmpty()) {
                configured.add(KeyDirectory.keylessKey(provider.id()));
            }
            upstreams.put(provider.id(), new Upstream(provider, codecs.upstream(provider), List.of()));
        }
        for (ProviderKey k : configured) {
            // Ensure creates a key the cluster has not seen and leaves a running one's counts alone.
            registrations.add(register(ledger, k.id(), k.limits()));
        }
        for (ClientKeyConfig client : config.clientKeys()) {
            if (client.limits().limited()) {
                registrations.add(register(
                        ledger,
                        ClientKeys.ledgerId(client.name()),
                        client.limits().toKeyLimits()));
            }
        }
        CompletableFuture.allOf(registrations.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        awaitSnapshot(ledger, registrations.size());
        KeyDirectory directory = new KeyDirectory(hz, ledger, upstreams, configured);
        ClientKeyDirectory clientKeys = new ClientKeyDirectory(hz, ledger, config.clientKeys());
        LocalLeases leases = new LocalLeases(ledger, ledger.memberId(), System::nanoTime, timer);
        ModelRoutes routes = new ModelRoutes(config.models(), upstreams::get);
        KeyPool pool =
                new KeyPool(leases, ledger, Strategy.byName(config.routing().strategy()));
        return new State(ledger.memberId(), Map.copyOf(upstreams), routes, ledger, leases, pool, directory, clientKeys);
    }

    private static CompletableFuture<Object> register(Ledger ledger, String id, KeyLimits limits) {
        return ledger.execute(id, new KeyCommand.Ensure(id, limits)).toCompletableFuture();
    }

    /** Entry events reach the snapshot a moment after the writes complete; serve only once they have. */
    private static void awaitSnapshot(Ledger ledger, int keys) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ledger.snapshot().size() < keys && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    public Vertx vertx() {
        return vertx;
    }

    public GatewayConfig config() {
        return config;
    }

    /** This node's view of the shared ledger (tests read keys' states through it). */
    public Ledger ledger() {
        return state.ledger();
    }

    /** This node's leases on the ledger. */
    public LocalLeases leases() {
        return state.leases();
    }

    /** The requests this node serves now, and whether it drains. */
    public Traffic traffic() {
        return traffic;
    }

    /** The Hazelcast member this node runs (tests read the cluster's maps through it). */
    public HazelcastInstance hazelcast() {
        return hazelcast;
    }

    public String memberId() {
        return state.nodeId();
    }

    /** This node's metrics registry (served at /metrics). */
    public NodeMetrics metrics() {
        return metrics;
    }

    /**
     * Stops gracefully: not ready any more while it still serves for the drain notice (a load balancer's
     * health check takes it out before the port closes), then the servers stop accepting and let requests
     * and streams in flight finish (up to the drain timeout), leases go back to the ledger, and the member
     * leaves the cluster.
     */
    public Future<Void> stop() {
        if (stopped) {
            return Future.succeededFuture();
        }
        stopped = true;
        traffic.startDraining();
        long noticeMillis = config.node().drainNotice().toMillis();
        Promise<Void> noticeGiven = Promise.promise();
        if (noticeMillis > 0) {
            vertx.setTimer(noticeMillis, id -> noticeGiven.complete());
        } else {
            noticeGiven.complete();
        }
        Future<Void> serversDone = noticeGiven
                .future()
                .compose(given -> serverDeployment == null
                        ? Future.succeededFuture()
                        : vertx.undeploy(serverDeployment).otherwise(err -> {
                            LOG.warn("servers did not shut down cleanly: {}", err.toString());
                            return null;
                        }));
        // The answer must not depend on a Vert.x context: the last step closes them all.
        Promise<Void> done = Promise.promise();
        serversDone
                // Continue on a Vert.x thread: closing a clustered Vert.x from a Hazelcast thread stalls its shutdown.
                .compose(v -> Future.fromCompletionStage(state.leases().releaseAll(), vertx.getOrCreateContext()))
                .onComplete(released -> {
                    if (released.failed()) {
                        LOG.warn(
                                "could not return every lease: {}",
                                released.cause().toString());
                    }
                    state.leases().close();
                    state.keyDirectory().close();
                    state.clientKeys().close();
                    state.ledger().close();
                    leaseTimer.shutdownNow();
                    vertx.close().onComplete(closed -> {
                        metrics.close();
                        done.tryComplete();
                    });
                });
        return done.future();
    }

    /** Stops without draining or returning leases, as a crash would (tests of reclaim). */
    public Future<Void> kill() {
        stopped = true;
        hazelcast.getLifecycleService().terminate();
        leaseTimer.shutdownNow();
        return vertx.close().otherwise((Void) null).onComplete(ignored -> metrics.close());
    }
}
