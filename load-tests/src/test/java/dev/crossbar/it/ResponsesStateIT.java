package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.gateway.config.GatewayConfig;
import dev.crossbar.launcher.LocalCluster;
import dev.crossbar.launcher.NodeCluster;
import dev.crossbar.launcher.Ports;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import dev.crossbar.mock.MockProviders;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Responses state across two node processes (each its own JVM and Hazelcast member) in front of a Chat
 * Completions provider, which keeps nothing: a response created through node A is continued through node B
 * with {@code previous_response_id} and with an {@code item_reference}, read and deleted through B, and is
 * a 404 in the Responses error shape for another client key and once deleted. The mock counts every input
 * message's text as tokens, so a continued turn shows the upstream got the earlier turns.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ResponsesStateIT {

    private static final String OTHER_KEY = "other-client-key";

    private NodeCluster nodes;
    private Vertx mockVertx;
    private String a;
    private String b;

    @BeforeAll
    void startTwoNodes() throws Exception {
        Path dir = Path.of("target", "responses-state").toAbsolutePath();
        Files.createDirectories(dir);
        mockVertx = Vertx.vertx();
        MockProviders mock = MockProviders.start(
                        mockVertx,
                        MockConfig.of(
                                new MockKey("sk-state-1", "openai", 1000L, 10_000_000L, 20, Duration.ofSeconds(60))))
                .await(30, TimeUnit.SECONDS);
        String mockUrl = "http://127.0.0.1:" + mock.port();
        GatewayConfig config = TestConfig.openAi("sk-state-1")
                .clientKeys(TestConfig.testClientKey(), TestConfig.clientKey("other", OTHER_KEY))
                .apply(mockUrl);
        int nodeBase = Ports.freeRun(2);
        int memberBase = Ports.freeRun(2);
        LocalCluster.Layout layout = new LocalCluster.Layout(
                "127.0.0.1",
                Ports.free(),
                List.of(nodeBase, nodeBase + 1),
                List.of(memberBase, memberBase + 1),
                "crossbar-responses-" + UUID.randomUUID());
        nodes = NodeCluster.of(
                layout, LocalCluster.writeNodeConfigs(config, layout, dir), dir, List.of("-Xmx256m"), Map.of());
        nodes.start(Duration.ofMinutes(2));
        a = nodes.node(0).url();
        b = nodes.node(1).url();
    }

    @AfterAll
    void stopNodes() throws InterruptedException {
        if (nodes != null) {
            nodes.stop(Duration.ofSeconds(30));
        }
        if (mockVertx != null) {
            mockVertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    @Test
    void shouldContinueReadAndDeleteAResponseOnAnotherNodeForItsOwnClientKeyOnly() throws Exception {
        Http.Reply first = post(a, "{\"model\":\"test-model\",\"input\":\"Paris in spring, a long first turn\"}");
        assertEquals(200, first.status(), first.body());
        String id = first.json().path("id").asText();
        String messageId = first.json().path("output").path(0).path("id").asText();
        assertTrue(id.startsWith("resp_") && !messageId.isEmpty(), first.body());

        long alone = inputTokens(post(b, "{\"model\":\"test-model\",\"input\":\"And in autumn?\"}"));
        Http.Reply continued = post(
                b,
                "{\"model\":\"test-model\",\"previous_response_id\":\"" + id
                        + "\",\"input\":\"And in autumn?\",\"stream\":true}");
        assertEquals(200, continued.status(), continued.body());
        assertTrue(continued.body().contains("echo: And in autumn?")
                || continued.body().contains(" autumn?"));
        long withHistory = inputTokens(Http.JSON.readTree(lastData(continued)).path("response"));
        assertTrue(withHistory > alone + 5, "the upstream did not get the first turn: " + withHistory + " vs " + alone);

        Http.Reply referenced = post(
                b,
                "{\"model\":\"test-model\",\"input\":[{\"role\":\"user\",\"content\":\"Paris in spring\"},"
                        + "{\"type\":\"item_reference\",\"id\":\"" + messageId + "\"},"
                        + "{\"role\":\"user\",\"content\":\"And in autumn?\"}]}");
        assertEquals(200, referenced.status(), referenced.body());
        long withoutReference = inputTokens(post(
                b,
                "{\"model\":\"test-model\",\"input\":[{\"role\":\"user\",\"content\":\"Paris in spring\"},"
                        + "{\"role\":\"user\",\"content\":\"And in autumn?\"}]}"));
        assertTrue(inputTokens(referenced) > withoutReference, "the referenced answer did not reach the upstream");

        Http.Reply got = Http.get(b + "/v1/responses/" + id, Http.bearer(GatewayHarness.CLIENT_KEY));
        assertEquals(200, got.status(), got.body());
        assertEquals(id, got.json().path("id").asText());
        assertEquals(first.json().path("output"), got.json().path("output"));
        Http.Reply items = Http.get(b + "/v1/responses/" + id + "/input_items", Http.bearer(GatewayHarness.CLIENT_KEY));
        assertEquals(200, items.status(), items.body());
        assertEquals(
                "Paris in spring, a long first turn",
                items.json().path("data").path(0).path("content").asText());

        assertNotFound(Http.get(b + "/v1/responses/" + id, Http.bearer(OTHER_KEY)), id);
        assertNotFound(Http.delete(b + "/v1/responses/" + id, Http.bearer(OTHER_KEY)), id);
        Http.Reply foreign = Http.post(
                b + "/v1/responses",
                "{\"model\":\"test-model\",\"previous_response_id\":\"" + id + "\",\"input\":\"hi\"}",
                Http.bearer(OTHER_KEY));
        assertNotFound(foreign, id);
        assertEquals(
                "previous_response_id",
                foreign.json().path("error").path("param").asText());

        Http.Reply deleted = Http.delete(b + "/v1/responses/" + id, Http.bearer(GatewayHarness.CLIENT_KEY));
        assertEquals(200, deleted.status(), deleted.body());
        assertTrue(deleted.json().path("deleted").asBoolean(), deleted.body());
        assertNotFound(Http.get(a + "/v1/responses/" + id, Http.bearer(GatewayHarness.CLIENT_KEY)), id);
        assertNotFound(
                post(a, "{\"model\":\"test-model\",\"previous_response_id\":\"" + id + "\",\"input\":\"hi\"}"), id);
    }

    @Test
    void shouldNotKeepAResponseTheClientAskedNotToStore() throws Exception {
        Http.Reply reply = post(a, "{\"model\":\"test-model\",\"input\":\"hi\",\"store\":false}");
        assertEquals(200, reply.status(), reply.body());
        String id = reply.json().path("id").asText();
        assertNotFound(Http.get(b + "/v1/responses/" + id, Http.bearer(GatewayHarness.CLIENT_KEY)), id);
    }

    @Test
    void shouldRefuseAConversationObjectByName() throws Exception {
        Http.Reply reply = post(a, "{\"model\":\"test-model\",\"input\":\"hi\",\"conversation\":\"conv_1\"}");
        assertEquals(400, reply.status(), reply.body());
        assertEquals("conversation", reply.json().path("error").path("param").asText());
        assertEquals(
                "invalid_request_error", reply.json().path("error").path("type").asText());
    }

    private static Http.Reply post(String node, String body) throws Exception {
        return Http.post(node + "/v1/responses", body, Http.bearer(GatewayHarness.CLIENT_KEY));
    }

    private static long inputTokens(Http.Reply reply) {
        assertEquals(200, reply.status(), reply.body());
        return inputTokens(reply.json());
    }

    private static long inputTokens(JsonNode response) {
        return response.path("usage").path("input_tokens").asLong();
    }

    private static String lastData(Http.Reply stream) {
        List<String> data = stream.sseData();
        for (int i = data.size() - 1; i >= 0; i--) {
            if (data.get(i).contains("\"response.completed\"")) {
                return data.get(i);
            }
        }
        throw new AssertionError("no response.completed event: " + stream.body());
    }

    /** OpenAI's 404 for a response: the Responses error shape, status 404, the id named. */
    private static void assertNotFound(Http.Reply reply, String id) {
        assertEquals(404, reply.status(), reply.body());
        JsonNode error = reply.json().path("error");
        assertTrue(error.path("message").asText().contains(id), reply.body());
        assertTrue(error.has("type") && error.has("code"), reply.body());
    }
}
