package dev.crossbar.launcher;

import dev.crossbar.gateway.cli.Args;
import dev.crossbar.gateway.cli.RunCommand;
import dev.crossbar.gateway.config.ConfigLoader;
import dev.crossbar.gateway.config.DatabaseConfig;
import dev.crossbar.gateway.config.GatewayConfig;
import dev.crossbar.gateway.node.GatewayNode;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import dev.crossbar.mock.MockProviders;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code crossbar demo}: the mock providers and gateway nodes on 127.0.0.1, configured by
 * examples/demo.yaml, until Ctrl-C. One node runs in this JVM; with {@code --nodes N} (N > 1) each node is
 * its own process, the N form one Hazelcast cluster, and nginx in front serves them on one port.
 */
final class DemoCommand {

    static final Path DEMO_CONFIG = Path.of("examples", "demo.yaml");

    private DemoCommand() {}

    static int run(Args args) throws Exception {
        args.allow(List.of("port", "nodes", "config"));
        int port = args.integer("port", 8080);
        int nodes = args.integer("nodes", 1);
        if (nodes < 1 || nodes > 9) {
            throw new Args.UsageException("--nodes must be between 1 and 9, was " + nodes);
        }
        Path configFile = Path.of(args.get("config", DEMO_CONFIG.toString()));
        if (!Files.exists(configFile)) {
            throw new Args.UsageException("cannot find " + configFile + "; run ./crossbar from the repository root");
        }
        Vertx mockVertx = Vertx.vertx();
        MockProviders mock = MockProviders.start(
                        mockVertx,
                        MockConfig.of(MockConfig.defaultKeys().toArray(MockKey[]::new))
                                .withPort(0))
                .await(30, TimeUnit.SECONDS);
        String mockUrl = "http://127.0.0.1:" + mock.port();
        GatewayConfig loaded =
                new ConfigLoader(name -> "MOCK_BASE_URL".equals(name) ? mockUrl : System.getenv(name)).load(configFile);
        // A name of its own per run, so a demo never meets another install's (or an earlier demo's) members.
        String clusterName =
                loaded.cluster().name() + "-" + UUID.randomUUID().toString().substring(0, 8);
        LocalPostgres postgres = null;
        if (loaded.database() == null) {
            System.out.println("Starting PostgreSQL for the usage records (from a Maven artifact; the first start"
                    + " unpacks it)...");
            postgres = LocalPostgres.startNew();
            LocalPostgres started = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "crossbar-demo-postgres"));
            loaded =
                    loaded.withDatabase(new DatabaseConfig(postgres.url(), LocalPostgres.USER, null, null, null, null));
        }
        GatewayConfig base = loaded.withCluster(loaded.cluster()
                .withMember(
                        clusterName,
                        loaded.cluster().host(),
                        loaded.cluster().port(),
                        loaded.cluster().members()));
        if (nodes > 1) {
            return runProcesses(
                    configFile, base, port, nodes, mockVertx, mockUrl, postgres == null ? null : postgres.url());
        }
        GatewayNode node = RunCommand.start(base.withNode(base.node().withPort(port)));
        printWelcome(base, port, "1 node on http://127.0.0.1:" + port, mockUrl);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> mockVertx.close(), "crossbar-demo-mock"));
        RunCommand.awaitShutdown(node);
        return 0;
    }

    /**
     * N node processes (one Hazelcast cluster over TCP-IP on loopback) behind nginx on {@code port}, the
     * nodes on the ports above it. Without nginx the nodes take {@code port} and up, and the demo says so.
     */
    private static int runProcesses(
            Path configFile,
            GatewayConfig base,
            int port,
            int nodes,
            Vertx mockVertx,
            String mockUrl,
            String databaseUrl)
            throws Exception {
        Optional<Path> nginx = NginxProcess.find();
        LocalCluster.Layout consecutive =
                LocalCluster.Layout.consecutive(port, nodes, base.cluster().port());
        List<Integer> nodePorts = consecutive.nodePorts();
        if (nginx.isEmpty()) {
            nodePorts = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                nodePorts.add(port + i);
            }
        }
        LocalCluster.Layout layout = new LocalCluster.Layout(
                consecutive.host(),
                port,
                nodePorts,
                consecutive.memberPorts(),
                base.cluster().name());
        Path dir = Path.of(".crossbar", "demo-cluster").toAbsolutePath();
        if (NginxProcess.stopLeftover(dir)) {
            System.out.println("Stopped the nginx an earlier demo left running.");
        }
        checkFree(layout, nginx.isPresent());
        Files.createDirectories(dir);
        List<Path> configs = LocalCluster.writeNodeConfigs(
                configFile,
                layout,
                dir,
                name -> "MOCK_BASE_URL".equals(name) ? mockUrl : System.getenv(name),
                databaseUrl);
        NodeCluster cluster = NodeCluster.of(layout, configs, dir, List.of(), Map.of("MOCK_BASE_URL", mockUrl));
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stopping.set(true);
                            System.out.println("\nStopping: nginx, then " + nodes
                                    + " nodes (each drains, returns its leases, leaves)...");
                            cluster.stop(base.node().drainTimeout().plusSeconds(15));
                            mockVertx.close();
                        },
                        "crossbar-demo-stop"));
        System.out.println("Starting " + nodes + " node processes (logs: "
                + Path.of("").toAbsolutePath().relativize(dir) + "/node-*.log)...");
        try {
            cluster.start(Duration.ofMinutes(3));
            if (nginx.isPresent()) {
                cluster.startBalancer(nginx.get(), Duration.ofSeconds(20));
            }
        } catch (IllegalStateException e) {
            System.err.println("crossbar: the demo cluster did not start: " + e.getMessage());
            return 1;
        }
        String where;
        if (nginx.isPresent()) {
            where = nodes + " node processes in one cluster behind nginx on http://127.0.0.1:" + port + " (nodes on "
                    + layout.nodePorts().get(0) + "-" + layout.nodePorts().get(nodes - 1) + ")";
        } else {
            System.out.println();
            System.out.println(
                    "NOTE: nginx is not installed (./crossbar tries 'apt-get install nginx'; install it by hand to"
                            + " get one port in front). No load balancer: each node serves on its own port.");
            where = nodes + " node processes in one cluster on " + layout.nodeUrl(0) + " to "
                    + layout.nodeUrl(nodes - 1);
        }
        printWelcome(base, port, where, mockUrl);
        watch(cluster, stopping);
        return 0;
    }

    /** Says so when a child dies under the demo (the others keep serving), until Ctrl-C. */
    private static void watch(NodeCluster cluster, AtomicBoolean stopping) throws InterruptedException {
        List<NodeProcess> processes = cluster.nodes();
        boolean[] reported = new boolean[processes.size() + 1];
        while (true) {
            Thread.sleep(1_000);
            if (stopping.get()) {
                continue;
            }
            for (int i = 0; i < processes.size(); i++) {
                if (!processes.get(i).alive() && !reported[i]) {
                    reported[i] = true;
                    System.out.println("crossbar: " + processes.get(i).name() + " exited; see "
                            + processes.get(i).log());
                }
            }
            NginxProcess n = cluster.balancer();
            if (n != null && !n.alive() && !reported[processes.size()]) {
                reported[processes.size()] = true;
                System.out.println("crossbar: nginx exited; see .crossbar/demo-cluster/nginx-error.log");
            }
        }
    }

    /** Refuses to start over a busy port, naming it (an earlier demo still running is the usual cause). */
    private static void checkFree(LocalCluster.Layout layout, boolean withBalancer) {
        List<Integer> ports = new ArrayList<>(layout.nodePorts());
        ports.addAll(layout.memberPorts());
        if (withBalancer) {
            ports.add(0, layout.balancerPort());
        }
        for (int p : ports) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(layout.host(), p));
            } catch (IOException busy) {
                throw new Args.UsageException("port " + p + " on " + layout.host() + " is in use (is another demo or "
                        + "cluster running? deploy/local/cluster.sh stop); choose another with --port");
            }
        }
    }

    private static void printWelcome(GatewayConfig config, int port, String where, String mockUrl) {
        String url = "http://127.0.0.1:" + port;
        String key = config.clientKeys().get(0).key();
        String admin = config.admin().token();
        System.out.println();
        System.out.println("Crossbar demo is up: " + where + ", mock providers on " + mockUrl);
        System.out.println();
        System.out.println("  Base URL     " + url + "/v1");
        System.out.println("  Client key   " + key);
        System.out.println("  Models       demo-openai, demo-openai-responses, demo-anthropic, demo-gemini");
        System.out.println("  Dashboard    " + url + "/admin   (admin token: " + admin + ")");
        System.out.println("  Metrics      " + url + "/metrics");
        if (config.database() != null) {
            System.out.println("  Usage        ./crossbar usage --token " + admin + "   (records in "
                    + config.database().url() + ")");
        }
        System.out.println();
        System.out.println("Try it:");
        System.out.println("  curl " + url + "/v1/chat/completions -H 'Authorization: Bearer " + key + "' \\");
        System.out.println("    -H 'Content-Type: application/json' \\");
        System.out.println(
                "    -d '{\"model\":\"demo-openai\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}'");
        System.out.println();
        System.out.println("Streamed: add \"stream\":true to the body and -N to curl. Press Ctrl-C to stop.");
    }
}
