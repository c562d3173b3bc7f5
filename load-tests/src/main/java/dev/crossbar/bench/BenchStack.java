package dev.crossbar.bench;

import dev.crossbar.cluster.seal.ClusterKey;
import dev.crossbar.gateway.config.AdminConfig;
import dev.crossbar.gateway.config.ClientKeyConfig;
import dev.crossbar.gateway.config.ClusterConfig;
import dev.crossbar.gateway.config.GatewayConfig;
import dev.crossbar.gateway.config.ModelConfig;
import dev.crossbar.gateway.config.NodeConfig;
import dev.crossbar.gateway.config.ProviderConfig;
import dev.crossbar.gateway.config.ProviderKeyConfig;
import dev.crossbar.gateway.config.RoutingConfig;
import dev.crossbar.launcher.ChildProcess;
import dev.crossbar.launcher.ConfigYaml;
import dev.crossbar.launcher.LocalCluster;
import dev.crossbar.launcher.NginxProcess;
import dev.crossbar.launcher.NodeProcess;
import dev.crossbar.launcher.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Everything a bench run drives, each as a separate process on 127.0.0.1: the fixed-answer nginx
 * upstream, the mock providers, a one-node Crossbar cluster, a second cluster of up to five nodes, one
 * front nginx (plain reverse proxy to the upstream, and load balancer in front of 1, 3 and 5 nodes),
 * and the peer gateway. Stopped by pid in reverse order.
 */
final class BenchStack implements AutoCloseable {

    /** The heap every bench node runs with, before its scenario's own JVM options. */
    static final List<String> NODE_HEAP = List.of("-Xms512m", "-Xmx512m");

    static final String CLIENT_KEY = "bench-client-key";
    static final String ADMIN_TOKEN = "bench-admin-token";
    static final String UPSTREAM_SECRET = "sk-bench-fast";
    /** The churn scenario's key: no limits; the mock answers it after 200 ms and streams 20 chunks 20 ms apart. */
    static final String CHURN_SECRET = "sk-bench-churn";

    static final int POOL_KEYS = 3;
    static final int POOL_REQUESTS = 100;
    static final int POOL_WINDOW_MS = 2_000;
    static final int MAX_NODES = 5;
    private static final Duration NODE_START = Duration.ofMinutes(4);
    /** As the old ChildProcess.close: SIGTERM, then SIGKILL after 20 s. */
    private static final Duration NODE_STOP = Duration.ofSeconds(20);

    /** A JVM the bench measures: its CPU time, and its heap from {@code GET /metrics} at {@link #url}. */
    interface Jvm {
        String url();

        ChildProcess process();
    }

    /** A Crossbar node process and its client port. */
    record Node(String name, int port, NodeProcess node) implements Jvm {
        @Override
        public String url() {
            return "http://127.0.0.1:" + port;
        }

        /** The node's running JVM (its CPU time, its log). */
        @Override
        public ChildProcess process() {
            return node.process();
        }
    }

    /** A bare proxy ({@link BareProxy}, {@link BareNettyProxy}) in front of the fixed upstream. */
    record Bare(int port, ChildProcess process) implements Jvm {
        @Override
        public String url() {
            return "http://127.0.0.1:" + port;
        }
    }

    private final Path workDir;
    private final Path root;
    private final List<String> nodeJvmOptions;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final String clusterTag = UUID.randomUUID().toString().substring(0, 8);
    /** One cluster key per run, in the generated configs only (they are in the run's own directory). */
    private final String clusterKey = ClusterKey.generateText();

    final int upstreamPort = Ports.free();
    final int proxyPort = Ports.free();
    final int lb1Port = Ports.free();
    final int lb3Port = Ports.free();
    final int lb5Port = Ports.free();
    final int mockPort = Ports.free();
    /** The front nginx's proxy to the mock providers, unbuffered: the streams' floor. */
    final int mockProxyPort = Ports.free();

    private final int clusterAHazelcast = Ports.freeRun(1);
    private final int clusterBHazelcast = Ports.freeRun(MAX_NODES);
    private final int nodeAPort = Ports.free();
    private final List<Integer> clusterBPorts = new ArrayList<>();

    ChildProcess upstream;
    ChildProcess front;
    ChildProcess mock;
    ChildProcess peer;
    int peerPort;

    @Nullable
    Bare bareVertx;

    @Nullable
    Bare bareNetty;

    Node nodeA;
    final List<Node> clusterB = new ArrayList<>();

