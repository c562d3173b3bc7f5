package dev.crossbar.it;

import static dev.crossbar.it.TestConfig.clientKey;
import static dev.crossbar.it.TestConfig.key;
import static dev.crossbar.it.TestConfig.mockProvider;
import static dev.crossbar.it.TestConfig.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.gateway.config.ModelPriceConfig;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Prices through the real path: two nodes, the mock's OpenAI and Anthropic providers reporting cache reads,
 * cache writes and reasoning ({@code mock:usage}); each request's cost read from the access log, /metrics and
 * the admin API, and checked against the usage the client itself received, priced at the rates written here
 * (the shipped table's, the config's, an admin's), not at the gateway's own arithmetic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PricingIT {

    static final String WEB = "pricing-web-key-0001";
    static final String BATCH = "pricing-batch-key-0001";
    static final String EXTRA = "pricing-extra-key-0001";
    private static final String KINDS = "mock:usage cache_read=1000 cache_write_5m=300 cache_write_1h=200 reasoning=40";
    private static final Pattern COST = Pattern.compile(" cost_usd=([0-9.]+)");

    private GatewayHarness gateway;
    private AccessLines access;

    @BeforeAll
    void start() throws Exception {
        gateway = new GatewayHarness(MockConfig.of(MockConfig.defaultKeys().toArray(MockKey[]::new)), config(), 2);
        access = AccessLines.capture();
    }

    @AfterAll
    void stop() throws Exception {
        if (access != null) {
            access.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void shouldChargeEveryKindOfAnthropicTokenAtTheTablesRatesPlainAndStreamed() throws Exception {
        Http.Reply plain = anthropic(0, "haiku", WEB, "price me " + KINDS, false);
        assertEquals(200, plain.status(), plain.body());
        JsonNode u = plain.json().path("usage");
        long read = u.path("cache_read_input_tokens").asLong();
        long written = u.path("cache_creation_input_tokens").asLong();
        long written1h =
                u.path("cache_creation").path("ephemeral_1h_input_tokens").asLong();
        assertEquals(1000, read);
        assertEquals(500, written);
        assertEquals(200, written1h);
        // claude-haiku-4-5 in the table: input 1, cache read 0.1, 5-minute write 1.25, 1-hour write 2, output 5.
        BigDecimal expected = perMillion(u.path("input_tokens").asLong(), "1")
                .add(perMillion(read, "0.1"))
                .add(perMillion(written - written1h, "1.25"))
                .add(perMillion(written1h, "2"))
                .add(perMillion(u.path("output_tokens").asLong(), "5"));
        String line = line(plain);
        assertEquals(nanoDollars(expected), cost(line), line);
        assertTrue(line.contains(" client=web team=search model=haiku provider=mock-anthropic "), line);
        assertTrue(line.contains(" tokens_cache_read=1000 tokens_cache_write=500 tokens_cache_write_1h=200 "), line);

        Http.Reply streamed = anthropic(0, "haiku", WEB, "price me " + KINDS, true);
        assertEquals(200, streamed.status(), streamed.body());
        assertEquals(nanoDollars(expected), cost(line(streamed)), "a streamed answer costs what the plain one does");
        assertFalse(line(streamed).contains("cost_estimated"), line(streamed));
    }

    @Test
    void shouldChargeCachedOpenAiInputAtItsOwnRate() throws Exception {
        Http.Reply r = chat(0, "mini", BATCH, "cached please " + KINDS, false);
        assertEquals(200, r.status(), r.body());
        JsonNode u = r.json().path("usage");
        long prompt = u.path("prompt_tokens").asLong();
        long cached = u.path("prompt_tokens_details").path("cached_tokens").asLong();
        assertEquals(1000, cached);
        // gpt-4o-mini in the table: input 0.15, cache read 0.075, output 0.6 (reasoning at the output rate).
        // OpenAI's writes are billed as input for this model (no cacheWrite rate in the table).
        BigDecimal expected = perMillion(prompt - cached, "0.15")
                .add(perMillion(cached, "0.075"))
                .add(perMillion(u.path("completion_tokens").asLong(), "0.6"));
        assertEquals(nanoDollars(expected), cost(line(r)), line(r));
        Http.Reply streamed = chat(0, "mini", BATCH, "cached please " + KINDS, true);
        assertEquals(200, streamed.status(), streamed.body());
        assertEquals(nanoDollars(expected), cost(line(streamed)), line(streamed));
    }

    @Test
    void shouldAddTheConfiguredPricePerRequest() throws Exception {
        Http.Reply r = chat(1, "house", WEB, "house rules", false);
        assertEquals(200, r.status(), r.body());
        JsonNode u = r.json().path("usage");
        BigDecimal expected = perMillion(u.path("prompt_tokens").asLong(), "0.5")
                .add(perMillion(u.path("completion_tokens").asLong(), "1.5"))
                .add(new BigDecimal("0.001"));
        assertEquals(nanoDollars(expected), cost(line(r)), line(r));
    }

    @Test
    void shouldFlagAnUnpricedModelInTheLogMetricsAndAdminApiAndLetAnAdminPriceIt() throws Exception {
        Http.Reply r = chat(0, "mystery", WEB, "what does this cost", false);
        assertEquals(200, r.status(), r.body());
        String line = line(r);
        assertTrue(line.contains(" priced=false "), line);
        assertFalse(line.contains("cost_usd"), "an unpriced request is never logged as free: " + line);
        String metrics = Http.get(gateway.url(0) + "/metrics").body();
        assertEquals(
                1,
                MetricsEndpointIT.value(
                        metrics,
                        "crossbar_requests_unpriced_total",
                        "client=\"web\"",
                        "model=\"mystery\"",
                        "team=\"search\""),
                0.0);
        assertFalse(metrics.contains("crossbar_cost_usd_total{client=\"web\",model=\"mystery\""), metrics);

        AdminClient admin0 = new AdminClient(gateway.url(0));
        AdminClient admin1 = new AdminClient(gateway.url(1));
        JsonNode prices = admin1.get("/admin/api/prices").json();
        assertEquals(1, prices.path("unpriced").asInt(), prices.toString());
        JsonNode mystery = target(prices, "mystery");
        assertFalse(mystery.path("priced").asBoolean(), mystery.toString());
        assertTrue(target(prices, "haiku").path("source").asText().startsWith("table 20"), prices.toString());
        assertEquals("prices[0]", target(prices, "house").path("source").asText());
        assertEquals(
                "0.15",
                target(prices, "mini").path("price").path("base").path("input").asText());
        assertFalse(modelTarget(admin1.get("/admin/api/models").json(), "mystery")
                .path("priced")
                .asBoolean());
        assertTrue(modelTarget(admin1.get("/admin/api/models").json(), "mini")
                .path("priced")
                .asBoolean());

        Http.Reply set =
                admin0.send("PUT", "/admin/api/prices/mock-openai/my-finetune", "{\"input\": 4, \"output\": 8}");
        assertEquals(200, set.status(), set.body());
        AdminClient.eventually(
                Duration.ofSeconds(10),
                "node 1 applies the admin's price",
                () -> target(admin1.get("/admin/api/prices").json(), "mystery")
                        .path("priced")
                        .asBoolean());
        assertEquals(
                "admin",
                target(admin1.get("/admin/api/prices").json(), "mystery")
                        .path("source")
                        .asText());
        Http.Reply priced = chat(1, "mystery", WEB, "and now", false);
        JsonNode u = priced.json().path("usage");
        BigDecimal expected = perMillion(u.path("prompt_tokens").asLong(), "4")
                .add(perMillion(u.path("completion_tokens").asLong(), "8"));
        assertEquals(nanoDollars(expected), cost(line(priced)), line(priced));

        assertEquals(
                200, admin1.delete("/admin/api/prices/mock-openai/my-finetune").status());
        AdminClient.eventually(
                Duration.ofSeconds(10),
                "node 0 forgets the removed price",
                () -> !target(admin0.get("/admin/api/prices").json(), "mystery")
                        .path("priced")
                        .asBoolean());
        assertEquals(
                404, admin1.delete("/admin/api/prices/mock-openai/my-finetune").status());
    }

    @Test
    void shouldRefuseABadPriceNamingTheField() throws Exception {
        AdminClient admin = new AdminClient(gateway.url(0));
        Http.Reply negative =
                admin.send("PUT", "/admin/api/prices/mock-openai/gpt-4o", "{\"input\": -1, \"output\": 2}");
        assertEquals(400, negative.status());
        assertTrue(negative.body().contains("input must be >= 0, was -1"), negative.body());
        Http.Reply typo = admin.send("PUT", "/admin/api/prices/mock-openai/gpt-4o", "{\"inptu\": 1, \"output\": 2}");
        assertEquals(400, typo.status());
        assertTrue(typo.body().contains("unknown field 'inptu'"), typo.body());
        Http.Reply words =
                admin.send("PUT", "/admin/api/prices/mock-openai/gpt-4o", "{\"input\": \"cheap\", \"output\": 2}");
        assertEquals(400, words.status());
        assertTrue(words.body().contains("input must be a number"), words.body());
        Http.Reply noProvider = admin.send("PUT", "/admin/api/prices/nope/gpt-4o", "{\"input\": 1, \"output\": 2}");
        assertEquals(400, noProvider.status());
        assertTrue(noProvider.body().contains("no provider with id 'nope'"), noProvider.body());
        Http.Reply longContext = admin.send(
                "PUT",
                "/admin/api/prices/mock-openai/gpt-4o",
                "{\"input\": 1, \"output\": 2, \"longContext\": {\"aboveInputTokens\": 1000, \"input\": 0.5}}");
        assertEquals(400, longContext.status());
        assertTrue(longContext.body().contains("longContext.input must be >= the base input"), longContext.body());
    }

    @Test
    void shouldSumCostByClientAndTeamWithClientsBeyondTheBoundCountedAsOther() throws Exception {
        // clientLabels: 2 — web and batch (or whichever two came first) keep their names; a third is "other".
        AdminClient admin = new AdminClient(gateway.url(0));
        Http.Reply created = admin.post(
                "/admin/api/client-keys",
                "{\"name\": \"late\", \"key\": \"pricing-late-key-0001\", \"team\": \"ops\"}");
        assertEquals(201, created.status(), created.body());
        assertEquals("ops", created.json().path("team").asText());
        AdminClient.eventually(
                Duration.ofSeconds(10),
                "the new client key reaches node 0",
                () -> chat(0, "spare", "pricing-late-key-0001", "x", false).status() == 200);
        chat(0, "spare", WEB, "warm", false);
        chat(0, "spare", BATCH, "warm", false);
        BigDecimal extraCost = BigDecimal.ZERO;
        for (int i = 0; i < 3; i++) {
            Http.Reply r = chat(0, "spare", EXTRA, "counted under other " + i, false);
            assertEquals(200, r.status(), r.body());
            extraCost = extraCost.add(new BigDecimal(cost(line(r))));
        }
        String metrics = Http.get(gateway.url(0) + "/metrics").body();
        List<String> clients = metrics.lines()
                .filter(l -> l.startsWith("crossbar_cost_usd_total{"))
                .map(l -> l.replaceAll(".*client=\"([^\"]*)\".*", "$1"))
                .distinct()
                .sorted()
                .toList();
        assertTrue(clients.size() <= 3 && clients.contains("other"), "two clients and other: " + clients);
        double other = MetricsEndpointIT.value(
                metrics, "crossbar_cost_usd_total", "client=\"other\"", "model=\"spare\"", "team=\"none\"");
        assertTrue(other >= extraCost.doubleValue() * 0.999, other + " < " + extraCost);
        JsonNode late = null;
        for (JsonNode k : admin.get("/admin/api/client-keys").json().path("clientKeys")) {
            if (k.path("name").asText().equals("late")) {
                late = k;
            }
        }
        assertNotNull(late);
        assertEquals("ops", late.path("team").asText());
        assertTrue(
                metrics.contains("team=\"ops\""),
                "the admin-created key's team labels its spend: "
                        + metrics.lines()
                                .filter(l -> l.startsWith("crossbar_cost_usd_total"))
                                .toList());
    }

    private static JsonNode target(JsonNode prices, String model) {
        for (JsonNode t : prices.path("targets")) {
            if (t.path("model").asText().equals(model)) {
                return t;
            }
        }
        throw new AssertionError("no target of " + model + " in " + prices);
    }

    private static JsonNode modelTarget(JsonNode models, String model) {
        for (JsonNode m : models.path("models")) {
            if (m.path("name").asText().equals(model)) {
                return m.path("targets").get(0);
            }
        }
        throw new AssertionError("no model " + model + " in " + models);
    }

    private Http.Reply chat(int node, String model, String key, String text, boolean stream) throws Exception {
        String body = """
                {"model":"%s","stream":%s,"stream_options":{"include_usage":true},
                 "messages":[{"role":"user","content":"%s"}]}""".formatted(model, stream, text);
        if (!stream) {
            body = body.replace("\"stream_options\":{\"include_usage\":true},", "");
        }
        return Http.post(gateway.url(node) + "/v1/chat/completions", body, Http.bearer(key));
    }

    private Http.Reply anthropic(int node, String model, String key, String text, boolean stream) throws Exception {
        String body = """
                {"model":"%s","max_tokens":200,"stream":%s,"messages":[{"role":"user","content":"%s"}]}""".formatted(model, stream, text);
        return Http.post(gateway.url(node) + "/v1/messages", body, "x-api-key", key, "anthropic-version", "2023-06-01");
    }

    /** The access log line of a request (the log is asynchronous: waits for it). */
    private String line(Http.Reply r) throws Exception {
        String id = r.header("x-request-id");
        assertNotNull(id, "the answer names its request id");
        String[] found = new String[1];
        AdminClient.eventually(Duration.ofSeconds(5), "the access line of " + id, () -> {
            List<String> lines = access.with(id + " ");
            found[0] = lines.isEmpty() ? null : lines.get(0);
            return found[0] != null;
        });
        return found[0];
    }

    private static String cost(String line) {
        Matcher m = COST.matcher(line);
        if (!m.find()) {
            throw new AssertionError("no cost_usd in " + line);
        }
        return m.group(1);
    }

    private static BigDecimal perMillion(long tokens, String rate) {
        return BigDecimal.valueOf(tokens).multiply(new BigDecimal(rate)).movePointLeft(6);
    }

    private static String nanoDollars(BigDecimal usd) {
        return usd.setScale(9, RoundingMode.HALF_UP).toPlainString();
    }

    /**
     * Keys of two teams and one of none, metrics keeping two client labels; models on the mock's OpenAI and
     * Anthropic, one priced in the config, one the shipped table lacks.
     */
    static TestConfig config() {
        return TestConfig.openAi()
                .withNodeDefaults()
                .adminToken(AdminClient.TOKEN)
                .metricsLabels(2, 10)
                .clientKeys(
                        clientKey("web", WEB, "search", null),
                        clientKey("batch", BATCH, "research", null),
                        clientKey("extra", EXTRA))
                .keys(key("oa-1", "mock-openai-1"))
                .andProvider(mockProvider("mock-anthropic", "anthropic", "/v1", key("an-1", "mock-anthropic-1")))
                .prices(new ModelPriceConfig(
                        "mock-openai",
                        "house-model",
                        new BigDecimal("0.5"),
                        null,
                        null,
                        null,
                        new BigDecimal("1.5"),
                        null,
                        new BigDecimal("0.001"),
                        null))
                .models(
                        model("mini", "mock-openai", "gpt-4o-mini"),
                        model("haiku", "mock-anthropic", "claude-haiku-4-5"),
                        model("house", "mock-openai", "house-model"),
                        model("mystery", "mock-openai", "my-finetune"),
                        model("spare", "mock-openai", "gpt-4.1-nano"));
    }
}
