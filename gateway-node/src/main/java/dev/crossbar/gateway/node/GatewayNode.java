package dev.crossbar.gateway.node;

import dev.crossbar.cluster.ClusterState;
import dev.crossbar.cluster.hazelcast.HazelcastMember;
import dev.crossbar.cluster.hazelcast.MemberSettings;
import dev.crossbar.cluster.lease.LocalLeases;
import dev.crossbar.cluster.ledger.KeyCommand;
import dev.crossbar.cluster.ledger.KeyLimits;
import dev.crossbar.cluster.ledger.Ledger;
import dev.crossbar.cluster.ledger.LedgerSettings;
import dev.crossbar.cluster.seal.ClusterKeyring;
import dev.crossbar.codecs.spi.ClientCodec;
import dev.crossbar.codecs.spi.Protocol;
import dev.crossbar.gateway.admin.ManagementServer;
import dev.crossbar.gateway.admin.Operations;
import dev.crossbar.gateway.auth.ClientKeyDirectory;
import dev.crossbar.gateway.auth.ClientKeys;
import dev.crossbar.gateway.config.ClientKeyConfig;
import dev.crossbar.gateway.config.ClusterConfig;
import dev.crossbar.gateway.config.GatewayConfig;
import dev.crossbar.gateway.config.KeyHealthConfig;
import dev.crossbar.gateway.config.ProviderConfig;
import dev.crossbar.gateway.config.ProviderKeyConfig;
import dev.crossbar.gateway.http.ConnectionCap;
import dev.crossbar.gateway.http.InboundServer;
import dev.crossbar.gateway.http.StoredResponses;
import dev.crossbar.gateway.keys.BucketEntry;
import dev.crossbar.gateway.keys.KeyChecks;
import dev.crossbar.gateway.keys.KeyDirectory;
import dev.crossbar.gateway.keys.KeyPool;
import dev.crossbar.gateway.keys.SharedBuckets;
import dev.crossbar.gateway.keys.Strategy;
import dev.crossbar.gateway.metrics.NodeMetrics;
import dev.crossbar.gateway.metrics.Observers;
import dev.crossbar.gateway.pricing.Budgets;
import dev.crossbar.gateway.pricing.PriceDirectory;
import dev.crossbar.gateway.pricing.PriceTable;
import dev.crossbar.gateway.pricing.SpendHistory;
import dev.crossbar.gateway.proxy.FieldPolicy;
import dev.crossbar.gateway.proxy.Pipeline;
import dev.crossbar.gateway.proxy.RequestObserver;
import dev.crossbar.gateway.proxy.Traffic;
import dev.crossbar.gateway.responses.OffLoop;
import dev.crossbar.gateway.responses.ResponsesState;
import dev.crossbar.gateway.routing.ModelRoutes;
import dev.crossbar.gateway.upstream.Codecs;
import dev.crossbar.gateway.upstream.ProviderKey;
import dev.crossbar.gateway.upstream.ScrubbingCodec;
import dev.crossbar.gateway.upstream.SecretScrubber;
import dev.crossbar.gateway.upstream.Upstream;
import dev.crossbar.gateway.upstream.UpstreamConnections;
import dev.crossbar.gateway.upstream.cloud.Clouds;
import dev.crossbar.gateway.usage.UsageDatabase;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway node, and where its parts are put together (the composition root): a clustered Vert.x with its
 * embedded Hazelcast member (built here, the only place the gateway reaches Hazelcast), the shared state on it,
 * this node's leases, the request pipeline, the client-facing server on every event loop and the operations
 * surface, each given only what it uses. {@link #stop()} drains first.
 */
public final class GatewayNode {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayNode.class);

    /** How often a node with previous cluster keys rewrites what is still under them (a rotation). */
    private static final long RESEAL_PERIOD_MILLIS = 60_000;

    /** The cluster's state as this node uses it, loaded on a worker before the node serves. */
    private record State(
            String nodeId,
            Map<String, Upstream> upstreams,
            ModelRoutes routes,
            Ledger ledger,
            LocalLeases leases,
            KeyPool pool,
            KeyDirectory keyDirectory,
            ClientKeyDirectory clientKeys,
            ResponsesState responses,
            PriceDirectory prices,
            Budgets budgets) {}

    private final Vertx vertx;
    private final GatewayConfig config;
    private final State state;
    private final Traffic traffic = new Traffic();
    private final UpstreamConnections upstreamConnections = new UpstreamConnections();
    private final long startedAtMillis = System.currentTimeMillis();
    private final ClusterState cluster;
    private final HazelcastMember member;
    private final ScheduledExecutorService leaseTimer;
    private final NodeMetrics metrics;
    private volatile @Nullable String serverDeployment;
    private static final long RESTORE_TIMEOUT_SECONDS = 10;

    private volatile @Nullable UsageDatabase usage;
    private volatile boolean stopped;

    private GatewayNode(
            Vertx vertx,
            GatewayConfig config,
            State state,
            ClusterState cluster,
            HazelcastMember member,
            ScheduledExecutorService timer,
            NodeMetrics metrics) {
        this.vertx = vertx;
        this.config = config;
        this.state = state;
        this.cluster = cluster;
        this.member = member;
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
        ClusterKeyring keyring = cluster.keyring();
        if (keyring.isEphemeral()) {
            LOG.info("no cluster.key: this node alone seals its cluster state with a random key of its own");
        }
        HazelcastMember member = HazelcastMember.create(
                new MemberSettings(
                        cluster.name(),
                        cluster.host(),
                        cluster.port(),
                        cluster.portAutoIncrement(),
                        cluster.members(),
                        cluster.kubernetesServiceDns()),
                keyring);
        NodeMetrics metrics = new NodeMetrics(config.metrics());
        RequestObserver observed =
                observer == RequestObserver.NONE ? metrics.requests() : Observers.of(metrics.requests(), observer);
        VertxOptions options = new VertxOptions()
                .setEventLoopPoolSize(config.node().eventLoops())
                // Netty's epoll transport where it is on the class path (Linux): less latency per request than NIO.
                .setPreferNativeTransport(true)
                .setMetricsOptions(metrics.vertxMetricsOptions());
        options.getEventBusOptions().setHost(cluster.host()).setPort(0);
        VertxBuilder builder = Vertx.builder()
                .with(options)
                .withClusterManager(member.clusterManager())
                .withMetrics(metrics.vertxMetricsFactory());
        // The answer must not be bound to a Vert.x context: a failed start closes the one it ran on.
        Promise<GatewayNode> started = Promise.promise();
        builder.buildClustered().onComplete(built -> {
            if (built.failed()) {
                metrics.close();
                started.tryFail(built.cause());
                return;
            }
            Vertx vertx = built.result();
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "crossbar-leases");
                t.setDaemon(true);
                return t;
            });
            vertx.executeBlocking(() -> member.open(
                            ledgerSettings(config.cluster(), config.routing().keyHealth())))
                    .compose(shared -> openUsage(vertx, config, shared.members().localId(), metrics)
                            .compose(db -> vertx.executeBlocking(() -> assemble(
                                            vertx,
                                            config,
                                            codecs,
                                            shared,
                                            timer,
                                            db == null ? SpendHistory.NONE : orNothing(db.queries())))
                                    .map(state -> {
                                        GatewayNode node =
                                                new GatewayNode(vertx, config, state, shared, member, timer, metrics);
                                        node.usage = db;
                                        return node;
                                    })))
                    .compose(node -> {
                        node.resealPeriodically();
                        node.checkRefusedKeys();
                        Handler<HttpServerRequest> ops = operations.apply(node.operationsView());
                        InboundServer.Shared servers = node.servers(
                                codecs, node.usage == null ? observed : Observers.of(observed, node.usage.recorder()));
                        ConnectionCap connections =
                                new ConnectionCap(config.node().maxConnections());
                        return vertx.deployVerticle(
                                        () -> new InboundServer(
                                                servers,
                                                ManagementServer.onClientPort(config.node(), ops),
                                                connections),
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

    /**
     * Opens the usage database when the config names one (docs/spend.md, The usage database), before the node is
     * assembled: a cluster that starts from nothing restores its budgets' spend from the records.
     */
    private static Future<UsageDatabase> openUsage(
            Vertx vertx, GatewayConfig config, String nodeId, NodeMetrics metrics) {
        if (config.database() == null) {
            return Future.succeededFuture();
        }
        return UsageDatabase.start(vertx, config.database(), nodeId, metrics.registry());
    }

    /**
     * The records' spend, or none (with a warning) when the database cannot answer in time: budgets then start from
     * the cluster's own counts rather than keep the node from serving.
     */
    private static SpendHistory orNothing(SpendHistory records) {
        return from -> records.since(from)
                .toCompletableFuture()
                .orTimeout(RESTORE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .exceptionally(e -> {
                    LOG.warn(
                            "budgets start without the period's spend from the usage database, which did not answer: {}",
                            e.toString());
                    return new SpendHistory.Spent(Map.of(), Map.of());
                });
    }

    /** The usage database's reads (spend since a moment), or {@link SpendHistory#NONE} without a database. */
    public SpendHistory spendHistory() {
        UsageDatabase db = usage;
        return db == null ? SpendHistory.NONE : db.queries();
    }

    /** What the operations surface (health, metrics, admin) reads and changes of this node. */
    private Operations.Node operationsView() {
        return new Operations.Node(
                vertx,
                config,
                state.nodeId(),
                startedAtMillis,
                traffic,
                upstreamConnections,
                state.ledger(),
                state.upstreams(),
                state.routes(),
                state.keyDirectory(),
                state.clientKeys(),
                state.prices(),
                state.budgets(),
                state.pool().buckets(),
                cluster,
                metrics,
                usage);
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
                state.prices()::current,
                state.budgets(),
                traffic,
                FieldPolicy.of(config),
                state.responses());
        return new InboundServer.Shared(
                config,
                state.nodeId(),
                startedAtMillis,
                codecs.clients(),
                state.clientKeys(),
                state.routes(),
                pipeline,
                new StoredResponses(state.responses(), responsesCodec(codecs)),
                traffic,
                upstreamConnections);
    }

    private static ClientCodec responsesCodec(Codecs codecs) {
        return codecs.clients().stream()
                .filter(c -> c.protocol() == Protocol.OPENAI_RESPONSES)
                .findFirst()
                .orElseThrow();
    }

    private static LedgerSettings ledgerSettings(ClusterConfig cluster, KeyHealthConfig health) {
        return new LedgerSettings(
                cluster.lease().toMillis(),
                cluster.reclaimGrace().toMillis(),
                LedgerSettings.DEFAULTS.backoffBaseMillis(),
                LedgerSettings.DEFAULTS.backoffMaxMillis(),
                LedgerSettings.DEFAULTS.rateLimitCooldownMillis(),
                LedgerSettings.DEFAULTS.probeTimeoutMillis(),
                LedgerSettings.DEFAULTS.creditCooldownMillis(),
                health.failuresToCoolDown(),
                health.failureWindow().toMillis());
    }

    /** Runs on a worker thread: seeding and loading the cluster's records may take a moment. */
    private static State assemble(
            Vertx vertx,
            GatewayConfig config,
            Codecs codecs,
            ClusterState state,
            ScheduledExecutorService timer,
            SpendHistory history)
            throws Exception {
        Ledger ledger = state.ledger();
        String nodeId = state.members().localId();
        Map<String, Upstream> upstreams = new LinkedHashMap<>();
        List<ProviderKey> configured = new ArrayList<>();
        List<CompletableFuture<Object>> registrations = new ArrayList<>();
        // Keys added at run time join the provider's list: the scrubber reads the lists at every error.
        SecretScrubber scrubber = new SecretScrubber(() -> providerSecrets(upstreams.values(), configured));
        for (ProviderConfig provider : config.providers()) {
            for (ProviderKeyConfig k : provider.keys()) {
                configured.add(new ProviderKey(
                        k.id(), provider.id(), k.secret(), k.limits().toKeyLimits(), k.weight()));
            }
            if (provider.keys().isEmpty()) {
                configured.add(KeyDirectory.keylessKey(provider.id()));
            }
            upstreams.put(
                    provider.id(),
                    new Upstream(
                            provider,
                            new ScrubbingCodec(codecs.upstream(provider), scrubber),
                            List.of(),
                            Clouds.access(provider, vertx, Clock.systemUTC())));
        }
        for (ProviderKey k : configured) {
            // Ensure creates a key the cluster has not seen and leaves a running one's counts alone.
            registrations.add(register(ledger, k.id(), k.limits()));
        }
        SharedBuckets buckets = SharedBuckets.of(config);
        for (BucketEntry entry : buckets.entries()) {
            registrations.add(register(ledger, entry.id(), entry.limits()));
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
        if (state.keyring().accepted().size() > 1) {
            LOG.info(
                    "cluster key rotation: {} values rewritten under the current key {}",
                    state.reseal(),
                    state.keyring().current().idText());
        }
        KeyDirectory directory = new KeyDirectory(state.providerKeys(), ledger, upstreams, configured);
        ClientKeyDirectory clientKeys =
                new ClientKeyDirectory(state.clientKeys(), state.keyring(), ledger, config.clientKeys());
        LocalLeases leases = new LocalLeases(ledger, nodeId, System::nanoTime, timer);
        ModelRoutes routes = new ModelRoutes(config.models(), upstreams::get);
        KeyPool pool =
                new KeyPool(leases, ledger, Strategy.byName(config.routing().strategy()), buckets);
        Budgets budgets = new Budgets(state.budgets(), state.spend());
        budgets.seed(config);
        // Before the node serves: a cluster that starts from nothing takes the period's spend from the records.
        budgets.restore(history);
        return new State(
                nodeId,
                Map.copyOf(upstreams),
                routes,
                ledger,
                leases,
                pool,
                directory,
                clientKeys,
                new ResponsesState(state.responses(), routes, OffLoop.workers(vertx)),
                new PriceDirectory(state.prices(), config, PriceTable.shipped()),
                budgets);
    }

    /**
     * During a key rotation (previous keys configured), rewrites now and then what is still sealed or signed
     * with a previous key, so the old key can be dropped: docs/security.md, "Rotating the cluster key".
     */
    private void resealPeriodically() {
        if (cluster.keyring().accepted().size() < 2) {
            return;
        }
        vertx.setPeriodic(
                RESEAL_PERIOD_MILLIS,
                id -> vertx.executeBlocking(cluster::reseal, false)
                        .onSuccess(n -> {
                            if (n > 0) {
                                LOG.info("cluster key rotation: {} more values rewritten under the current key", n);
                            }
                        })
                        .onFailure(err -> LOG.warn(
                                "could not rewrite values under the current cluster key: {}", err.toString())));
    }

    /** Checks keys their provider refused on a schedule, when the config asks for it. */
    private void checkRefusedKeys() {
        KeyHealthConfig health = config.routing().keyHealth();
        if (health.checks()) {
            vertx.deployVerticle(new KeyChecks(
                    state.ledger(), state.upstreams().values(), config.providers(), health, upstreamConnections));
        }
    }

    private static Set<String> providerSecrets(Collection<Upstream> upstreams, List<ProviderKey> configured) {
        Set<String> secrets = new HashSet<>();
        for (ProviderKey k : configured) {
            if (k.secret() != null) {
                secrets.add(k.secret());
            }
        }
        for (Upstream upstream : upstreams) {
            for (ProviderKey k : upstream.keys()) {
                if (k.secret() != null) {
                    secrets.add(k.secret());
                }
            }
        }
        return secrets;
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

    /** The state this node shares with the cluster (tests read it). */
    public ClusterState cluster() {
        return cluster;
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
                // Every request has finished: what the usage buffer holds is all there will be.
                .compose(v -> usage == null ? Future.<Void>succeededFuture() : usage.close())
                // Continue on a Vert.x thread: closing a clustered Vert.x from a Hazelcast thread stalls its shutdown.
                .compose(v -> Future.fromCompletionStage(state.leases().releaseAll(), vertx.getOrCreateContext()))
                .onComplete(released -> {
                    if (released.failed()) {
                        LOG.warn(
                                "could not return every lease: {}",
                                released.cause().toString());
                    }
                    state.leases().close();
                    state.clientKeys().close();
                    cluster.close();
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
        member.terminate();
        leaseTimer.shutdownNow();
        return vertx.close().otherwise((Void) null).onComplete(ignored -> metrics.close());
    }
}
