package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.gateway.config.AdminConfig;
import dev.crossbar.gateway.config.BudgetConfig;
import dev.crossbar.gateway.config.ClientKeyConfig;
import dev.crossbar.gateway.config.DatabaseConfig;
import dev.crossbar.gateway.config.GatewayConfig;
import dev.crossbar.gateway.config.ModelConfig;
import dev.crossbar.gateway.config.ModelPriceConfig;
import dev.crossbar.gateway.config.ProviderConfig;
import dev.crossbar.gateway.config.TeamConfig;
import dev.crossbar.launcher.LocalCluster;
import dev.crossbar.launcher.LocalPostgres;
import dev.crossbar.launcher.NodeProcess;
import dev.crossbar.launcher.Ports;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import dev.crossbar.mock.MockProviders;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A full restart with a usage database (issue 16 point 6): two node processes spend part of a team's daily budget
 * and a client key's monthly one, recording every call in a real PostgreSQL; the whole cluster stops; a fresh node
 * with the same database, alone in a new cluster, restores each period's spend from the records before it serves.
 * The proof is a call that a fresh budget would take but the remainder cannot: refused with the 429 that names the
 * budget, while a call that fits the remainder still goes.
 */
class BudgetRestoreIT {

    private static final int NODES = 2;
    private static final String KEY = "budget-restore-client-01";
    /**
     * A client key with a monthly $50 budget in team red with a daily $1 one, one model on the mock priced at
     * $1000 per million tokens, input and output alike (a token costs a tenth of a cent), and the database.
     */
    private static GatewayConfig config(String mockUrl, String databaseUrl) {
        BigDecimal perMillion = BigDecimal.valueOf(1_000);
        ProviderConfig provider = ProviderConfig.of(
                "mock-openai", "openai", mockUrl + "/v1", List.of(TestConfig.key("k1", "sk-restore")));
        ClientKeyConfig app = new ClientKeyConfig(
                "app", KEY, null, null, "red", new BudgetConfig(BigDecimal.valueOf(50), "month"), null, null);
        return new GatewayConfig(
                        null,
                        null,
                        new AdminConfig(AdminClient.TOKEN),
                        List.of(app),
                        List.of(provider),
                        List.of(new ModelConfig(
                                "restore-model",
                                null,
                                List.of(new ModelConfig.TargetConfig("mock-openai", "gpt-restore", null)),
                                null)),
                        null,
                        List.of(new ModelPriceConfig(
                                "mock-openai",
                                "gpt-restore",
                                perMillion,
                                null,
                                null,
                                null,
                                perMillion,
                                null,
                                null,
                                null)),
                        null,
                        null,
                        Map.of("red", new TeamConfig(new BudgetConfig(BigDecimal.ONE, "day"), null)))
                .withDatabase(new DatabaseConfig(databaseUrl, LocalPostgres.USER, null, null, null, null));
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void shouldRestoreThePeriodsSpendFromTheDatabaseAfterTheWholeClusterStopped() throws Exception {
        Path dir = Path.of("target", "budget-restore").toAbsolutePath();
        Files.createDirectories(dir);
        Vertx mockVertx = Vertx.vertx();
        List<NodeProcess> nodes = new ArrayList<>();
        try (LocalPostgres postgres = LocalPostgres.startNew()) {
            MockProviders mock = MockProviders.start(
                            mockVertx, MockConfig.of(MockKey.unlimited("sk-restore", "openai")))
                    .await(30, TimeUnit.SECONDS);
            String mockUrl = "http://127.0.0.1:" + mock.port();
            GatewayConfig config = config(mockUrl, postgres.url());

            List<String> first = cluster(dir, "first", config, NODES, nodes);
            // About $0.08 a call (some 45 input tokens and 40 output): spend some $0.6 of the team's $1.
            for (int i = 0; spent(first.get(0)).get("team:red").compareTo(new BigDecimal("0.6")) < 0; i++) {
                assertTrue(i < 60, "the calls spend: " + spent(first.get(0)));
                Http.Reply r = chat(first.get(i % NODES), "call " + i + " spends" + " more".repeat(35), 40);
                assertEquals(200, r.status(), r.body());
            }
            // A call settles after its answer, and a node's view follows the ledger: wait until both budgets
            // (which every call charges alike) show every call settled.
            AdminClient.eventually(Duration.ofSeconds(10), "every call settled", () -> {
                Map<String, BigDecimal> now = spent(first.get(0));
                return reserved(first.get(0)).signum() == 0
                        && now.get("client:app").compareTo(now.get("team:red")) == 0;
            });
            Map<String, BigDecimal> before = spent(first.get(0));
            log("spent before the stop: %s", before);
            for (NodeProcess n : nodes) {
                n.stop(Duration.ofSeconds(45));
            }
            // Every record was written by the graceful stops: the database knows what the cluster counted.
            assertEquals(0, before.get("team:red").compareTo(recorded(postgres, "team", "red")), "team red's records");
            assertEquals(0, before.get("client:app").compareTo(recorded(postgres, "client_key", "app")));

            nodes.clear();
            String fresh = cluster(dir, "fresh", config, 1, nodes).get(0);
            Map<String, BigDecimal> after = spent(fresh);
            assertEquals(0, before.get("team:red").compareTo(after.get("team:red")), "restored " + after);
            assertEquals(0, before.get("client:app").compareTo(after.get("client:app")), "restored " + after);
            assertTrue(
                    Files.readString(nodes.get(0).log()).contains("restored the day spend of"),
                    "the fresh node says it restored the spend");

            // 500 output tokens: up to $0.5 and more, which a fresh $1 budget takes but the $0.4 left does not.
            Http.Reply refused = chat(fresh, "one more after the restart", 500);
            assertEquals(429, refused.status(), refused.body());
            String message = refused.json().path("error").path("message").asText();
            assertTrue(message.contains("budget of team 'red'") && message.contains("resets at"), message);
            assertTrue(Long.parseLong(refused.header("retry-after")) > 0, "Retry-After until the reset");
            Http.Reply fits = chat(fresh, "a small one", 40);
            assertEquals(200, fits.status(), "a call that fits the remainder goes: " + fits.body());
            log("after the restart: %s refused: %s", spent(fresh), message);
        } finally {
            for (NodeProcess n : nodes) {
                if (n.alive()) {
                    n.kill();
                }
            }
            mockVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** Starts {@code size} node processes as a new cluster on the database; their URLs. */
    private static List<String> cluster(Path dir, String name, GatewayConfig config, int size, List<NodeProcess> nodes)
            throws Exception {
        int nodeBase = Ports.freeRun(size);
        int memberBase = Ports.freeRun(size);
        List<Integer> nodePorts = new ArrayList<>();
        List<Integer> memberPorts = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            nodePorts.add(nodeBase + i);
            memberPorts.add(memberBase + i);
        }
        LocalCluster.Layout layout = new LocalCluster.Layout(
                "127.0.0.1", Ports.free(), nodePorts, memberPorts, "crossbar-restore-" + UUID.randomUUID());
        Path configs = dir.resolve(name);
        Files.createDirectories(configs);
        List<Path> paths = LocalCluster.writeNodeConfigs(config, layout, configs);
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Path log = configs.resolve("node-" + (i + 1) + ".log");
            Files.deleteIfExists(log);
            NodeProcess n = new NodeProcess(
                    name + " node " + (i + 1), paths.get(i), layout.nodeUrl(i), log, List.of("-Xmx256m"), Map.of());
            nodes.add(n);
            n.start();
            urls.add(layout.nodeUrl(i));
        }
        for (NodeProcess n : nodes) {
            n.awaitReady(size, Duration.ofMinutes(2));
        }
        return urls;
    }

    private static Http.Reply chat(String url, String prompt, int maxTokens) throws Exception {
        return Http.post(
                url + "/v1/chat/completions",
                "{\"model\":\"restore-model\",\"max_tokens\":" + maxTokens
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}",
                Http.bearer(KEY));
    }

