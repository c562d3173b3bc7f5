package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.gateway.config.AdminConfig;
import dev.crossbar.gateway.config.BudgetConfig;
import dev.crossbar.gateway.config.ClientKeyConfig;
import dev.crossbar.gateway.config.GatewayConfig;
import dev.crossbar.gateway.config.ModelConfig;
import dev.crossbar.gateway.config.ModelPriceConfig;
import dev.crossbar.gateway.config.ProviderConfig;
import dev.crossbar.gateway.config.ProviderKeyConfig;
import dev.crossbar.gateway.config.TeamConfig;
import dev.crossbar.launcher.LocalCluster;
import dev.crossbar.launcher.NodeCluster;
import dev.crossbar.launcher.NodeProcess;
import dev.crossbar.launcher.Ports;
import dev.crossbar.mock.Billing;
import dev.crossbar.mock.FaultPlan;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import dev.crossbar.mock.MockProviders;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Budgets across three node processes (each its own JVM and Hazelcast member): two teams and a client key of no
 * team, each with a budget the offered load exceeds several times, calls spread over the three nodes at once,
 * plain and streamed, some abandoned by their client. The referee is the mock provider: what it served (its own
 * token counts per key, one key per budget, billed as produced) priced at the config's rate never passes the
 * budget beyond the overruns the gateway measured, nor what the gateway counted; nothing stays reserved; a budget refusal is a 429 in the OpenAI, Anthropic and
 * Gemini shapes naming the budget and when it resets; and after every node was restarted, one at a time, the
 * period's spend is still there.
 */
class BudgetProcessesIT {

    private static final int NODES = 3;
    /** $1000 per million tokens, input and output alike: a token costs a tenth of a cent. */
    private static final BigDecimal PER_TOKEN = new BigDecimal("0.001");

    private static final String RED = "budget-red-client-0001";
    private static final String BLUE = "budget-blue-client-0001";
    private static final String SOLO = "budget-solo-client-0001";
    private static final Map<String, BigDecimal> BUDGETS = Map.of(
            "team:red",
            new BigDecimal("1.5"),
            "team:blue",
            new BigDecimal("0.8"),
            "client:solo",
            new BigDecimal("0.5"));
    private static final HttpClient CLIENT = client();
    /**
     * The client of the calls abandoned after 15 ms, apart from {@link #CLIENT}: the JDK's client can close a
     * connection when a call's timer fires after its answer came and the connection went back to its pool, failing the
     * next call on that connection with "header parser received no bytes" (CI, 66de5af).
     */
    private static final HttpClient ABANDONING = client();

