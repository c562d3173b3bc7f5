package dev.crossbar.it;

import dev.crossbar.cluster.seal.ClusterKey;
import dev.crossbar.gateway.cli.RunCommand;
import dev.crossbar.gateway.config.AdminConfig;
import dev.crossbar.gateway.config.ClientKeyConfig;
import dev.crossbar.gateway.config.ClusterConfig;
import dev.crossbar.gateway.config.ConfigLoader;
import dev.crossbar.gateway.config.DurationText;
import dev.crossbar.gateway.config.GatewayConfig;
import dev.crossbar.gateway.config.ModelConfig;
import dev.crossbar.gateway.config.ProviderConfig;
import dev.crossbar.gateway.config.ProviderKeyConfig;
import dev.crossbar.gateway.config.RoutingConfig;
import dev.crossbar.gateway.node.GatewayNode;
import dev.crossbar.launcher.Ports;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import dev.crossbar.mock.MockProviders;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Real mock providers and real gateway nodes (each with its Hazelcast member) on 127.0.0.1, for
 * integration tests. The config is YAML with {@code MOCK} (or the demo's {@code MOCK_BASE_URL})
 * standing for the mock's base URL.
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

    public GatewayHarness(MockConfig mockConfig, String configYaml, int nodeCount) throws Exception {
        mock = MockProviders.start(mockVertx, mockConfig.withPort(0)).await(30, TimeUnit.SECONDS);
        String mockUrl = "http://127.0.0.1:" + mock.port();
        GatewayConfig parsed = new ConfigLoader(
                        name -> "MOCK".equals(name) || "MOCK_BASE_URL".equals(name) ? mockUrl : null)
                .parse(configYaml);
        memberBase = Ports.freeRun(nodeCount + 4);
        for (int i = 0; i < nodeCount + 4; i++) {
            members.add("127.0.0.1:" + (memberBase + i));
        }
        if (!configYaml.contains("drainNotice")) {
            // Tests stop nodes all the time: no drain notice unless the test is about it.
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

    /** The demo: examples/demo.yaml unchanged, with the mock's default keys; node and cluster ports are ephemeral. */
    public static GatewayHarness demo(int nodeCount) throws Exception {
        return new GatewayHarness(
                MockConfig.of(MockConfig.defaultKeys().toArray(MockKey[]::new)), demoConfig(), nodeCount);
    }

    /** The text of examples/demo.yaml, found from the module or the repository root. */
    public static String demoConfig() throws IOException {
        return Files.readString(repositoryFile("examples/demo.yaml"));
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

    /**
     * {@link #openAiConfig}'s config as records, for node processes (written by {@code LocalCluster}): the mock's
     * OpenAI side at {@code mockUrl}, the given client keys (the first usually {@link #testClientKey}), admin token
     * {@code test-admin-token}, one model {@code test-model}, and the routing's queue timeout.
     */
    public static GatewayConfig openAi(
            String mockUrl, Duration queueTimeout, List<ClientKeyConfig> clientKeys, String... keys) {
        List<ProviderKeyConfig> providerKeys = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            String[] f = keys[i].split(":", -1);
            providerKeys.add(new ProviderKeyConfig(
                    "key-" + (i + 1),
                    f[0],
                    f.length > 1 ? Long.valueOf(f[1]) : null,
                    f.length > 2 ? Long.valueOf(f[2]) : null,
                    f.length > 3 ? Integer.valueOf(f[3]) : null,
                    f.length > 4 ? DurationText.parse(f[4]) : null,
                    null,
                    null,
                    null,
                    null));
        }
        ProviderConfig provider = new ProviderConfig(
                "mock-openai",
                "openai",
                mockUrl + "/v1",
                providerKeys,
                Duration.ofSeconds(5),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        ModelConfig model = new ModelConfig(
                "test-model", null, List.of(new ModelConfig.TargetConfig("mock-openai", "gpt-test", null)), null);
        return new GatewayConfig(
                null,
                null,
                new AdminConfig("test-admin-token"),
                clientKeys,
                List.of(provider),
                List.of(model),
                new RoutingConfig(null, null, null, queueTimeout, null, null, null));
    }

    /** The client key {@link #CLIENT_KEY}, named {@code test}, with no limits. */
    public static ClientKeyConfig testClientKey() {
        return new ClientKeyConfig("test", CLIENT_KEY, null, null);
    }

    /** A one-model config on the mock's OpenAI side with the given keys ("secret:requests:tokens:concurrent"). */
    public static String openAiConfig(String... keys) {
        StringBuilder yaml = new StringBuilder("""
                clientKeys:
                  - { name: test, key: %s }
                admin:
                  token: test-admin-token
                providers:
                  - id: mock-openai
                    type: openai
                    baseUrl: ${MOCK}/v1
                    timeout: 5s
                    keys:
                """.formatted(CLIENT_KEY));
        for (int i = 0; i < keys.length; i++) {
            String[] f = keys[i].split(":", -1);
            yaml.append("      - { id: key-").append(i + 1).append(", secret: ").append(f[0]);
            if (f.length > 1) {
                yaml.append(", requests: ").append(f[1]);
            }
            if (f.length > 2) {
                yaml.append(", tokens: ").append(f[2]);
            }
            if (f.length > 3) {
                yaml.append(", concurrent: ").append(f[3]);
            }
            if (f.length > 4) {
                yaml.append(", window: ").append(f[4]);
            }
            yaml.append(" }\n");
        }
        yaml.append("""
                models:
                  - name: test-model
                    targets: [ { provider: mock-openai, model: gpt-test } ]
                routing:
                  queueTimeout: 3s
                """);
        return yaml.toString();
    }
}
