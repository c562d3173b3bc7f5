package dev.crossbar.launcher;

import dev.crossbar.gateway.cli.Args;
import dev.crossbar.gateway.cli.RunCommand;
import dev.crossbar.gateway.config.ClusterConfig;
import dev.crossbar.gateway.config.ConfigLoader;
import dev.crossbar.gateway.config.GatewayConfig;
import dev.crossbar.gateway.node.GatewayNode;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import dev.crossbar.mock.MockProviders;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code crossbar demo}: the mock providers and N gateway nodes (one Hazelcast cluster) on 127.0.0.1,
 * configured by examples/demo.yaml, until Ctrl-C.
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
        MockProviders mock = MockProviders.start(mockVertx, MockConfig.of(MockConfig.defaultKeys().toArray(MockKey[]::new))
                .withPort(0)).await(30, TimeUnit.SECONDS);
        String mockUrl = "http://127.0.0.1:" + mock.port();
        GatewayConfig base = new ConfigLoader(name -> "MOCK_BASE_URL".equals(name) ? mockUrl : System.getenv(name))
                .load(configFile);
        List<String> members = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            members.add(base.cluster().host() + ":" + (base.cluster().port() + i));
        }
        List<GatewayNode> started = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            GatewayConfig config = base.withNode(base.node().withPort(port + i))
                    .withCluster(new ClusterConfig(base.cluster().name(),
                            base.cluster().host(), base.cluster().port() + i, nodes > 1 ? members : List.of(),
                            null, base.cluster().lease(), base.cluster().reclaimGrace()));
            started.add(RunCommand.start(config));
        }
        printWelcome(base, port, nodes, mockUrl);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> mockVertx.close(), "crossbar-demo-mock"));
        RunCommand.awaitShutdown(started.toArray(GatewayNode[]::new));
        return 0;
    }

    private static void printWelcome(GatewayConfig config, int port, int nodes, String mockUrl) {
        String url = "http://127.0.0.1:" + port;
        String key = config.clientKeys().get(0).key();
        String admin = config.admin().token();
        System.out.println();
        System.out.println("Crossbar demo is up: " + nodes + " node" + (nodes > 1 ? "s" : "") + " on " + url
                + (nodes > 1 ? " to http://127.0.0.1:" + (port + nodes - 1) : "") + ", mock providers on " + mockUrl);
        System.out.println();
        System.out.println("  Base URL     " + url + "/v1");
        System.out.println("  Client key   " + key);
        System.out.println("  Models       demo-openai, demo-anthropic, demo-gemini");
        System.out.println("  Dashboard    " + url + "/admin   (admin token: " + admin + ")");
        System.out.println("  Metrics      " + url + "/metrics");
        System.out.println();
        System.out.println("Try it:");
        System.out.println("  curl " + url + "/v1/chat/completions -H 'Authorization: Bearer " + key + "' \\");
        System.out.println("    -H 'Content-Type: application/json' \\");
        System.out.println("    -d '{\"model\":\"demo-openai\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}'");
        System.out.println();
        System.out.println("Streamed: add \"stream\":true to the body and -N to curl. Press Ctrl-C to stop.");
    }
}