    private static Map<String, BigDecimal> spent(String url) throws Exception {
        Http.Reply r = Http.get(url + "/admin/api/budgets", "authorization", "Bearer " + AdminClient.TOKEN);
        assertEquals(200, r.status(), r.body());
        Map<String, BigDecimal> spent = new HashMap<>();
        for (JsonNode b : r.json().path("budgets")) {
            spent.put(b.path("subject").asText(), b.path("spent").decimalValue());
        }
        return spent;
    }

    private static BigDecimal reserved(String url) throws Exception {
        Http.Reply r = Http.get(url + "/admin/api/budgets", "authorization", "Bearer " + AdminClient.TOKEN);
        BigDecimal reserved = BigDecimal.ZERO;
        for (JsonNode b : r.json().path("budgets")) {
            reserved = reserved.add(b.path("reserved").decimalValue());
        }
        return reserved;
    }

    /** The cost of the records of a client key or team, straight from the database. */
    private static BigDecimal recorded(LocalPostgres postgres, String column, String value) throws Exception {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), LocalPostgres.USER, "");
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT COALESCE(SUM(cost_usd), 0) FROM usage_records WHERE " + column
                        + " = '" + value + "'")) {
            rows.next();
            return rows.getBigDecimal(1);
        }
    }

    private static void log(String format, Object... args) {
        System.out.printf("[BudgetRestoreIT] " + format + "%n", args);
    }
}
