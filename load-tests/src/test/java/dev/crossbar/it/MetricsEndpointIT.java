package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.gateway.config.ModelConfig;
import dev.crossbar.gateway.config.PriceConfig;
import dev.crossbar.gateway.config.TeamConfig;
import dev.crossbar.launcher.Ports;
import dev.crossbar.mock.FaultPlan;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** /metrics after real requests (main port and management port), the access log, and health on both ports. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsEndpointIT {

    private static final String SECRET_ONE = "sk-metrics-one-0123456789";
    private static final String SECRET_TWO = "sk-metrics-two-0123456789";
    private static final String HELLO = """
            {"model":"test-model","messages":[{"role":"user","content":"hello there"}]}""";

    private GatewayHarness gateway;
    private int managementPort;
    private int successes;
    private Level accessLevelBefore;
    private boolean accessAdditiveBefore;
    private final ListAppender<ILoggingEvent> access = new ListAppender<>();

    @BeforeAll
    void start() throws Exception {
        managementPort = Ports.free();
        TestConfig config = TestConfig.openAi(SECRET_ONE + ":600:100000:10", SECRET_TWO + ":600:100000:10")
                .managementPort(managementPort);
        gateway = new GatewayHarness(
                MockConfig.of(MockKey.unlimited(SECRET_ONE, "openai"), MockKey.unlimited(SECRET_TWO, "openai")),
                config,
                1);
        access.start();
        Logger accessLog = (Logger) LoggerFactory.getLogger("crossbar.access");
        accessLevelBefore = accessLog.getLevel();
        accessAdditiveBefore = accessLog.isAdditive();
        accessLog.addAppender(access);
        accessLog.setLevel(Level.INFO);
        accessLog.setAdditive(false);
        String auth = GatewayHarness.CLIENT_KEY;
        for (int i = 0; i < 3; i++) {
            assertEquals(
                    200,
                    post11(gateway.url() + "/v1/chat/completions", HELLO, Http.bearer(auth))
                            .status());
        }
        String stream = """
                {"model":"test-model","stream":true,"messages":[{"role":"user","content":"one two"}]}""";
        assertEquals(
                200,
                post11(gateway.url() + "/v1/chat/completions", stream, Http.bearer(auth))
                        .status());
        assertEquals(
                404,
                post11(gateway.url() + "/v1/chat/completions", HELLO.replace("test-model", "nope"), Http.bearer(auth))
                        .status());
        successes = 4;
        // One key answers 429 so a request retries on the other.
        gateway.mock()
                .setKeyFaults(
                        SECRET_ONE, FaultPlan.builder().rateLimitShare(1.0).build());
        while (gateway.mock().stats().keys().get(SECRET_ONE).injectedFaults() == 0 && successes < 20) {
            assertEquals(
                    200,
                    post11(gateway.url() + "/v1/chat/completions", HELLO, Http.bearer(auth))
                            .status());
            successes++;
        }
        assertTrue(
                gateway.mock().stats().keys().get(SECRET_ONE).injectedFaults() > 0,
                "a request met the 429 and was retried, answered 200");
        gateway.mock().setKeyFaults(SECRET_ONE, null);
    }

    @AfterAll
    void stop() throws Exception {
        Logger accessLog = (Logger) LoggerFactory.getLogger("crossbar.access");
        accessLog.detachAppender(access);
        accessLog.setLevel(accessLevelBefore);
        accessLog.setAdditive(accessAdditiveBefore);
        gateway.close();
    }

    @Test
    void shouldExposeRequestTokenLatencyAndRetrySeries() throws Exception {
        Http.Reply r = Http.get(management() + "/metrics");
        assertEquals(200, r.status());
        assertTrue(r.header("content-type").startsWith("text/plain"), r.header("content-type"));
        String text = r.body();
        assertEquals(
                successes,
                value(
                        text,
                        "crossbar_requests_total",
                        "model=\"test-model\"",
                        "outcome=\"success\"",
                        "protocol=\"openai-chat\"",
                        "provider=\"mock-openai\""),
                0.0);
        assertEquals(1, value(text, "crossbar_requests_total", "model=\"none\"", "outcome=\"client_error\""), 0.0);
        assertTrue(value(text, "crossbar_tokens_total", "direction=\"in\"", "provider=\"mock-openai\"") > 0);
        assertTrue(value(text, "crossbar_tokens_total", "direction=\"out\"", "provider=\"mock-openai\"") > 0);
        assertTrue(value(text, "crossbar_retries_total", "provider=\"mock-openai\"", "reason=\"rate_limited\"") >= 1);
        assertEquals(
                successes, value(text, "crossbar_upstream_first_byte_seconds_count", "provider=\"mock-openai\""), 0.0);
        assertEquals(
                successes, value(text, "crossbar_upstream_duration_seconds_count", "provider=\"mock-openai\""), 0.0);
        assertEquals(
                successes,
                value(text, "crossbar_added_latency_seconds_bucket", "provider=\"mock-openai\"", "le=\"+Inf\""),
                0.0);
        assertEquals(
                successes,
                value(text, "crossbar_request_duration_seconds_bucket", "le=\"+Inf\"", "provider=\"mock-openai\""),
                0.0);
        assertTrue(text.contains("# TYPE crossbar_added_latency_seconds histogram"));
    }

    @Test
    void shouldExposeKeyGaugesAndNodeGauges() throws Exception {
        String text = Http.get(management() + "/metrics").body();
        double utilisation = value(text, "crossbar_key_utilisation_ratio", "key=\"key-1\"", "provider=\"mock-openai\"");
        assertTrue(utilisation >= 0 && utilisation <= 1, "utilisation " + utilisation);
        double stateSum = 0;
        for (String state : new String[] {"active", "cooling_down", "disabled", "probing"}) {
            stateSum += value(text, "crossbar_key_state", "key=\"key-2\"", "state=\"" + state + "\"");
        }
        assertEquals(1, stateSum, 0.0, "exactly one state per key");
        assertTrue(text.contains("crossbar_key_in_flight{"));
        assertEquals(1, value(text, "crossbar_cluster_members"), 0.0);
        assertTrue(value(text, "crossbar_cluster_round_trips_total") >= 1, "registering the keys took round trips");
        assertEquals(0, value(text, "crossbar_node_in_flight"), 0.0);
        assertTrue(text.contains("crossbar_build_info{"));
    }

    @Test
    void shouldExposeVertxAndJvmMetricsWithBoundedLabels() throws Exception {
        String text = Http.get(management() + "/metrics").body();
        assertTrue(text.contains("\nvertx_http_server_active_connections"), "Vert.x HTTP server connection metrics");
        assertTrue(value(text, "crossbar_http_responses_total", "code=\"200\"") >= 1, "responses by status code");
        assertFalse(text.contains("vertx_http_server_requests_total"), "no per-request Vert.x server meters");
        assertTrue(
                value(text, "crossbar_upstream_connections") >= 1,
                "the node's own connections to its plain-HTTP provider (the mock)");
        assertTrue(text.contains("pool_type=\"worker\""), "worker pool metrics (the dashboard charts them)");
        assertFalse(text.contains("pool_type=\"http\""), "no per-call metrics of the upstream connection pools");
        assertTrue(text.contains("jvm_memory_used_bytes{"), "JVM metrics");
        assertTrue(text.contains("jvm_gc_"), "GC metrics");
        assertTrue(text.contains("process_cpu_usage"));
        assertFalse(text.contains("path=\""), "no per-path labels");
        assertFalse(text.contains("route=\""), "no per-route labels");
        assertFalse(text.contains("remote=\""), "no per-address labels");
        assertFalse(text.contains(SECRET_ONE) || text.contains(SECRET_TWO), "no secret in metrics");
    }

    @Test
    void shouldOnlyChartSeriesTheNodeExposesInTheGrafanaDashboard() throws Exception {
        Path dashboard = Path.of(System.getProperty("basedir", "."))
                .toAbsolutePath()
                .normalize()
                .resolveSibling("deploy")
                .resolve("grafana")
                .resolve("crossbar-dashboard.json");
        String json = Files.readString(dashboard);
        Http.JSON.readTree(json);
        String text = Http.get(management() + "/metrics").body();
        // Recorded only once they happen: this test's traffic need not fail over or queue, nor the JVM collect;
        // spend once a priced (or unpriced) request is answered; usage records only on a node with a database;
        // budgets' series only on a node with budgets.
        Set<String> eventOnly = Set.of(
                "crossbar_cost_usd_total",
                "crossbar_requests_unpriced_total",
                "crossbar_usage_records_buffered",
                "crossbar_usage_records_dropped_total",
                "crossbar_failovers_total",
                "crossbar_budget_overrun_calls_total",
                "crossbar_budget_overrun_usd_total",
                "crossbar_budget_limit_usd",
                "crossbar_budget_spent_usd",
                "crossbar_budget_reserved_usd",
                "crossbar_queue_rejections_total",
                "crossbar_queue_wait_seconds",
                "jvm_gc_pause_seconds",
                // Vert.x's client connects only to providers over TLS; the mock is plain HTTP.
                "vertx_http_client_active_connections");
        Matcher m = Pattern.compile("\\b((?:crossbar|vertx|jvm|process|system)_[a-z0-9_]+)")
                .matcher(json);
        Set<String> names = new TreeSet<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        assertTrue(names.size() > 15, names.toString());
        for (String name : names) {
            String base = name.replaceAll("_(bucket|sum|count)$", "");
            assertTrue(
                    eventOnly.contains(base)
                            || text.contains("\n" + name + "{")
                            || text.contains("\n" + name + " ")
                            || text.contains("# TYPE " + base + " "),
                    "the dashboard charts " + name + ", which /metrics lacks");
        }
    }

    /**
     * A call whose provider bills far more input than the call reserved (200,000 cache reads the request's bytes
     * could not foretell) overruns its client key's budget and its team's: both show it in /metrics by name, as
     * the admin API counts it, beside each budget's limit and spend.
     */
    @Test
    void shouldCountBudgetOverrunsByClientKeyAndTeam() throws Exception {
        int port = Ports.free();
        try (GatewayHarness budgeted =
                new GatewayHarness(MockConfig.of(MockKey.unlimited(SECRET_ONE, "openai")), budgetedConfig(port), 1)) {
            String dear = """
                    {"model":"priced-model","max_tokens":20,"messages":[{"role":"user",                    "content":"mock:usage cache_read=200000"}]}""";
            assertEquals(
                    200,
                    post11(budgeted.url() + "/v1/chat/completions", dear, Http.bearer(GatewayHarness.CLIENT_KEY))
                            .status());
            assertEquals(
                    200,
                    post11(
                                    budgeted.url() + "/v1/chat/completions",
                                    HELLO.replace("test-model", "priced-model"),
                                    Http.bearer(GatewayHarness.CLIENT_KEY))
                            .status());
            String base = "http://127.0.0.1:" + port;
            AdminClient admin = new AdminClient(base);
            AdminClient.eventually(Duration.ofSeconds(5), "both calls settled", () -> {
                JsonNode b = admin.get("/admin/api/budgets").json();
                return b.path("overruns").path("calls").asLong() == 1
                        && b.at("/budgets/0/reserved").decimalValue().signum() == 0
                        && b.at("/budgets/1/reserved").decimalValue().signum() == 0;
            });
            JsonNode budgets = admin.get("/admin/api/budgets").json();
            double overrunUsd = budgets.path("overruns").path("usd").asDouble();
            assertTrue(overrunUsd > 0.39, "200,000 cache reads at $2 per million: " + budgets);
            String text = Http.get(base + "/metrics").body();
            for (String[] budget : new String[][] {{"client_key", "capped", "5"}, {"team", "ops", "50"}}) {
                String kind = "kind=\"" + budget[0] + "\"";
                String name = "name=\"" + budget[1] + "\"";
                assertEquals(1, value(text, "crossbar_budget_overrun_calls_total", kind, name), 0.0);
                assertEquals(overrunUsd, value(text, "crossbar_budget_overrun_usd_total", kind, name), 1e-9);
                assertEquals(Double.parseDouble(budget[2]), value(text, "crossbar_budget_limit_usd", kind, name), 0.0);
                JsonNode standing = null;
                for (JsonNode b : budgets.path("budgets")) {
                    if (b.path("subject").asText().endsWith(":" + budget[1])) {
                        standing = b;
                    }
                }
                assertEquals(
                        standing.path("spent").asDouble(),
                        value(text, "crossbar_budget_spent_usd", kind, name),
                        1e-9,
                        standing.toString());
                assertEquals(0, value(text, "crossbar_budget_reserved_usd", kind, name), 0.0);
            }
            assertFalse(text.contains(GatewayHarness.CLIENT_KEY), "no client key's secret in the metrics");
        }
    }

    private String management() {
        return "http://127.0.0.1:" + managementPort;
    }

    @Test
    void shouldServeTheAdminSurfaceAndMetricsOnTheManagementPortOnly() throws Exception {
        String base = management();
        Http.Reply metrics = Http.get(base + "/metrics");
        assertEquals(200, metrics.status());
        assertTrue(metrics.body().contains("crossbar_requests_total{"));
        assertEquals(200, Http.get(base + "/health/live").status());
        Http.Reply ready = Http.get(base + "/health/ready");
        assertEquals(200, ready.status());
        assertEquals("UP", ready.json().path("status").asText());
        assertEquals(200, Http.get(base + "/admin").status(), "the dashboard");
        assertEquals(200, new AdminClient(base).get("/admin/api/keys").status(), "the admin API");
        assertEquals(
                404,
                Http.get(base + "/v1/models", Http.bearer(GatewayHarness.CLIENT_KEY))
                        .status(),
                "no client route on the management port");
        for (String path : List.of("/metrics", "/admin", "/admin/", "/admin/api/keys", "/admin/api/cluster")) {
            Http.Reply onClientPort = Http.get(gateway.url() + path, "authorization", "Bearer " + AdminClient.TOKEN);
            assertEquals(404, onClientPort.status(), path + " on the client port: " + onClientPort.body());
            assertFalse(onClientPort.body().contains("crossbar_"), onClientPort.body());
        }
        assertEquals(200, Http.get(gateway.url() + "/health/live").status());
        assertEquals(200, Http.get(gateway.url() + "/health/ready").status());
    }

    /**
     * Wrong admin tokens from one address: refused after a few, even the right one then, and logged once. Runs
     * last: it leaves 127.0.0.1 refused by the admin API for a minute.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void shouldRateLimitWrongAdminTokensPerAddressAndLogOncePerBurst() throws Exception {
        Logger log = (Logger) LoggerFactory.getLogger("dev.crossbar.gateway.admin.AdminApi");
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        log.addAppender(captured);
        try {
            AdminClient wrong = new AdminClient(management(), "not-the-admin-token");
            int unauthorised = 0;
            Http.Reply last = null;
            for (int i = 0; i < 30; i++) {
                last = wrong.get("/admin/api/keys");
                if (last.status() == 401) {
                    unauthorised++;
                } else {
                    break;
                }
            }
            assertEquals(10, unauthorised, "ten wrong tokens are answered, then the address is refused");
            assertEquals(429, last.status(), last.body());
            assertTrue(Long.parseLong(last.header("retry-after")) > 0);
            Http.Reply right = new AdminClient(management()).get("/admin/api/keys");
            assertEquals(429, right.status(), "a guess that finally hits is refused too while the address is held");
            long lines = captured.list.stream()
                    .filter(e -> e.getFormattedMessage().contains("wrong token"))
                    .count();
            assertEquals(2, lines, "the burst's start and the refusal, not one line per try: " + captured.list);
        } finally {
            log.detachAppender(captured);
        }
    }

    @Test
    void shouldWriteOneAccessLinePerRequestWithTheFingerprintAndNoSecret() throws Exception {
        AdminClient.eventually(
                Duration.ofSeconds(5), "one access line per request", () -> lines().size() >= successes + 1);
        List<String> lines = lines();
        assertEquals(successes + 1, lines.size(), String.join("\n", lines));
        String ok = lines.get(0);
        assertTrue(
                ok.matches(
                        "req_\\S+ openai-chat status=200 outcome=success client=test model=test-model "
                                + "provider=mock-openai key=key-\\d fp=sk-\\.\\.\\.6789 attempts=1 stream=false tokens_in=\\d+ "
                                + "tokens_out=\\d+ priced=false latency_ms=[\\d.]+ upstream_ms=[\\d.]+ first_byte_ms=[\\d.]+ queue_ms=[\\d.]+"),
                ok);
        assertTrue(lines.stream().anyMatch(l -> l.contains("status=404") && l.contains("outcome=client_error")));
        assertTrue(lines.stream().anyMatch(l -> l.contains("stream=true")));
        assertTrue(lines.stream().anyMatch(l -> l.contains("attempts=2")), "the retried request");
        for (String l : lines) {
            assertFalse(l.contains(SECRET_ONE) || l.contains(SECRET_TWO), l);
        }
    }

    @Test
    void shouldCountRequestsPerSecondInTheClusterView() throws Exception {
        AdminClient admin = new AdminClient(management());
        // The node publishes its record once a second.
        AdminClient.eventually(Duration.ofSeconds(3), "the member record counts every request", () -> {
            JsonNode member = admin.get("/admin/api/cluster").json().at("/members/0");
            return member.path("requestsTotal").asLong() >= successes + 1 && member.has("requestsPerSecond");
        });
    }

    /**
     * Plain HTTP/1.1. With the JDK client's default h2c upgrade, the first request's HTTP/1 connection
     * closes under it and the exchange's close handler records that answered request as a 499; that is
     * a proxy bug outside what this test checks, so the requests here avoid the upgrade.
     */
    private static final HttpClient HTTP11 = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private static Http.Reply post11(String url, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = HTTP11.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Http.Reply(r.statusCode(), r.headers().map(), r.body());
    }

    private List<String> lines() {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : List.copyOf(access.list)) {
            out.add(e.getFormattedMessage());
        }
        return out;
    }

    /** The value of the one series of {@code name} whose labels include every given {@code label="value"}. */
    static double value(String text, String name, String... labels) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(text);
        List<Double> found = new ArrayList<>();
        while (m.find()) {
            String l = m.group(1) == null ? "" : m.group(1);
            boolean all = true;
            for (String want : labels) {
                all &= l.contains(want);
            }
            if (all) {
                found.add(Double.parseDouble(m.group(2)));
            }
        }
        if (found.size() != 1) {
            throw new AssertionError(
                    found.size() + " series of " + name + " with " + List.of(labels) + " in:\n" + grep(text, name));
        }
        return found.get(0);
    }

    private static String grep(String text, String name) {
        StringBuilder b = new StringBuilder();
        for (String l : text.lines().toList()) {
            if (l.startsWith(name)) {
                b.append(l).append('\n');
            }
        }
        return b.toString();
    }

    /** A client key with a daily budget in a team with a monthly one, on a priced model; metrics on this port. */
    static TestConfig budgetedConfig(int managementPort) {
        return TestConfig.openAi(SECRET_ONE)
                .queueTimeout(null)
                .managementPort(managementPort)
                .clientKeys(
                        TestConfig.clientKey("capped", GatewayHarness.CLIENT_KEY, "ops", TestConfig.budget("5", "day")))
                .teams(Map.of("ops", new TeamConfig(TestConfig.budget("50", "month"), null)))
                .models(new ModelConfig(
                        "priced-model",
                        null,
                        List.of(new ModelConfig.TargetConfig(
                                TestConfig.PROVIDER,
                                "gpt-test",
                                PriceConfig.of(BigDecimal.valueOf(2), BigDecimal.valueOf(8)))),
                        null));
    }
}