    private static HttpClient client() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void shouldNeverLetThreeNodesSpendPastABudgetAndKeepTheSpendThroughRestarts() throws Exception {
        Path dir = Path.of("target", "budget-processes").toAbsolutePath();
        Files.createDirectories(dir);
        Vertx mockVertx = Vertx.vertx();
        MockProviders mock = MockProviders.start(
                        mockVertx,
                        MockConfig.of(
                                        new MockKey(
                                                "sk-red",
                                                "openai",
                                                1_000_000L,
                                                1_000_000_000L,
                                                1_000,
                                                Duration.ofMinutes(1)),
                                        new MockKey(
                                                "sk-blue",
                                                "openai",
                                                1_000_000L,
                                                1_000_000_000L,
                                                1_000,
                                                Duration.ofMinutes(1)),
                                        new MockKey(
                                                "sk-solo",
                                                "openai",
                                                1_000_000L,
                                                1_000_000_000L,
                                                1_000,
                                                Duration.ofMinutes(1)))
                                .withFaults(FaultPlan.builder()
                                        .ttfbMs(40)
                                        .chunkDelayMs(5)
                                        .streamChunks(6)
                                        .build())
                                .withBilling(Billing.PRODUCED))
                .await(30, TimeUnit.SECONDS);
        String mockUrl = "http://127.0.0.1:" + mock.port();
        int nodeBase = Ports.freeRun(NODES);
        int memberBase = Ports.freeRun(NODES);
        LocalCluster.Layout layout = new LocalCluster.Layout(
                "127.0.0.1",
                Ports.free(),
                List.of(nodeBase, nodeBase + 1, nodeBase + 2),
                List.of(memberBase, memberBase + 1, memberBase + 2),
                "crossbar-budgets-" + UUID.randomUUID());
        NodeCluster cluster = NodeCluster.of(
                layout,
                LocalCluster.writeNodeConfigs(config(mockUrl), layout, dir),
                dir,
                List.of("-Xmx256m"),
                Map.of());
        List<NodeProcess> nodes = cluster.nodes();
        ExecutorService workers = Executors.newFixedThreadPool(12);
        try {
            cluster.start(Duration.ofMinutes(2));
            List<String> urls = cluster.urls();

            ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
            AtomicInteger answered = new AtomicInteger();
            AtomicInteger abandoned = new AtomicInteger();
            List<Future<?>> running = new ArrayList<>();
            String[][] loads = {{RED, "red-model"}, {BLUE, "blue-model"}, {SOLO, "solo-model"}};
            for (int w = 0; w < 12; w++) {
                String[] load = loads[w % loads.length];
                int seed = w;
                running.add(workers.submit(() -> {
                    offer(urls, load[0], load[1], new Random(seed), refusals, answered, abandoned);
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(120, TimeUnit.SECONDS);
            }
            log(
                    "%d calls answered, %d abandoned by their client, %d refused for a budget",
                    answered.get(), abandoned.get(), refusals.size());
            for (String r : refusals) {
                assertTrue(r.contains("would cross the budget of") && r.contains("resets at"), r);
            }

            // Abandoned calls end on their nodes a moment later: wait until nothing is reserved anywhere.
            AdminClient.eventually(Duration.ofSeconds(20), "every reservation settled or released", () -> {
                for (String url : urls) {
                    for (JsonNode b : budgets(url).path("budgets")) {
                        if (b.path("reserved").decimalValue().signum() != 0) {
                            return false;
                        }
                    }
                }
                return true;
            });
            BigDecimal overrun = BigDecimal.ZERO;
            for (String url : urls) {
                overrun = overrun.add(budgets(url).path("overruns").path("usd").decimalValue());
            }
            Map<String, String> keyOf = Map.of("team:red", "sk-red", "team:blue", "sk-blue", "client:solo", "sk-solo");
            Map<String, BigDecimal> spentBefore = spent(urls.get(0));
            for (var e : BUDGETS.entrySet()) {
                BigDecimal served = PER_TOKEN.multiply(BigDecimal.valueOf(
                        mock.stats().key(keyOf.get(e.getKey())).tokensCharged()));
                BigDecimal gateway = spentBefore.get(e.getKey());
                String secret = keyOf.get(e.getKey());
                long seen = mock.requests().stream()
                        .filter(q -> ("Bearer " + secret).equals(q.headers().get("authorization")))
                        .count();
                log(
                        "%s: %d calls reached the provider, %d served",
                        e.getKey(), seen, mock.stats().key(secret).served());
                log(
                        "%s: budget $%s, the provider served $%s, the gateway counted $%s (overruns in all $%s)",
                        e.getKey(), e.getValue(), served, gateway, overrun);
                assertTrue(
                        served.compareTo(e.getValue().add(overrun)) <= 0,
                        e.getKey() + " spent " + served + " by the provider's count, past its budget " + e.getValue());
                assertTrue(
                        served.compareTo(e.getValue().multiply(new BigDecimal("0.7"))) >= 0,
                        e.getKey() + " was refused long before its budget: " + served);
                // A call cut in flight keeps its whole reservation: the gateway may count more, never less.
                assertTrue(
                        served.compareTo(gateway) <= 0, e.getKey() + ": gateway " + gateway + " < provider " + served);
                assertTrue(gateway.compareTo(e.getValue()) <= 0, e.getKey() + ": gateway counted past the budget");
            }
            assertEquals(0, overrun.signum(), "no call here can cost more than its reservation");

            assertBudgetErrorInEveryShape(urls.get(1));

            for (NodeProcess n : nodes) {
                n.stop(Duration.ofSeconds(45));
                n.start();
                n.awaitReady(NODES, Duration.ofMinutes(2));
                log("%s restarted", n.name());
            }
            for (String url : urls) {
                Map<String, BigDecimal> after = spent(url);
                for (String subject : BUDGETS.keySet()) {
                    assertEquals(
                            0,
                            spentBefore.get(subject).compareTo(after.get(subject)),
                            subject + " on " + url + " after the restarts: " + after.get(subject) + ", before "
                                    + spentBefore.get(subject));
                }
            }
            Http.Reply still = chat(urls.get(2), RED, "red-model", "after the restarts", 1_000, false);
            assertEquals(429, still.status(), still.body());
        } finally {
            workers.shutdownNow();
            cluster.kill();
            mockVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** Calls on every node in turn until the budget has refused ten of them; every eighth abandoned early. */
    private static void offer(
            List<String> urls,
            String key,
            String model,
            Random random,
            ConcurrentLinkedQueue<String> refusals,
            AtomicInteger answered,
            AtomicInteger abandoned)
            throws Exception {
        int refused = 0;
        for (int i = 0; refused < 10 && i < 200; i++) {
            String url = urls.get(i % urls.size());
            String prompt = "budget ".repeat(5 + random.nextInt(40));
            Integer max = random.nextInt(4) == 0 ? null : 5 + random.nextInt(40);
            boolean stream = random.nextInt(3) == 0;
            if (i % 8 == 7) {
                try {
                    send(ABANDONING, url, key, body(model, prompt, max, stream), Duration.ofMillis(15));
                } catch (IOException gone) { // timed out, or its connection closed by another abandoned call's timer
                    abandoned.incrementAndGet();
                }
                continue;
            }
            Http.Reply r = chat(url, key, model, prompt, max, stream);
            if (r.status() == 429) {
                refusals.add(r.json().path("error").path("message").asText());
                refused++;
            } else {
                assertEquals(200, r.status(), r.body());
                answered.incrementAndGet();
            }
        }
    }

    /**
     * Calls that may cost more than a dollar (1,000 output tokens at a tenth of a cent), far past what any budget
     * has left after the load: a cheap call may still fit a budget's remainder, and goes.
     */
    private static void assertBudgetErrorInEveryShape(String url) throws Exception {
        Http.Reply openAi = chat(url, RED, "red-model", "one more", 1_000, false);
        assertEquals(429, openAi.status(), openAi.body());
        assertTrue(openAi.json().path("error").path("message").asText().contains("team 'red'"), openAi.body());
        assertTrue(Long.parseLong(openAi.header("retry-after")) > 0, "Retry-After until the reset");

        Http.Reply anthropic = Http.post(
                url + "/v1/messages",
                "{\"model\":\"red-model\",\"max_tokens\":1000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "x-api-key",
                RED,
                "anthropic-version",
                "2023-06-01");
        assertEquals(429, anthropic.status(), anthropic.body());
        assertEquals("error", anthropic.json().path("type").asText(), anthropic.body());
        assertEquals(
                "rate_limit_error", anthropic.json().path("error").path("type").asText(), anthropic.body());
        assertTrue(anthropic.json().path("error").path("message").asText().contains("resets at"), anthropic.body());

        Http.Reply gemini = Http.post(
                url + "/v1beta/models/red-model:generateContent",
                "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}",
                "x-goog-api-key",
                RED);
        assertEquals(429, gemini.status(), gemini.body());
        assertEquals(
                "RESOURCE_EXHAUSTED", gemini.json().path("error").path("status").asText(), gemini.body());
        assertTrue(gemini.json().path("error").path("message").asText().contains("team 'red'"), gemini.body());
        log("budget refusals: OpenAI %s | Anthropic %s | Gemini %s", openAi.body(), anthropic.body(), gemini.body());
    }

    private static Http.Reply chat(String url, String key, String model, String prompt, Integer max, boolean stream)
            throws Exception {
        HttpResponse<String> r = send(CLIENT, url, key, body(model, prompt, max, stream), Duration.ofSeconds(30));
        return new Http.Reply(r.statusCode(), r.headers().map(), r.body());
    }

    private static String body(String model, String prompt, Integer max, boolean stream) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]"
                + (max == null ? "" : ",\"max_tokens\":" + max) + (stream ? ",\"stream\":true" : "") + "}";
    }

    private static HttpResponse<String> send(HttpClient client, String url, String key, String body, Duration timeout)
            throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(url + "/v1/chat/completions"))
                        .timeout(timeout)
                        .header("content-type", "application/json")
                        .header("authorization", "Bearer " + key)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode budgets(String url) throws Exception {
        Http.Reply r = Http.get(url + "/admin/api/budgets", "authorization", "Bearer " + AdminClient.TOKEN);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    private static Map<String, BigDecimal> spent(String url) throws Exception {
        Map<String, BigDecimal> spent = new java.util.HashMap<>();
        for (JsonNode b : budgets(url).path("budgets")) {
            spent.put(b.path("subject").asText(), b.path("spent").decimalValue());
        }
        return spent;
    }

    /** Three providers on the mock, one per budget, each with one model priced at {@link #PER_TOKEN}. */
    private static GatewayConfig config(String mockUrl) {
        BigDecimal perMillion = BigDecimal.valueOf(1_000);
        List<ProviderConfig> providers = new ArrayList<>();
        List<ModelPriceConfig> prices = new ArrayList<>();
        List<ModelConfig> models = new ArrayList<>();
        for (String budget : List.of("red", "blue", "solo")) {
            String provider = budget + "-provider";
            providers.add(ProviderConfig.of(
                    provider, "openai", mockUrl + "/v1", List.of(ProviderKeyConfig.of(budget + "-1", "sk-" + budget))));
            prices.add(new ModelPriceConfig(
                    provider, "gpt-" + budget, perMillion, null, null, null, perMillion, null, null, null));
            models.add(new ModelConfig(
                    budget + "-model",
                    null,
                    List.of(new ModelConfig.TargetConfig(provider, "gpt-" + budget, null)),
                    null));
        }
        List<ClientKeyConfig> clientKeys = List.of(
                new ClientKeyConfig("red-app", RED, List.of("red-model"), null, "red"),
                new ClientKeyConfig("blue-app", BLUE, List.of("blue-model"), null, "blue"),
                new ClientKeyConfig(
                        "solo",
                        SOLO,
                        List.of("solo-model"),
                        null,
                        null,
                        new BudgetConfig(BUDGETS.get("client:solo"), "day"),
                        null,
                        null));
        Map<String, TeamConfig> teams = new LinkedHashMap<>();
        teams.put("red", new TeamConfig(new BudgetConfig(BUDGETS.get("team:red"), "day"), null));
        teams.put("blue", new TeamConfig(new BudgetConfig(BUDGETS.get("team:blue"), "month"), null));
        return new GatewayConfig(
                null,
                null,
                new AdminConfig(AdminClient.TOKEN),
                clientKeys,
                providers,
                models,
                null,
                prices,
                null,
                null,
                teams);
    }

    private static void log(String format, Object... args) {
        System.out.printf("[BudgetProcessesIT] " + format + "%n", args);
    }
}