    BenchStack(Path workDir, Path root, List<String> nodeJvmOptions) {
        this.workDir = workDir;
        this.root = root;
        this.nodeJvmOptions = List.copyOf(nodeJvmOptions);
        for (int i = 0; i < MAX_NODES; i++) {
            clusterBPorts.add(Ports.free());
        }
    }

    Path workDir() {
        return workDir;
    }

    /** The upstream nginx and the front nginx (proxy and the three load balancers). */
    void startNginx() throws Exception {
        startUpstream();
        Path binary = NginxProcess.require();
        Path frontConf = new NginxConfig(2)
                .proxy("upstream_fixed", proxyPort, List.of(upstreamPort), true)
                .proxy("crossbar_1", lb1Port, List.of(nodeAPort), false)
                .proxy("crossbar_3", lb3Port, clusterBPorts.subList(0, 3), false)
                .proxy("crossbar_5", lb5Port, clusterBPorts, false)
                .proxy("mock", mockProxyPort, List.of(mockPort), false)
                .write("nginx-front", workDir);
        front = startNginx(binary, frontConf, proxyPort);
    }

    /** The fixed-answer nginx upstream alone. */
    void startUpstream() throws Exception {
        Path binary = NginxProcess.require();
        Path upstreamConf = new NginxConfig(2).fixedAnswer(upstreamPort).write("nginx-upstream", workDir);
        upstream = startNginx(binary, upstreamConf, upstreamPort);
    }

    private ChildProcess startNginx(Path binary, Path config, int port) throws InterruptedException {
        NginxProcess nginx = NginxProcess.start(binary, config, "127.0.0.1", port, Duration.ofSeconds(20));
        started.add(nginx);
        return nginx.process();
    }

    void startMock() throws Exception {
        StringBuilder keys = new StringBuilder("""
                {"secret":"sk-bench-openai","provider":"openai"},
                {"secret":"sk-bench-anthropic","provider":"anthropic"},
                {"secret":"sk-bench-gemini","provider":"gemini"},
                {"secret":"sk-bench-responses","provider":"openai"},
                {"secret":"sk-bench-churn","provider":"openai"}""");
        for (int i = 1; i <= POOL_KEYS; i++) {
            keys.append(",\n{\"secret\":\"sk-pool-")
                    .append(i)
                    .append("\",\"provider\":\"openai\",\"requestsPerWindow\":")
                    .append(POOL_REQUESTS)
                    .append(",\"windowMs\":")
                    .append(POOL_WINDOW_MS)
                    .append('}');
        }
        Path config = workDir.resolve("mock.json");
        Files.writeString(
                config,
                "{\"eventLoops\": 2, \"keys\": [\n" + keys + "\n],\n\"keyFaults\": {\"" + CHURN_SECRET
                        + "\": {\"ttfbMs\": 200, \"chunkDelayMs\": 20, \"streamChunks\": 20}}}\n");
        List<String> command = java(List.of("-Xms256m", "-Xmx512m"));
        command.addAll(List.of(
                "dev.crossbar.mock.MockMain", "--port", Integer.toString(mockPort), "--config", config.toString()));
        mock = track(ChildProcess.start("mock", command, workDir.resolve("mock.log"), Map.of()));
        awaitStatus(mock, mockUrl() + "/_mock/health", 120);
    }

    String mockUrl() {
        return "http://127.0.0.1:" + mockPort;
    }

    /** The one-node cluster (node A) and the first {@code clusterNodes} nodes of cluster B, started together. */
    void startNodes(boolean single, int clusterNodes) throws Exception {
        List<Node> starting = new ArrayList<>();
        if (single) {
            nodeA = startNode("node-a", nodeAPort, "bench-a-" + clusterTag, clusterAHazelcast, List.of());
            starting.add(nodeA);
        }
        for (int i = 0; i < clusterNodes; i++) {
            starting.add(startClusterNode());
        }
        for (Node n : starting) {
            n.node().awaitReady(1, NODE_START);
        }
    }

    /** Adds the next node of cluster B and waits until it serves. */
    Node growClusterB() throws Exception {
        Node n = startClusterNode();
        n.node().awaitReady(1, NODE_START);
        return n;
    }

