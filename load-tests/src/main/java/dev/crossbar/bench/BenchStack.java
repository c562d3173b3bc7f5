package dev.crossbar.bench;

import dev.crossbar.launcher.NodeProcess;
import dev.crossbar.launcher.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Everything a bench run drives, each as a separate process on 127.0.0.1: the fixed-answer nginx
 * upstream, the mock providers, a one-node Crossbar cluster, a second cluster of up to five nodes, one
 * front nginx (plain reverse proxy to the upstream, and load balancer in front of 1, 3 and 5 nodes),
 * and the peer gateway. Stopped by pid in reverse order.
 */
final class BenchStack implements AutoCloseable {

    static final String CLIENT_KEY = "bench-client-key";
    static final String ADMIN_TOKEN = "bench-admin-token";
    static final String UPSTREAM_SECRET = "sk-bench-fast";
    /** The churn scenario's key: no limits; the mock answers it after 200 ms and streams 20 chunks 20 ms apart. */
    static final String CHURN_SECRET = "sk-bench-churn";

    static final int POOL_KEYS = 3;
    static final int POOL_REQUESTS = 100;
    static final int POOL_WINDOW_MS = 2_000;
    static final int MAX_NODES = 5;

    /** A Crossbar node process and its client port. */
    record Node(String name, int port, ChildProcess process) {
        String url() {
            return "http://127.0.0.1:" + port;
        }
    }

    private final Path workDir;
    private final Path root;
    private final List<String> nodeJvmOptions;
    private final List<ChildProcess> started = new ArrayList<>();
    private final String clusterTag = UUID.randomUUID().toString().substring(0, 8);

    final int upstreamPort = Ports.free();
    final int proxyPort = Ports.free();
    final int lb1Port = Ports.free();
    final int lb3Port = Ports.free();
    final int lb5Port = Ports.free();
    final int mockPort = Ports.free();
    private final int clusterAHazelcast = Ports.freeRun(1);
    private final int clusterBHazelcast = Ports.freeRun(MAX_NODES);
    private final int nodeAPort = Ports.free();
    private final List<Integer> clusterBPorts = new ArrayList<>();

    ChildProcess upstream;
    ChildProcess front;
    ChildProcess mock;
    ChildProcess peer;
    int peerPort;
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
        upstream = track(new Nginx(2).fixedAnswer(upstreamPort).start("nginx-upstream", workDir));
        front = track(new Nginx(2)
                .proxy("upstream_fixed", proxyPort, List.of(upstreamPort), true)
                .proxy("crossbar_1", lb1Port, List.of(nodeAPort), false)
                .proxy("crossbar_3", lb3Port, clusterBPorts.subList(0, 3), false)
                .proxy("crossbar_5", lb5Port, clusterBPorts, false)
                .start("nginx-front", workDir));
        awaitPort(upstream, upstreamPort);
        awaitPort(front, proxyPort);
    }

    void startMock() throws Exception {
        StringBuilder keys = new StringBuilder("""
                {"secret":"sk-bench-openai","provider":"openai"},
                {"secret":"sk-bench-anthropic","provider":"anthropic"},
                {"secret":"sk-bench-gemini","provider":"gemini"},
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
        mock = track(ChildProcess.start("mock", command, workDir));
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
            awaitStatus(n.process(), n.url() + "/health/ready", 240);
        }
    }

    /** Adds the next node of cluster B and waits until it serves. */
    Node growClusterB() throws Exception {
        Node n = startClusterNode();
        awaitStatus(n.process(), n.url() + "/health/ready", 240);
        return n;
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
        Path config = workDir.resolve(name + ".yaml");
        Files.writeString(config, nodeConfig(port, cluster, hazelcastPort, members));
        List<String> jvm = new ArrayList<>(List.of("-Xms512m", "-Xmx512m"));
        jvm.addAll(nodeJvmOptions.stream()
                .map(o -> o.replace("{name}", name).replace("{dir}", workDir.toString()))
                .toList());
        List<String> command = jvmWithFlags(jvm);
        command.addAll(NodeProcess.nodeMain());
        command.addAll(List.of("run", "--config", config.toString()));
        return new Node(name, port, track(ChildProcess.start(name, command, workDir)));
    }

    /** The node config: a fast unlimited upstream, the mock's three protocols, and a small limited pool. */
    String nodeConfig(int port, String cluster, int hazelcastPort, List<String> members) {
        StringBuilder pool = new StringBuilder();
        for (int i = 1; i <= POOL_KEYS; i++) {
            pool.append("      - { id: pool-")
                    .append(i)
                    .append(", secret: sk-pool-")
                    .append(i)
                    .append(", requests: ")
                    .append(POOL_REQUESTS)
                    .append(", window: ")
                    .append(POOL_WINDOW_MS / 1000)
                    .append("s }\n");
        }
        String mock = mockUrl();
        return """
                node:
                  host: 127.0.0.1
                  port: %d
                  drainNotice: 0s
                cluster:
                  name: %s
                  host: 127.0.0.1
                  port: %d
                  members: [%s]
                admin:
                  token: %s
                clientKeys:
                  - { name: bench, key: %s }
                providers:
                  - id: fast
                    type: openai
                    baseUrl: http://127.0.0.1:%d/v1
                    keys:
                      - { id: fast-1, secret: %s }
                  - id: mock-openai
                    type: openai
                    baseUrl: %s/v1
                    keys:
                      - { id: mock-openai-1, secret: sk-bench-openai }
                  - id: mock-anthropic
                    type: anthropic
                    baseUrl: %s/v1
                    keys:
                      - { id: mock-anthropic-1, secret: sk-bench-anthropic }
                  - id: mock-gemini
                    type: gemini
                    baseUrl: %s/v1beta
                    keys:
                      - { id: mock-gemini-1, secret: sk-bench-gemini }
                  - id: churn
                    type: openai
                    baseUrl: %s/v1
                    keys:
                      - { id: churn-1, secret: %s }
                  - id: pool
                    type: openai
                    baseUrl: %s/v1
                    keys:
                %smodels:
                  - name: bench-fast
                    targets: [ { provider: fast, model: gpt-4o-mini } ]
                  - name: bench-openai
                    targets: [ { provider: mock-openai, model: gpt-4o-mini } ]
                  - name: bench-anthropic
                    targets: [ { provider: mock-anthropic, model: claude-sonnet-4-5 } ]
                  - name: bench-gemini
                    targets: [ { provider: mock-gemini, model: gemini-2.5-flash } ]
                  - name: bench-pool
                    targets: [ { provider: pool, model: gpt-4o-mini } ]
                  - name: bench-churn
                    targets: [ { provider: churn, model: gpt-4o-mini } ]
                routing:
                  queueTimeout: 250ms
                """.formatted(
                        port,
                        cluster,
                        hazelcastPort,
                        String.join(", ", members),
                        ADMIN_TOKEN,
                        CLIENT_KEY,
                        upstreamPort,
                        UPSTREAM_SECRET,
                        mock,
                        mock,
                        mock,
                        mock,
                        CHURN_SECRET,
                        mock,
                        pool);
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
                workDir));
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

    private static void awaitPort(ChildProcess p, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                new Socket(InetAddress.getLoopbackAddress(), port).close();
                return;
            } catch (IOException notYet) {
                if (!p.alive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            p.name() + " does not listen on " + port + "; log ends:\n" + p.tail(20));
                }
                Thread.sleep(50);
            }
        }
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }
}
