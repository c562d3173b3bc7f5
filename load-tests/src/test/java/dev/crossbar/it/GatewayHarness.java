package dev.crossbar.it;

import dev.crossbar.cluster.seal.ClusterKey;
import dev.crossbar.gateway.cli.RunCommand;
import dev.crossbar.gateway.config.ClusterConfig;
import dev.crossbar.gateway.config.ConfigLoader;
import dev.crossbar.gateway.config.GatewayConfig;
import dev.crossbar.gateway.config.NodeConfig;
import dev.crossbar.gateway.node.GatewayNode;
import dev.crossbar.launcher.Ports;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import dev.crossbar.mock.MockProviders;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Real mock providers and real gateway nodes (each with its Hazelcast member) on 127.0.0.1, for
 * integration tests, on a node config built for the mock's base URL (see {@link TestConfig}).
 */
public final class GatewayHarness implements AutoCloseable {

    public static final String CLIENT_KEY = "test-client-key";

    private final Vertx mockVertx = Vertx.vertx();
    private final MockProviders mock;
    private final List<GatewayNode> nodes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private final GatewayConfig base;
    private final List<String> members = new ArrayList<>();
    private final int memberBase;

    /**
     * Starts the mock and {@code nodeCount} nodes on {@code config} (given the mock's base URL), usually a
     * {@link TestConfig}. A node's drain notice left at its default is zero: tests stop nodes all the time.
     */
    public GatewayHarness(MockConfig mockConfig, Function<String, GatewayConfig> config, int nodeCount)
            throws Exception {
        mock = MockProviders.start(mockVertx, mockConfig.withPort(0)).await(30, TimeUnit.SECONDS);
        GatewayConfig parsed = config.apply("http://127.0.0.1:" + mock.port());
        memberBase = Ports.freeRun(nodeCount + 4);
        for (int i = 0; i < nodeCount + 4; i++) {
            members.add("127.0.0.1:" + (memberBase + i));
        }
        if (parsed.node().drainNotice().equals(NodeConfig.DEFAULT_DRAIN_NOTICE)) {
            parsed = parsed.withNode(parsed.node().withDrainNotice(Duration.ZERO));
        }
        ClusterConfig cluster =
                parsed.cluster().key() == null ? parsed.cluster().withKey(ClusterKey.generateText()) : parsed.cluster();
        base = parsed.withCluster(
                cluster.withMember("crossbar-it-" + UUID.randomUUID(), "127.0.0.1", memberBase, members));
        for (int i = 0; i < nodeCount; i++) {
            startNode();
        }
    }

    /** Starts one more node in the same cluster; returns its index. */
    public int startNode() throws Exception {
        int index = nodes.size();
        for (int attempt = 1; ; attempt++) {
            // A port found free can be taken by another process before the node binds it: try another.
            int port = Ports.free();
            GatewayConfig config = base.withNode(base.node().withPort(port))
                    .withCluster(
                            base.cluster().withMember(base.cluster().name(), "127.0.0.1", memberBase + index, members));
            try {
                nodes.add(RunCommand.start(config));
                ports.add(port);
                return index;
            } catch (Exception e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    public MockProviders mock() {
        return mock;
    }

    public GatewayNode node(int index) {
        return nodes.get(index);
    }

    public int nodeCount() {
        return nodes.size();
    }

    public String url(int node) {
        return "http://127.0.0.1:" + ports.get(node);
    }

    public String url() {
        return url(0);
    }

    @Override
    public void close() throws TimeoutException {
        for (GatewayNode node : nodes) {
            try {
                node.stop().await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // already stopped or killed
            }
        }
        mockVertx.close().await(10, TimeUnit.SECONDS);
    }

    /**
     * The demo: examples/demo.yaml unchanged, read as a node reads it with {@code MOCK_BASE_URL} set to the mock's
     * base URL, and the mock's default keys; node and cluster ports are ephemeral.
     */
    public static GatewayHarness demo(int nodeCount) throws Exception {
        String demo = Files.readString(repositoryFile("examples/demo.yaml"));
        return new GatewayHarness(
                MockConfig.of(MockConfig.defaultKeys().toArray(MockKey[]::new)),
                mockUrl -> new ConfigLoader(name -> "MOCK_BASE_URL".equals(name) ? mockUrl : null).parse(demo),
                nodeCount);
    }

    /** A file of the repository, whether tests run from the module directory or the root. */
    public static Path repositoryFile(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "cannot find " + relative + " above " + Path.of("").toAbsolutePath());
    }
}
