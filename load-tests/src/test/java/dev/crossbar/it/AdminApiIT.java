package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** The admin API on a two-node cluster: auth, the cluster and key views, and key changes seen on both nodes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class AdminApiIT {

    static final String SECRET_ONE = "sk-test-one-0123456789";
    static final String SECRET_TWO = "sk-test-two-0123456789";
    static final String SECRET_THREE = "sk-test-three-0123456789";
    static final String SECRET_NEW = "sk-test-new-9876543210";
    private static final Duration PROPAGATION = Duration.ofSeconds(2);
    private static final String HELLO = """
            {"model":"test-model","messages":[{"role":"user","content":"hello there"}]}""";

    private GatewayHarness gateway;
    private AdminClient nodeA;
    private AdminClient nodeB;

    @BeforeAll
    void start() throws Exception {
        gateway = new GatewayHarness(
                MockConfig.of(
                        MockKey.unlimited(SECRET_ONE, "openai"),
                        MockKey.unlimited(SECRET_TWO, "openai"),
                        MockKey.unlimited(SECRET_THREE, "openai"),
                        MockKey.unlimited(SECRET_NEW, "openai")),
                TestConfig.openAi(
                        SECRET_ONE + ":600:100000:10", SECRET_TWO + ":600:100000:10", SECRET_THREE + ":600:100000:10"),
                2);
        nodeA = new AdminClient(gateway.url(0));
        nodeB = new AdminClient(gateway.url(1));
    }

    @AfterAll
    void stop() throws Exception {
        gateway.close();
    }

    @Test
    void shouldRefuseAWrongTokenWith401AndNeverLogTheToken() throws Exception {
        Logger log = (Logger) LoggerFactory.getLogger("dev.crossbar.gateway.admin.AdminApi");
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        log.addAppender(captured);
        Level before = log.getLevel();
        log.setLevel(Level.DEBUG);
        try {
            String wrong = "wrong-token-4c1d9e";
            Http.Reply r = new AdminClient(gateway.url(0), wrong).get("/admin/api/keys");
            assertEquals(401, r.status(), r.body());
            assertEquals("authentication_error", r.json().at("/error/type").asText());
            assertTrue(r.header("www-authenticate").startsWith("Bearer"));
            assertFalse(r.body().contains(wrong));
            Http.Reply none = new AdminClient(gateway.url(0), null).get("/admin/api/cluster");
            assertEquals(401, none.status());
            assertEquals(
                    401,
                    new AdminClient(gateway.url(1), wrong)
                            .post("/admin/api/keys/key-1/disable", "{}")
                            .status());
            assertTrue(captured.list.size() >= 2, "refusals are logged");
            for (ILoggingEvent e : captured.list) {
                assertFalse(e.getFormattedMessage().contains(wrong), e.getFormattedMessage());
                assertFalse(e.getFormattedMessage().contains("wrong-token"), e.getFormattedMessage());
            }
            assertTrue(captured.list.get(0).getFormattedMessage().contains("wrong token"));
        } finally {
            log.detachAppender(captured);
            log.setLevel(before);
        }
        JsonNode key = nodeA.key("key-1");
        assertFalse("disabled".equals(key.path("state").asText()), "the refused disable changed nothing");
    }

    @Test
    void shouldAnswer403WhenNoAdminTokenIsConfigured() throws Exception {
        TestConfig config = TestConfig.openAi(SECRET_ONE).withoutAdmin();
        try (GatewayHarness bare =
                new GatewayHarness(MockConfig.of(MockKey.unlimited(SECRET_ONE, "openai")), config, 1)) {
            Http.Reply r = new AdminClient(bare.url(), "anything-at-all").get("/admin/api/keys");
            assertEquals(403, r.status(), r.body());
            assertTrue(r.json().at("/error/message").asText().contains("disabled"));
            assertEquals(
                    403,
                    new AdminClient(bare.url(), null).get("/admin/api/cluster").status());
            Http.Reply page = Http.get(bare.url() + "/admin");
            assertEquals(403, page.status());
            assertTrue(page.body().contains("disabled"));
        }
    }

    @Test
    void shouldShowBothMembersWithTheirNumbers() throws Exception {
        AdminClient.eventually(Duration.ofSeconds(5), "both members report", () -> {
            JsonNode c = nodeB.get("/admin/api/cluster").json();
            int reporting = 0;
            for (JsonNode m : c.path("members")) {
                reporting += m.path("reporting").asBoolean() ? 1 : 0;
            }
            return c.path("size").asInt() == 2 && reporting == 2;
        });
        JsonNode cluster = nodeA.get("/admin/api/cluster").json();
        assertTrue(cluster.path("cluster").asText().startsWith("crossbar-it-"));
        assertEquals(gateway.node(0).memberId(), cluster.path("self").asText());
        Set<String> ids = new HashSet<>();
        for (JsonNode m : cluster.path("members")) {
            ids.add(m.path("id").asText());
            assertTrue(m.path("address").asText().startsWith("127.0.0.1:"));
            assertTrue(m.path("http").asText().startsWith("http://127.0.0.1:"));
            assertTrue(m.path("uptimeSeconds").asLong() >= 0);
            assertTrue(m.has("requestsPerSecond"));
            assertTrue(m.has("inFlight"));
            assertFalse(m.path("version").asText().isEmpty());
            assertEquals(
                    m.path("id").asText().equals(gateway.node(0).memberId()),
                    m.path("self").asBoolean());
        }
        assertEquals(Set.of(gateway.node(0).memberId(), gateway.node(1).memberId()), ids);
    }

    @Test
    void shouldListEveryKeyWithItsFingerprintAndNeverItsSecret() throws Exception {
        chat(gateway.url(0));
        Http.Reply r = nodeB.get("/admin/api/keys");
        assertEquals(200, r.status());
        assertEquals("application/json", r.header("content-type"));
        for (String secret : new String[] {SECRET_ONE, SECRET_TWO, SECRET_THREE}) {
            assertFalse(r.body().contains(secret), "no secret in the admin API");
            assertFalse(r.body().contains(secret.substring(3, 12)), "not even part of one");
        }
        JsonNode keys = r.json().path("keys");
        assertTrue(keys.size() >= 3);
        JsonNode one = nodeB.key("key-1");
        assertEquals("mock-openai", one.path("provider").asText());
        assertEquals("sk-...6789", one.path("fingerprint").asText());
        assertEquals(600, one.at("/limits/requests").asLong());
        assertEquals(100_000, one.at("/limits/tokens").asLong());
        assertEquals(10, one.at("/limits/concurrent").asInt());
        assertEquals(60_000, one.at("/limits/windowMillis").asLong());
        assertEquals(600, one.at("/use/requests/limit").asLong());
        assertTrue(one.at("/use/requests/ratio").isNumber());
        assertTrue(one.at("/use/tokens/used").isNumber());
        assertTrue(one.path("headroom").asDouble() > 0 && one.path("headroom").asDouble() <= 1);
        assertTrue(one.at("/stats/successes").isNumber());
        assertTrue(one.path("leases").isArray());
        assertTrue(one.path("nodes").isArray());
        assertTrue(r.json().path("clientKeys").isArray());
        Http.Reply single = nodeA.get("/admin/api/keys/key-2");
        assertEquals(200, single.status());
        assertEquals("key-2", single.json().path("id").asText());
        assertEquals(404, nodeA.get("/admin/api/keys/no-such-key").status());
    }

    @Test
    void shouldShowModelsWithTheHealthOfTheirTargets() throws Exception {
        JsonNode models = nodeA.get("/admin/api/models").json().path("models");
        assertEquals(1, models.size());
        JsonNode m = models.get(0);
        assertEquals("test-model", m.path("name").asText());
        JsonNode target = m.at("/targets/0");
        assertEquals("mock-openai", target.path("provider").asText());
        assertEquals("gpt-test", target.path("model").asText());
        assertTrue(target.path("keysTotal").asInt() >= 3);
        assertTrue(target.path("keysUsable").asInt() >= 1);
    }

    @Test
    void shouldAddDisableEnableAndDeleteAKeyOnEveryNodeAtOnce() throws Exception {
        String add = """
                {"id":"key-added","provider":"mock-openai","secret":"%s","requests":120,"tokens":50000,
                 "concurrent":4,"window":"30s","weight":2}""".formatted(SECRET_NEW);
        Http.Reply added = nodeA.post("/admin/api/keys", add);
        assertEquals(201, added.status(), added.body());
        assertEquals("sk-...3210", added.json().path("fingerprint").asText());
        assertFalse(added.body().contains(SECRET_NEW));
        AdminClient.eventually(PROPAGATION, "node B lists the added key with its limits", () -> {
            JsonNode k = nodeB.key("key-added");
            return k != null
                    && k.at("/limits/requests").asLong() == 120
                    && k.at("/limits/windowMillis").asLong() == 30_000
                    && "active".equals(k.path("state").asText());
        });
        assertEquals(409, nodeB.post("/admin/api/keys", add).status(), "the id is taken");

        Http.Reply disabled = nodeA.post("/admin/api/keys/key-added/disable", "{\"reason\":\"rotating\"}");
        assertEquals(200, disabled.status(), disabled.body());
        AdminClient.eventually(PROPAGATION, "node B shows the key disabled", () -> {
            JsonNode k = nodeB.key("key-added");
            return "disabled".equals(k.path("state").asText())
                    && "rotating".equals(k.path("reason").asText());
        });

        assertEquals(200, nodeB.post("/admin/api/keys/key-added/enable", null).status());
        AdminClient.eventually(PROPAGATION, "node A shows the key back in rotation", () -> {
            String state = nodeA.key("key-added").path("state").asText();
            return state.equals("active") || state.equals("probing");
        });

        Http.Reply deleted = nodeB.delete("/admin/api/keys/key-added");
        assertEquals(200, deleted.status(), deleted.body());
        AdminClient.eventually(PROPAGATION, "node A no longer lists the key", () -> nodeA.key("key-added") == null);
        assertEquals(404, nodeA.delete("/admin/api/keys/key-added").status());
        assertEquals(404, nodeA.post("/admin/api/keys/key-added/disable", "{}").status());
    }

    @Test
    void shouldStopUsingKeysDisabledThroughTheOtherNode() throws Exception {
        try {
            assertEquals(200, nodeB.post("/admin/api/keys/key-1/disable", "{}").status());
            assertEquals(200, nodeB.post("/admin/api/keys/key-2/disable", "{}").status());
            AdminClient.eventually(
                    PROPAGATION,
                    "node A sees both disabled",
                    () -> "disabled".equals(nodeA.key("key-1").path("state").asText())
                            && "disabled"
                                    .equals(nodeA.key("key-2").path("state").asText()));
            long before = gateway.mock().stats().keys().get(SECRET_THREE).served();
            for (int i = 0; i < 4; i++) {
                assertEquals(200, chat(gateway.url(0)).status());
            }
            assertEquals(
                    before + 4,
                    gateway.mock().stats().keys().get(SECRET_THREE).served(),
                    "only the key left enabled served");
        } finally {
            nodeA.post("/admin/api/keys/key-1/enable", null);
            nodeA.post("/admin/api/keys/key-2/enable", null);
            // Other tests of this class read these keys through node B: let them find them enabled there.
            AdminClient.eventually(
                    PROPAGATION,
                    "node B sees key-1 and key-2 enabled again",
                    () -> !"disabled".equals(nodeB.key("key-1").path("state").asText())
                            && !"disabled"
                                    .equals(nodeB.key("key-2").path("state").asText()));
        }
    }

    @Test
    void shouldCreateAClientKeyOnOneNodeUseItOnTheOtherAndDeleteIt() throws Exception {
        Http.Reply created = nodeA.post(
                "/admin/api/client-keys",
                "{\"name\":\"team-a\",\"models\":[\"test-model\"],\"requests\":100,\"window\":\"10s\"}");
        assertEquals(201, created.status(), created.body());
        String key = created.json().path("key").asText();
        assertTrue(key.startsWith("cbk-") && key.length() > 40, "a generated key, shown once: " + key);
        assertEquals(100, created.json().at("/limits/requests").asLong());
        assertEquals(
                409,
                nodeB.post("/admin/api/client-keys", "{\"name\":\"team-a\"}").status(),
                "the name is taken");

        AdminClient.eventually(
                PROPAGATION,
                "node B accepts the new client key",
                () -> Http.post(gateway.url(1) + "/v1/chat/completions", HELLO, Http.bearer(key))
                                .status()
                        == 200);
        Http.Reply listed = nodeB.get("/admin/api/client-keys");
        assertEquals(200, listed.status());
        assertFalse(listed.body().contains(key), "the key is never shown again");
        assertTrue(listed.body().contains("\"team-a\""), listed.body());
        assertNotNull(
                clientLedgerEntry(nodeB.get("/admin/api/keys").json(), "client:team-a"),
                "its own limits are counted in the ledger");

        assertEquals(200, nodeB.delete("/admin/api/client-keys/team-a").status());
        AdminClient.eventually(
                PROPAGATION,
                "node A refuses the deleted client key",
                () -> Http.post(gateway.url(0) + "/v1/chat/completions", HELLO, Http.bearer(key))
                                .status()
                        == 401);
        assertEquals(404, nodeA.delete("/admin/api/client-keys/team-a").status());
        assertEquals(200, chat(gateway.url(0)).status(), "the configured client key still works");
    }

    @Test
    void shouldRefuseBadClientKeysWithAClear400() throws Exception {
        String[][] cases = {
            {"{\"models\":[\"test-model\"]}", "name is required"},
            {"{\"name\":\"x y\"}", "name must be"},
            {"{\"name\":\"ok\",\"key\":\"short\"}", "key must be 16 to 256 characters"},
            {"{\"name\":\"ok\",\"models\":[]}", "models must be"},
            {"{\"name\":\"ok\",\"requests\":-1}", "requests must be >= 0"},
            {"{\"name\":\"ok\",\"secret\":\"x\"}", "unknown field 'secret'"},
            {"[1]", "must be a JSON object"},
        };
        for (String[] c : cases) {
            Http.Reply r = nodeA.post("/admin/api/client-keys", c[0]);
            assertEquals(400, r.status(), c[0] + " -> " + r.body());
            assertTrue(r.json().at("/error/message").asText().contains(c[1]), c[0] + " -> " + r.body());
        }
        assertEquals(405, nodeA.send("PUT", "/admin/api/client-keys", "{}").status());
    }

    private static JsonNode clientLedgerEntry(JsonNode keys, String id) {
        for (JsonNode k : keys.path("clientKeys")) {
            if (k.path("id").asText().equals(id)) {
                return k;
            }
        }
        return null;
    }

    @Test
    void shouldRefuseBadKeysWithAClear400() throws Exception {
        assertBad("{\"provider\":\"mock-openai\",\"secret\":\"sk-abcdefghijklmnop\"}", "id is required");
        assertBad("{\"id\":\"k 1\",\"provider\":\"mock-openai\",\"secret\":\"sk-abcdefghijklmnop\"}", "id must be");
        assertBad(
                "{\"id\":\"k1\",\"provider\":\"nope\",\"secret\":\"sk-abcdefghijklmnop\"}", "provider must be one of");
        assertBad("{\"id\":\"k1\",\"provider\":\"mock-openai\"}", "secret is required");
        assertBad(
                "{\"id\":\"k1\",\"provider\":\"mock-openai\",\"secret\":\"sk-x\",\"requests\":-5}",
                "requests must be >= 0");
        assertBad(
                "{\"id\":\"k1\",\"provider\":\"mock-openai\",\"secret\":\"sk-x\",\"tokens\":\"many\"}",
                "tokens must be a whole number");
        assertBad("{\"id\":\"k1\",\"provider\":\"mock-openai\",\"secret\":\"sk-x\",\"window\":\"soon\"}", "window");
        assertBad(
                "{\"id\":\"k1\",\"provider\":\"mock-openai\",\"secret\":\"sk-x\",\"window\":60}",
                "window must be between 1s and 24h");
        assertBad("{\"id\":\"k1\",\"provider\":\"mock-openai\",\"secret\":\"sk-x\",\"weight\":0}", "weight must be");
        assertBad("{\"id\":\"k1\",\"provider\":\"mock-openai\",\"secret\":\"sk-x\",\"rpm\":5}", "unknown field 'rpm'");
        assertBad("{\"id\":", "not valid JSON");
        assertBad("[1,2]", "must be a JSON object");
        assertEquals(
                409,
                nodeA.post(
                                "/admin/api/keys",
                                "{\"id\":\"key-1\",\"provider\":\"mock-openai\",\"secret\":\"sk-abcdefghijklmnop\"}")
                        .status());
        Http.Reply wrongMethod = nodeA.send("PUT", "/admin/api/cluster", "{}");
        assertEquals(405, wrongMethod.status());
        assertEquals("GET", wrongMethod.header("allow"));
        assertEquals(404, nodeA.get("/admin/api/nothing-here").status());
        assertNull(nodeA.key("k1"), "nothing was added");
    }

    @Test
    void shouldServeTheDashboardPage() throws Exception {
        Http.Reply page = Http.get(gateway.url(1) + "/admin");
        assertEquals(200, page.status());
        assertTrue(page.header("content-type").startsWith("text/html"));
        assertNotNull(page.header("content-security-policy"));
        assertTrue(page.body().contains("/admin/dashboard.js"));
        assertEquals(200, Http.get(gateway.url(1) + "/admin/dashboard.js").status());
        assertEquals(200, Http.get(gateway.url(1) + "/admin/dashboard.css").status());
        assertEquals(404, Http.get(gateway.url(1) + "/admin/nope.js").status());
    }

    private static Http.Reply chat(String url) throws Exception {
        return Http.post(url + "/v1/chat/completions", HELLO, Http.bearer(GatewayHarness.CLIENT_KEY));
    }

    private void assertBad(String body, String expected) throws Exception {
        Http.Reply r = nodeA.post("/admin/api/keys", body);
        assertEquals(400, r.status(), body + " -> " + r.body());
        String message = r.json().at("/error/message").asText();
        assertTrue(message.contains(expected), "'" + message + "' should say '" + expected + "'");
        assertEquals("invalid_request_error", r.json().at("/error/type").asText());
    }
}