    /**
     * A node of its own one-member cluster (its own ports and cluster name, so it never joins another),
     * on every jar in {@code lib} ({@code null}: this build's), with {@code jvmOptions} instead of the
     * stack's. Returns once started: see {@link #awaitReady}.
     */
    Node startSolo(String name, Path lib, List<String> jvmOptions) throws IOException {
        return startNode(
                name,
                Ports.free(),
                "bench-" + name + "-" + clusterTag,
                Ports.freeRun(1),
                List.of(),
                lib == null ? LocalCluster.repoRoot().resolve(NodeProcess.NODE_LIB) : lib,
                jvmOptions);
    }

    /** Stops a node before the stack closes (stopping it again then does nothing). */
    void stop(Node node) {
        stopNode(node.node());
    }

    static void awaitReady(List<Node> nodes) throws InterruptedException {
        for (Node n : nodes) {
            n.node().awaitReady(1, NODE_START);
        }
    }

    private Node startClusterNode() throws Exception {
        int i = clusterB.size();
        List<String> members = new ArrayList<>();
        for (int m = 0; m < MAX_NODES; m++) {
            members.add("127.0.0.1:" + (clusterBHazelcast + m));
        }
        Node n = startNode(
                "node-b" + (i + 1), clusterBPorts.get(i), "bench-b-" + clusterTag, clusterBHazelcast + i, members);
        clusterB.add(n);
        return n;
    }

    private Node startNode(String name, int port, String cluster, int hazelcastPort, List<String> members)
            throws IOException {
        return startNode(
                name,
                port,
                cluster,
                hazelcastPort,
                members,
                LocalCluster.repoRoot().resolve(NodeProcess.NODE_LIB),
                nodeJvmOptions);
    }

    private Node startNode(
            String name,
            int port,
            String cluster,
            int hazelcastPort,
            List<String> members,
            Path lib,
            List<String> jvmOptions)
            throws IOException {
        Path config =
                ConfigYaml.write(nodeConfig(port, cluster, hazelcastPort, members), workDir.resolve(name + ".yaml"));
        List<String> jvm = new ArrayList<>(NODE_HEAP);
        jvm.addAll(jvmOptions.stream()
                .map(o -> o.replace("{name}", name).replace("{dir}", workDir.toString()))
                .toList());
        NodeProcess node = new NodeProcess(
                name, config, "http://127.0.0.1:" + port, workDir.resolve(name + ".log"), jvm, Map.of(), lib);
        started.add(() -> stopNode(node));
        node.start();
        return new Node(name, port, node);
    }

