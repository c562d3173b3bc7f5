package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.gateway.config.ClientKeyConfig;
import dev.crossbar.gateway.config.DatabaseConfig;
import dev.crossbar.gateway.config.LimitsConfig;
import dev.crossbar.gateway.config.ModelConfig;
import dev.crossbar.gateway.config.TeamConfig;
import dev.crossbar.launcher.LocalPostgres;
import dev.crossbar.mock.FaultPlan;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dashboard in headless Chromium against a two-node cluster under light traffic: the page shows
 * every key, and a key disabled through the OTHER node's admin API shows as disabled within two
 * seconds; the spend charts read the usage records from a real PostgreSQL; the budgets panel shows the client key's
 * and the team's budgets with their numbers. Saves the screenshot the README
 * shows (docs/dashboard.png).
 *
 * <p>Needs Debian's chromium and {@code npm ci} in load-tests/dashboard-tests; skipped without them
 * unless CROSSBAR_REQUIRE_BROWSER=true (CI), which makes their absence a failure.
 */
@Timeout(240)
class DashboardBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path BASE =
            Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    private static final Path SCRIPTS = BASE.resolve("dashboard-tests");
    private static final Path SCREENSHOT = BASE.resolveSibling("docs").resolve("dashboard.png");
    private static final List<String> KEYS = List.of("openai-1", "openai-2", "openai-3", "anthropic-1", "anthropic-2");
    /**
     * OpenAI (three keys) and Anthropic (two) on the mock, a model with an alias and a fallback, a client key of a
     * team with limits and budgets, and usage records in the database.
     */
    static TestConfig config(String databaseUrl) {
        return TestConfig.providers(
                        TestProvider.onMock("openai", "openai", "/v1")
                                .timeout(Duration.ofSeconds(5))
                                .keys(
                                        TestConfig.key("openai-1", "sk-dash-openai-1-000001:300:200000:8"),
                                        TestConfig.key("openai-2", "sk-dash-openai-2-000002:300:200000:8"),
                                        TestConfig.key("openai-3", "sk-dash-openai-3-000003:120:60000:4")),
                        TestProvider.onMock("anthropic", "anthropic", "/v1")
                                .timeout(Duration.ofSeconds(5))
                                .keys(
                                        TestConfig.key("anthropic-1", "sk-ant-dash-1-0000001:200:150000:6"),
                                        TestConfig.key("anthropic-2", "sk-ant-dash-2-0000002:200:150000:6")))
                .database(new DatabaseConfig(databaseUrl, LocalPostgres.USER, null, null, null, null))
                .clientKeys(new ClientKeyConfig(
                        "web-app",
                        GatewayHarness.CLIENT_KEY,
                        null,
                        new LimitsConfig(6000L, 5_000_000L, null, null),
                        "web",
                        TestConfig.budget("0.25", "day"),
                        null,
                        null))
                .teams(Map.of("web", new TeamConfig(TestConfig.budget("2", "month"), null)))
                .models(
                        TestConfig.model("gpt-4o", "openai", "gpt-4o"),
                        new ModelConfig(
                                "claude-sonnet",
                                List.of("claude"),
                                List.of(
                                        new ModelConfig.TargetConfig("anthropic", "claude-sonnet-4-5"),
                                        new ModelConfig.TargetConfig("openai", "gpt-4o")),
                                null),
                        TestConfig.model("house-llm", "openai", "in-house-llm"));
    }

    @Test
    void shouldShowAKeyDisabledThroughTheOtherNodeWithinTwoSeconds() throws Exception {
        requireBrowser();
        MockConfig mock = MockConfig.of(
                MockKey.unlimited("sk-dash-openai-1-000001", "openai"),
                MockKey.unlimited("sk-dash-openai-2-000002", "openai"),
                MockKey.unlimited("sk-dash-openai-3-000003", "openai"),
                MockKey.unlimited("sk-ant-dash-1-0000001", "anthropic"),
                MockKey.unlimited("sk-ant-dash-2-0000002", "anthropic"));
        Path profile = Files.createTempDirectory("crossbar-chromium-");
        try (LocalPostgres postgres = LocalPostgres.startNew();
                GatewayHarness gateway = new GatewayHarness(mock, config(postgres.url()), 2)) {
            gateway.mock().setFaults(FaultPlan.builder().ttfbMs(25).build());
            // One key answers 429 with a long Retry-After, so the picture has a cooldown in it.
            gateway.mock()
                    .setKeyFaults(
                            "sk-ant-dash-2-0000002",
                            FaultPlan.builder()
                                    .rateLimitShare(1.0)
                                    .rateLimitRetryAfterMs(180_000)
                                    .build());
            // Least-utilised spends a key's local lease before it looks at the next key, so the 429 key is
            // reached for certain only while its sibling is out of rotation.
            AdminClient admin = new AdminClient(gateway.url(0));
            assertEquals(
                    200,
                    admin.post("/admin/api/keys/anthropic-1/disable", "{\"reason\":\"warming\"}")
                            .status());
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger sent = new AtomicInteger();
            Thread traffic = new Thread(() -> traffic(gateway, running, sent), "dashboard-traffic");
            traffic.setDaemon(true);
            traffic.start();
            try {
                AdminClient.eventually(
                        Duration.ofSeconds(20),
                        "the 429 key cools down",
                        () -> "cooling_down"
                                .equals(admin.key("anthropic-2").path("state").asText()));
                assertEquals(
                        200,
                        admin.post("/admin/api/keys/anthropic-1/enable", null).status());
                long beforeScript = System.currentTimeMillis() - 1_000; // file times may be whole seconds
                JsonNode result = runScript(gateway, profile);
                assertTrue(result.path("ok").asBoolean(), result.toString());
                assertEquals(2, result.path("members").asInt(), "both members on the page");
                assertTrue(result.path("disabledAfterMs").asLong() <= 2000, result.toString());
                assertTrue(result.path("pillText").asText().contains("disabled"), result.toString());
                assertEquals(
                        "[\"openai/in-house-llm\"]", result.path("unpriced").toString(), "the model with no price");
                assertEquals("1 target has no price", result.path("modelsNote").asText());
                assertEquals("[\"web\"]", result.path("spendTeams").toString(), "spend per team from the database");
                assertTrue(result.path("spendModels").asInt() >= 2, "tokens of both models: " + result);
                assertEquals("0", result.path("usageDropped").asText(), result.toString());
                assertBudgetShown(result, "client:web-app", "0.25", "$0.25", "day", admin);
                assertBudgetShown(result, "team:web", "2", "$2.00", "month", admin);
                assertTrue(
                        Files.getLastModifiedTime(SCREENSHOT).toMillis() >= beforeScript,
                        "this run wrote " + SCREENSHOT + " (the committed file does not count)");
                assertTrue(Files.size(SCREENSHOT) > 20_000, "a real screenshot at " + SCREENSHOT);
                assertTrue(sent.get() > 0);
            } finally {
                running.set(false);
                traffic.join(10_000);
            }
        } finally {
            deleteTree(profile);
        }
    }

    /**
     * The budget's row shows its limit, period and reset, some spend, and what is left as the limit less what is
     * spent and reserved; its bar is as long as its share spent; and its spend is no more than the node counts
     * after the page read it (spend only grows within a period).
     */
    private static void assertBudgetShown(
            JsonNode result, String subject, String limit, String limitText, String period, AdminClient admin)
            throws Exception {
        JsonNode row = null;
        for (JsonNode b : result.path("budgets")) {
            if (subject.equals(b.path("subject").asText())) {
                row = b;
            }
        }
        assertTrue(row != null, "the budgets panel shows " + subject + ": " + result);
        BigDecimal usd = new BigDecimal(row.path("limit").asText());
        BigDecimal spent = new BigDecimal(row.path("spent").asText());
        BigDecimal reserved = new BigDecimal(row.path("reserved").asText());
        BigDecimal left = new BigDecimal(row.path("left").asText());
        assertEquals(0, usd.compareTo(new BigDecimal(limit)), row.toString());
        assertEquals(period, row.path("period").asText(), row.toString());
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        ZonedDateTime reset = period.equals("day")
                ? now.toLocalDate().plusDays(1).atStartOfDay(ZoneOffset.UTC)
                : now.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay(ZoneOffset.UTC);
        assertEquals(reset.toInstant(), Instant.parse(row.path("resets").asText()), row.toString());
        assertTrue(spent.signum() > 0, "the traffic's spend shows: " + row);
        assertEquals(0, left.compareTo(usd.subtract(spent).subtract(reserved).max(BigDecimal.ZERO)), row.toString());
        double share = spent.doubleValue() / usd.doubleValue() * 100;
        assertEquals(share, row.path("barPercent").asDouble(), 0.01, "the bar's length: " + row);
        List<String> cells = new ArrayList<>();
        row.path("text").forEach(c -> cells.add(c.asText()));
        assertEquals(limitText, cells.get(2), "the limit in dollars: " + cells);
        assertTrue(cells.get(3).startsWith("$") && !cells.get(3).equals("$0"), "the spend in dollars: " + cells);
        assertEquals("per " + period + " (UTC)", cells.get(6), cells.toString());
        JsonNode after = admin.get("/admin/api/budgets").json();
        BigDecimal spentAfter = null;
        for (JsonNode b : after.path("budgets")) {
            if (subject.equals(b.path("subject").asText())) {
                spentAfter = b.path("spent").decimalValue();
            }
        }
        assertTrue(
                spentAfter != null && spent.compareTo(spentAfter) <= 0,
                "shown " + spent + ", the node counts " + spentAfter + " after");
    }

    private static void requireBrowser() throws Exception {
        String missing = null;
        if (!Files.isExecutable(CHROMIUM)) {
            missing = "Debian's chromium (" + CHROMIUM + ") is not installed";
        } else if (!Files.isDirectory(SCRIPTS.resolve("node_modules").resolve("playwright-core"))) {
            missing = "run 'npm ci' in " + SCRIPTS + " (playwright-core is missing)";
        } else if (!nodeWorks()) {
            missing = "Node.js ('node') is not on the PATH";
        }
        if (missing != null) {
            if ("true".equals(System.getenv("CROSSBAR_REQUIRE_BROWSER"))) {
                fail("CROSSBAR_REQUIRE_BROWSER=true but " + missing);
            }
            assumeTrue(false, "skipped: " + missing);
        }
    }

    private static boolean nodeWorks() {
        try {
            Process p = new ProcessBuilder("node", "--version")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static JsonNode runScript(GatewayHarness gateway, Path profile) throws Exception {
        ObjectNode options = Http.JSON
                .createObjectNode()
                .put("url", gateway.url(0))
                .put("otherUrl", gateway.url(1))
                .put("token", AdminClient.TOKEN)
                .put("disable", "openai-3")
                .put("screenshot", SCREENSHOT.toString())
                .put("userDataDir", profile.toString())
                .put("chromium", CHROMIUM.toString())
                .put("settleMs", 12000);
        KEYS.forEach(options.putArray("keys")::add);
        options.putArray("budgets").add("client:web-app").add("team:web");
        Files.createDirectories(SCREENSHOT.getParent());
        Process p = new ProcessBuilder("node", "dashboard.mjs", Http.JSON.writeValueAsString(options))
                .directory(SCRIPTS.toFile())
                .redirectErrorStream(true)
                .start();
        byte[] output;
        if (!p.waitFor(150, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("dashboard.mjs did not finish within 150 s");
        }
        output = p.getInputStream().readAllBytes();
        String text = new String(output, StandardCharsets.UTF_8).strip();
        String last = text.isEmpty() ? "" : text.substring(text.lastIndexOf('\n') + 1);
        if (!last.startsWith("{")) {
            fail("dashboard.mjs exited " + p.exitValue() + ":\n" + text);
        }
        JsonNode result = Http.JSON.readTree(last);
        assertEquals(result.path("ok").asBoolean() ? 0 : 1, p.exitValue(), text);
        return result;
    }

    /** A trickle of requests to both nodes and both models, so bars and charts move. */
    private static void traffic(GatewayHarness gateway, AtomicBoolean running, AtomicInteger sent) {
        String[] models = {"gpt-4o", "claude-sonnet", "gpt-4o", "claude"};
        int i = 0;
        while (running.get()) {
            String model = models[i % models.length];
            String body = "{\"model\":\"" + model + "\",\"max_tokens\":200,\"stream\":" + (i % 5 == 0)
                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"request number " + i
                    + " asks for a summary of the quarterly numbers\"}]}";
            try {
                Http.post(gateway.url(i % 2) + "/v1/chat/completions", body, Http.bearer(GatewayHarness.CLIENT_KEY));
                sent.incrementAndGet();
                Thread.sleep(40);
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                // a node stopping at the end of the test
            }
            i++;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
