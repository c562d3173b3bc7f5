package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.gateway.config.DatabaseConfig;
import dev.crossbar.gateway.config.ModelConfig;
import dev.crossbar.gateway.config.ModelPriceConfig;
import dev.crossbar.gateway.config.ProviderKeyConfig;
import dev.crossbar.gateway.pricing.SpendHistory;
import dev.crossbar.launcher.LocalPostgres;
import dev.crossbar.mock.KeyStats;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import dev.crossbar.mock.MockStats;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The usage records through the real path into a real PostgreSQL (started from the Maven artifact, stopped and
 * started again for outages), read back directly with JDBC and compared with what the mock provider itself
 * counted: one record per request, plain and streamed alike for every protocol pair, none lost while the
 * database is away within the buffer's bound, the excess counted, the rest flushed by a graceful stop.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UsageDatabaseIT {

    private static final String WEB = "usage-web-key-0001";
    private static final String BATCH = "usage-batch-key-0001";
    private static final String LONE = "usage-lone-key-0001";
    /** Records a node keeps while the database is away. */
    private static final int BUFFER = 12;

    private static final String KINDS = "mock:usage cache_read=1000 cache_write_5m=300 cache_write_1h=200 reasoning=40";

    private LocalPostgres postgres;
    private GatewayHarness gateway;

    @BeforeAll
    void start() throws Exception {
        postgres = LocalPostgres.startNew();
        gateway = new GatewayHarness(
                MockConfig.of(MockConfig.defaultKeys().toArray(MockKey[]::new)),
                config(postgres.url(), Duration.ofMillis(100)),
                1);
    }

    /**
     * Every upstream protocol's provider on the mock, priced at the same rates for every kind of token; client keys
     * of two teams and of none; records written to the database every {@code interval}.
     */
    static TestConfig config(String databaseUrl, Duration interval) {
        List<TestProvider> providers = new ArrayList<>();
        List<ModelConfig> models = new ArrayList<>();
        List<ModelPriceConfig> prices = new ArrayList<>();
        for (UpstreamProtocol u : UpstreamProtocol.values()) {
            String id = "mock-" + u.provider;
            providers.add(TestProvider.onMock(id, u.type(), u == UpstreamProtocol.GEMINI ? "/v1beta" : "/v1")
                    .api(u.api)
                    .keys(ProviderKeyConfig.of(u.provider + "-1", "mock-" + u.keys + "-1")));
            models.add(TestConfig.model(u.model, id, u.upstreamModel));
            prices.add(new ModelPriceConfig(
                    id,
                    u.upstreamModel,
                    new BigDecimal("3"),
                    new BigDecimal("0.3"),
                    new BigDecimal("3.75"),
                    new BigDecimal("6"),
                    new BigDecimal("15"),
                    new BigDecimal("20"),
                    new BigDecimal("0.0001"),
                    null));
        }
        return TestConfig.providers(providers.toArray(TestProvider[]::new))
                .withNodeDefaults()
                .adminToken(AdminClient.TOKEN)
                .database(new DatabaseConfig(databaseUrl, LocalPostgres.USER, null, BUFFER, null, interval))
                .clientKeys(
                        TestConfig.clientKey("web", WEB, "search", null),
                        TestConfig.clientKey("batch", BATCH, "research", null),
                        TestConfig.clientKey("lone", LONE))
                .models(models.toArray(ModelConfig[]::new))
                .prices(prices.toArray(ModelPriceConfig[]::new));
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    /**
     * Every protocol pair, plain and streamed: one record each, with the tokens of every kind and the cost the
     * same for both and priced at the config's rates; their count per provider key is what the mock served.
     */
    @Test
    @Order(1)
    void shouldKeepOneRecordPerRequestTheSameForStreamedAndPlainAnswers() throws Exception {
        MockStats before = gateway.mock().stats();
        Map<String, String[]> pairs = new LinkedHashMap<>();
        Map<String, Map<String, Object>> rows = new HashMap<>();
        for (ClientProtocol c : ClientProtocol.values()) {
            // Eight requests at a time, fewer than the buffer holds: this test is not about the bound.
            List<String> sentNow = new ArrayList<>();
            boolean web = true; // the upstreams alternate between the two client keys
            for (UpstreamProtocol u : UpstreamProtocol.values()) {
                String text = "usage " + c + " " + u + " " + KINDS;
                String key = web ? WEB : BATCH;
                web = !web;
                String plain = id(c.send(gateway.url(), key, u.model, Conversation.ask(text), false));
                String streamed = id(c.send(gateway.url(), key, u.model, Conversation.ask(text), true));
                pairs.put(c + " -> " + u, new String[] {plain, streamed});
                sentNow.addAll(List.of(plain, streamed));
            }
            rows.putAll(awaitRows(sentNow));
        }
        int sent = pairs.size() * 2;
        assertEquals(sent, rows.size(), "one record per request");
        for (Map.Entry<String, String[]> pair : pairs.entrySet()) {
            Map<String, Object> plain = rows.get(pair.getValue()[0]);
            Map<String, Object> streamed = rows.get(pair.getValue()[1]);
            assertEquals(false, plain.get("stream"), pair.getKey());
            assertEquals(true, streamed.get("stream"), pair.getKey());
            for (String column : List.of(
                    "input_tokens",
                    "cache_read_tokens",
                    "cache_write_tokens",
                    "cache_write_1h_tokens",
                    "output_tokens",
                    "reasoning_tokens",
                    "cost_usd",
                    "cost_estimated",
                    "priced",
                    "status",
                    "provider",
                    "client_key",
                    "team")) {
                assertEquals(plain.get(column), streamed.get(column), pair.getKey() + ": " + column + " " + plain);
            }
            assertEquals(1000L, plain.get("cache_read_tokens"), pair.getKey() + " " + plain);
            assertEquals(40L, plain.get("reasoning_tokens"), pair.getKey() + " " + plain);
            assertEquals(true, plain.get("priced"), pair.getKey());
            assertEquals(false, plain.get("cost_estimated"), pair.getKey());
            assertEquals(200, ((Number) plain.get("status")).intValue(), pair.getKey());
            assertEquals(expectedCost(plain), ((BigDecimal) plain.get("cost_usd")).stripTrailingZeros(), pair.getKey());
        }
        // The mock is the referee of the count: the calls it served, per mock key (the OpenAI Chat and Responses
        // providers share the mock's OpenAI keys). Its tokensCharged is its rate limiter's reservation, not a bill.
        MockStats after = gateway.mock().stats();
        Map<String, long[]> bySecret = new HashMap<>();
        for (Map<String, Object> row : rows.values()) {
            String secret = null;
            for (UpstreamProtocol u : UpstreamProtocol.values()) {
                if (("mock-" + u.provider).equals(row.get("provider"))) {
                    secret = "mock-" + u.keys + "-1";
                }
            }
            bySecret.computeIfAbsent(secret, p -> new long[1])[0]++;
        }
        for (Map.Entry<String, long[]> e : bySecret.entrySet()) {
            KeyStats was = before.key(e.getKey());
            KeyStats now = after.key(e.getKey());
            long served = now.served() - (was == null ? 0 : was.served());
            assertEquals(served, e.getValue()[0], e.getKey() + ": records against calls the mock served");
        }
    }

    /** The price written in the config above, applied to the record's own token counts. */
    private static BigDecimal expectedCost(Map<String, Object> row) {
        long input = (Long) row.get("input_tokens");
        long read = (Long) row.get("cache_read_tokens");
        long writes = (Long) row.get("cache_write_tokens");
        long writes1h = (Long) row.get("cache_write_1h_tokens");
        long output = (Long) row.get("output_tokens");
        long reasoning = (Long) row.get("reasoning_tokens");
        return perMillion(input - read - writes, "3")
                .add(perMillion(read, "0.3"))
                .add(perMillion(writes - writes1h, "3.75"))
                .add(perMillion(writes1h, "6"))
                .add(perMillion(output - reasoning, "15"))
                .add(perMillion(reasoning, "20"))
                .add(new BigDecimal("0.0001"))
                .stripTrailingZeros();
    }

    @Test
    @Order(2)
    void shouldSumSpendSinceAMomentByClientKeyAndTeam() throws Exception {
        Instant from = Instant.now().minusMillis(1);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(id(chat(WEB, "spend web " + i)));
            ids.add(id(chat(BATCH, "spend batch " + i + " " + KINDS)));
            ids.add(id(chat(LONE, "spend lone " + i)));
        }
        Map<String, Map<String, Object>> rows = awaitRows(ids);
        Map<String, BigDecimal> byKey = new HashMap<>();
        Map<String, BigDecimal> byTeam = new HashMap<>();
        for (Map<String, Object> row : rows.values()) {
            BigDecimal cost = (BigDecimal) row.get("cost_usd");
            byKey.merge((String) row.get("client_key"), cost, BigDecimal::add);
            if (row.get("team") != null) {
                byTeam.merge((String) row.get("team"), cost, BigDecimal::add);
            }
        }
        SpendHistory.Spent spent =
                gateway.node(0).spendHistory().since(from).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(3, spent.byClientKey().size(), spent.toString());
        for (String key : List.of("web", "batch", "lone")) {
            assertEquals(0, byKey.get(key).compareTo(spent.byClientKey().get(key)), key + ": " + spent);
        }
        assertEquals(2, spent.byTeam().size(), "a key without a team is in no team's sum: " + spent);
        for (String team : List.of("search", "research")) {
            assertEquals(0, byTeam.get(team).compareTo(spent.byTeam().get(team)), team + ": " + spent);
        }
        SpendHistory.Spent later = gateway.node(0)
                .spendHistory()
                .since(Instant.now().plusSeconds(60))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertTrue(later.byClientKey().isEmpty() && later.byTeam().isEmpty(), later.toString());
    }

    /** The admin API sums the same records: per team and day, filtered, as JSON and CSV; bad input named. */
    @Test
    @Order(3)
    void shouldAnswerTheUsageApiFromTheRecords() throws Exception {
        Instant from = Instant.now().minusMillis(1);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ids.add(id(chat(WEB, "api web " + i)));
            ids.add(id(chat(BATCH, "api batch " + i)));
        }
        Map<String, Map<String, Object>> rows = awaitRows(ids);
        BigDecimal search = BigDecimal.ZERO;
        long searchInput = 0;
        for (Map<String, Object> row : rows.values()) {
            if ("search".equals(row.get("team"))) {
                search = search.add((BigDecimal) row.get("cost_usd"));
                searchInput += (Long) row.get("input_tokens");
            }
        }
        AdminClient admin = new AdminClient(gateway.url());
        String range = "from=" + from + "&to=" + Instant.now().plusSeconds(1);
        var json = admin.get("/admin/api/usage?" + range + "&period=day&groupBy=team,model")
                .json();
        assertEquals("day", json.path("period").asText(), json.toString());
        int teams = 0;
        for (var row : json.path("rows")) {
            assertTrue(row.path("period").asText().endsWith("T00:00:00Z"), row.toString());
            assertEquals("demo-openai", row.path("group").path("model").asText(), row.toString());
            if (row.path("group").path("team").asText().equals("search")) {
                assertEquals(0, search.compareTo(row.path("costUsd").decimalValue()), row.toString());
                assertEquals(2, row.path("requests").asLong(), row.toString());
                assertEquals(searchInput, row.path("inputTokens").asLong(), row.toString());
            }
            teams++;
        }
        assertTrue(teams >= 2, json.toString());
        var filtered = admin.get("/admin/api/usage?" + range + "&team=search").json();
        assertEquals(1, filtered.path("rows").size(), filtered.toString());
        assertEquals(2, filtered.path("rows").get(0).path("requests").asLong(), filtered.toString());

        Http.Reply csv = admin.get("/admin/api/usage?" + range + "&groupBy=clientKey&format=csv");
        assertEquals(200, csv.status(), csv.body());
        assertTrue(csv.header("content-type").startsWith("text/csv"), csv.header("content-type"));
        List<String> lines = csv.body().lines().toList();
        assertTrue(lines.get(0).startsWith("clientKey,requests,inputTokens,"), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("web,2,")), csv.body());

        Http.Reply bad = admin.get("/admin/api/usage?period=week");
        assertEquals(400, bad.status());
        assertTrue(bad.body().contains("period must be day or hour, was 'week'"), bad.body());
        Http.Reply badGroup = admin.get("/admin/api/usage?groupBy=colour");
        assertEquals(400, badGroup.status());
        assertTrue(badGroup.body().contains("groupBy takes clientKey, team, model and provider"), badGroup.body());
        var status = admin.get("/admin/api/usage/status").json();
        assertTrue(status.path("database").asBoolean() && status.path("ready").asBoolean(), status.toString());
    }

    /**
     * The database stops mid-run: requests keep being answered, records wait in the buffer and all reach the
     * database once it is back. Then a longer outage: beyond the buffer's bound records are dropped and
     * counted, and exactly the bound's worth arrive.
     */
    @Test
    @Order(4)
    void shouldKeepRecordsThroughAnOutageUpToTheBufferAndCountTheRest() throws Exception {
        String metricsBefore = Http.get(gateway.url() + "/metrics").body();
        double droppedBefore = MetricsEndpointIT.value(metricsBefore, "crossbar_usage_records_dropped_total");
        postgres.stop();
        List<String> within = new ArrayList<>();
        for (int i = 0; i < BUFFER - 2; i++) {
            Http.Reply r = chat(i % 2 == 0 ? WEB : LONE, "while the database is away " + i);
            assertEquals(200, r.status(), "requests flow while the database is down: " + r.body());
            within.add(id(r));
        }
        AdminClient.eventually(
                Duration.ofSeconds(10),
                "the records wait in the buffer",
                () -> MetricsEndpointIT.value(
                                Http.get(gateway.url() + "/metrics").body(), "crossbar_usage_records_buffered")
                        == within.size());
        postgres.start();
        assertEquals(within.size(), awaitRows(within).size(), "no record lost within the bound");

        postgres.stop();
        List<String> beyond = new ArrayList<>();
        for (int i = 0; i < BUFFER + 5; i++) {
            beyond.add(id(chat(BATCH, "a longer outage " + i)));
        }
        // A batch out for a write that fails comes back: wait for it, then the buffer is full and five went.
        AdminClient.eventually(Duration.ofSeconds(10), "the buffer full, the rest counted dropped", () -> {
            String metrics = Http.get(gateway.url() + "/metrics").body();
            return MetricsEndpointIT.value(metrics, "crossbar_usage_records_buffered") == BUFFER
                    && MetricsEndpointIT.value(metrics, "crossbar_usage_records_dropped_total") - droppedBefore == 5;
        });
        postgres.start();
        Map<String, Map<String, Object>> kept = awaitRows(beyond.subList(0, BUFFER));
        assertEquals(BUFFER, kept.size(), "the oldest records, as many as the buffer holds, are kept");
        assertTrue(rows(beyond.subList(BUFFER, beyond.size())).isEmpty(), "the ones beyond the bound are not");
    }

    /** A node whose writer would wait an hour still leaves every record behind when it stops gracefully. */
    @Test
    @Order(5)
    void shouldFlushTheBufferWhenTheNodeStops() throws Exception {
        try (GatewayHarness slow = new GatewayHarness(
                MockConfig.of(MockConfig.defaultKeys().toArray(MockKey[]::new)),
                config(postgres.url(), Duration.ofHours(1)),
                1)) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ids.add(id(Http.post(
                        slow.url() + "/v1/chat/completions",
                        "{\"model\":\"demo-openai\",\"messages\":[{\"role\":\"user\",\"content\":\"flush " + i
                                + "\"}]}",
                        Http.bearer(WEB))));
            }
            assertTrue(rows(ids).isEmpty(), "nothing written before the interval");
            slow.node(0).stop().await(30, TimeUnit.SECONDS);
            assertEquals(ids.size(), rows(ids).size(), "the stop wrote every buffered record");
        }
    }

    private Http.Reply chat(String key, String text) throws Exception {
        return Http.post(
                gateway.url() + "/v1/chat/completions",
                "{\"model\":\"demo-openai\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}",
                Http.bearer(key));
    }

    private static String id(Http.Reply r) {
        assertEquals(200, r.status(), r.body());
        String id = r.header("x-request-id");
        assertNotNull(id, "the answer names its request id");
        return id;
    }

    /** Waits until every request's record is in the database; returns them by request id. */
    private Map<String, Map<String, Object>> awaitRows(List<String> ids) throws Exception {
        AdminClient.eventually(
                Duration.ofSeconds(30),
                ids.size() + " records in the database",
                () -> rows(ids).size() == ids.size());
        return rows(ids);
    }

    private Map<String, Map<String, Object>> rows(List<String> ids) throws SQLException {
        Map<String, Map<String, Object>> found = new HashMap<>();
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), LocalPostgres.USER, "");
                PreparedStatement s = c.prepareStatement("SELECT * FROM usage_records WHERE request_id = ANY (?)")) {
            s.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new HashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
                    }
                    assertNull(found.put(rs.getString("request_id"), row), "one record per request");
                }
            }
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                return Map.of(); // the database is starting again
            }
            throw e;
        }
        assertFalse(found.size() > ids.size(), found.toString());
        return found;
    }

    private static BigDecimal perMillion(long tokens, String rate) {
        return BigDecimal.valueOf(tokens).multiply(new BigDecimal(rate)).movePointLeft(6);
    }
}