    private static void stopNode(NodeProcess node) {
        try {
            node.stop(NODE_STOP);
        } catch (IllegalStateException killed) {
            // it did not drain in time and was killed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The node config: a fast unlimited upstream, the mock's three protocols, and a small limited pool. */
    GatewayConfig nodeConfig(int port, String cluster, int hazelcastPort, List<String> members) {
        List<ProviderKeyConfig> pool = new ArrayList<>();
        for (int i = 1; i <= POOL_KEYS; i++) {
            pool.add(new ProviderKeyConfig(
                    "pool-" + i,
                    "sk-pool-" + i,
                    (long) POOL_REQUESTS,
                    null,
                    null,
                    Duration.ofMillis(POOL_WINDOW_MS),
                    null,
                    null,
                    null,
                    null));
        }
        String mock = mockUrl();
        List<ProviderConfig> providers = List.of(
                provider("fast", "openai", "http://127.0.0.1:" + upstreamPort + "/v1", key("fast-1", UPSTREAM_SECRET)),
                provider("mock-openai", "openai", mock + "/v1", key("mock-openai-1", "sk-bench-openai")),
                provider("mock-anthropic", "anthropic", mock + "/v1", key("mock-anthropic-1", "sk-bench-anthropic")),
                provider("mock-gemini", "gemini", mock + "/v1beta", key("mock-gemini-1", "sk-bench-gemini")),
                responsesProvider("mock-responses", mock + "/v1", key("mock-responses-1", "sk-bench-responses")),
                provider("churn", "openai", mock + "/v1", key("churn-1", CHURN_SECRET)),
                provider("pool", "openai", mock + "/v1", pool.toArray(ProviderKeyConfig[]::new)));
        List<ModelConfig> models = List.of(
                model("bench-fast", "fast", "gpt-4o-mini"),
                model("bench-openai", "mock-openai", "gpt-4o-mini"),
                model("bench-anthropic", "mock-anthropic", "claude-sonnet-4-5"),
                model("bench-gemini", "mock-gemini", "gemini-2.5-flash"),
                model("bench-responses", "mock-responses", "gpt-4o-mini"),
                model("bench-pool", "pool", "gpt-4o-mini"),
                model("bench-churn", "churn", "gpt-4o-mini"));
        return new GatewayConfig(
                new NodeConfig(
                        "127.0.0.1", port, null, null, null, null, Duration.ZERO, null, null, null, null, null, null),
                new ClusterConfig(
                        cluster, "127.0.0.1", hazelcastPort, members, null, null, null, clusterKey, null, null, null),
                new AdminConfig(ADMIN_TOKEN),
                List.of(new ClientKeyConfig("bench", CLIENT_KEY, null, null)),
                providers,
                models,
                new RoutingConfig(null, null, null, Duration.ofMillis(250), null, null, null));
    }

    private static ProviderConfig provider(String id, String type, String baseUrl, ProviderKeyConfig... keys) {
        return ProviderConfig.of(id, type, baseUrl, List.of(keys));
    }

    /** An OpenAI provider called through its Responses API ({@code api: responses}). */
    private static ProviderConfig responsesProvider(String id, String baseUrl, ProviderKeyConfig key) {
        return new ProviderConfig(
                id,
                "openai",
                baseUrl,
                List.of(key),
                null,
                null,
                null,
                null,
                null,
                "responses",
                null,
                null,
                null,
                null,
                null);
    }

    private static ProviderKeyConfig key(String id, String secret) {
        return ProviderKeyConfig.of(id, secret);
    }

    private static ModelConfig model(String name, String provider, String upstreamModel) {
        return new ModelConfig(name, null, List.of(new ModelConfig.TargetConfig(provider, upstreamModel, null)), null);
    }

    /**
     * A bare proxy to the fixed upstream ({@link BareProxy} or {@link BareNettyProxy}, by {@code main}), with the
     * nodes' heap, flags and event loops.
     */
    Bare startBare(String name, Class<?> main) throws Exception {
        int port = Ports.free();
        List<String> jvm = new ArrayList<>(NODE_HEAP);
        jvm.addAll(nodeJvmOptions.stream()
                .map(o -> o.replace("{name}", name).replace("{dir}", workDir.toString()))
                .toList());
        List<String> command = java(jvm);
        command.addAll(List.of(
                main.getName(),
                Integer.toString(port),
                Integer.toString(upstreamPort),
                Integer.toString(Runtime.getRuntime().availableProcessors())));
        ChildProcess process = track(ChildProcess.start(name, command, workDir.resolve(name + ".log"), Map.of()));
        Bare bare = new Bare(port, process);
        awaitStatus(process, bare.url() + "/metrics", 60);
        return bare;
    }

    /** The peer gateway (Portkey) from load-tests/bench-tools, bound to loopback by a preload; null when not installed. */
    ChildProcess startPeer() throws Exception {
        Path tools = root.resolve("load-tests/bench-tools");
        Path server = tools.resolve("node_modules/@portkey-ai/gateway/build/start-server.js");
        if (!Files.exists(server) || !Machine.onPath("node")) {
            return null;
        }
        peerPort = Ports.free();
        peer = track(ChildProcess.start(
                "portkey",
                List.of(
                        "node",
                        "--require",
                        tools.resolve("loopback.cjs").toString(),
                        server.toString(),
                        "--port=" + peerPort,
                        "--headless"),
                workDir.resolve("portkey.log"),
                Map.of("NODE_ENV", "production")));
        awaitStatus(peer, "http://127.0.0.1:" + peerPort + "/", 60);
        return peer;
    }

    /** Java with this JVM's class path (the mock providers), the flags of {@link #jvmWithFlags}. */
    private List<String> java(List<String> jvmOptions) {
        List<String> command = jvmWithFlags(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path")));
        return command;
    }

    /** Java with the flags every node runs with ({@code deploy/jvm.options}), then {@code jvmOptions}. */
    private List<String> jvmWithFlags(List<String> jvmOptions) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "@" + root.resolve("deploy/jvm.options")));
        command.addAll(jvmOptions);
        return command;
    }

    private ChildProcess track(ChildProcess p) {
        started.add(p);
        return p;
    }

    private static void awaitStatus(ChildProcess p, String url, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (Scrape.status(url) != 200) {
            if (!p.alive()) {
                throw new IllegalStateException(p.name() + " exited before it served " + url + "; its log " + p.log()
                        + " ends:\n" + p.tail(30));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(p.name() + " did not serve " + url + " within " + seconds + " s; log "
                        + p.log() + " ends:\n" + p.tail(30));
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("bench: stopping a process: " + e);
            }
        }
    }
}
