package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.launcher.LocalPostgres;
import dev.crossbar.mock.FaultPlan;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dashboard in headless Chromium against a two-node cluster under light traffic: the page shows
 * every key, and a key disabled through the OTHER node's admin API shows as disabled within two
 * seconds; the spend charts read the usage records from a real PostgreSQL. Saves the screenshot the README
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
    private static final String CONFIG = """
            database: { url: "%s", user: postgres }
            clientKeys:
              - { name: web-app, key: %s, team: web, limits: { requests: 6000, tokens: 5000000 } }
            admin:
              token: %s
            providers:
              - id: openai
                type: openai
                baseUrl: ${MOCK}/v1
                timeout: 5s
                keys:
                  - { id: openai-1, secret: sk-dash-openai-1-000001, requests: 300, tokens: 200000, concurrent: 8 }
                  - { id: openai-2, secret: sk-dash-openai-2-000002, requests: 300, tokens: 200000, concurrent: 8 }
                  - { id: openai-3, secret: sk-dash-openai-3-000003, requests: 120, tokens: 60000, concurrent: 4 }
              - id: anthropic
                type: anthropic
                baseUrl: ${MOCK}/v1
                timeout: 5s
                keys:
                  - { id: anthropic-1, secret: sk-ant-dash-1-0000001, requests: 200, tokens: 150000, concurrent: 6 }
                  - { id: anthropic-2, secret: sk-ant-dash-2-0000002, requests: 200, tokens: 150000, concurrent: 6 }
            models:
              - name: gpt-4o
                targets: [ { provider: openai, model: gpt-4o } ]
              - name: claude-sonnet
                aliases: [ claude ]
                targets: [ { provider: anthropic, model: claude-sonnet-4-5 }, { provider: openai, model: gpt-4o } ]
              - name: house-llm
                targets: [ { provider: openai, model: in-house-llm } ]
            routing:
              queueTimeout: 3s
            """;

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
                GatewayHarness gateway = new GatewayHarness(
                        mock, CONFIG.formatted(postgres.url(), GatewayHarness.CLIENT_KEY, AdminClient.TOKEN), 2)) {
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
