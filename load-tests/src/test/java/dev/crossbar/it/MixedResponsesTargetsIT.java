package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.gateway.config.ModelConfig;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import dev.crossbar.mock.SeenRequest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Responses client on a model whose targets are of mixed protocols (a Responses provider first, a Chat Completions
 * one after it), with the default {@code store: true}: a turn the Responses provider answered, relayed unchanged, is
 * kept by Crossbar too, so the next turn continues it with {@code previous_response_id} on the Chat target, which
 * keeps nothing. Regression: the relayed answer was not kept and the next turn was a 404.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class MixedResponsesTargetsIT {

    private static final String KEY = "mixed-responses-client";
    private GatewayHarness gateway;
    private AdminClient admin;

    @BeforeAll
    void start() throws Exception {
        gateway = new GatewayHarness(MockConfig.of(MockConfig.defaultKeys().toArray(MockKey[]::new)), config(), 1);
        admin = new AdminClient(gateway.url());
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @BeforeEach
    void bothTargetsUp() throws Exception {
        assertEquals(200, admin.post("/admin/api/keys/responses-1/enable", null).status());
        // The change reaches the node's view of the keys through the cluster's event, a moment after the admin
        // call answers: a turn sent before that would still find the key disabled and go to the Chat target.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (admin.key("responses-1").path("state").asText().equals("disabled")) {
            assertTrue(System.nanoTime() < deadline, "the node saw the key enabled within 5 s");
            Thread.sleep(10);
        }
        gateway.mock().reset();
    }

    @ParameterizedTest(name = "first turn streamed {0}")
    @ValueSource(booleans = {false, true})
    void shouldContinueOnTheChatTargetATurnTheResponsesTargetAnswered(boolean stream) throws Exception {
        Http.Reply first = Http.post(
                gateway.url() + "/v1/responses",
                "{\"model\":\"mixed\"," + (stream ? "\"stream\":true," : "") + "\"input\":\"remember the word peach\"}",
                Http.bearer(KEY));
        assertEquals(200, first.status(), first.body());
        assertEquals(1, seen("/v1/responses").size(), "the Responses target answered the first turn");
        String id = stream ? idInStream(first.body()) : first.json().path("id").asText();
        assertTrue(id.startsWith("resp_"), first.body());

        assertEquals(
                200,
                admin.post("/admin/api/keys/responses-1/disable", "{\"reason\":\"test\"}")
                        .status());
        Http.Reply second = Http.post(
                gateway.url() + "/v1/responses",
                "{\"model\":\"mixed\",\"previous_response_id\":\"" + id + "\",\"input\":\"which word?\"}",
                Http.bearer(KEY));
        assertEquals(200, second.status(), second.body());
        List<SeenRequest> chat = seen("/v1/chat/completions");
        assertEquals(1, chat.size(), "the Chat target answered the second turn");
        String sent = chat.get(0).bodyText();
        assertTrue(
                sent.contains("remember the word peach") && sent.contains("which word?"),
                "the Chat provider got the whole conversation: " + sent);
    }

    private List<SeenRequest> seen(String path) {
        return gateway.mock().requests().stream()
                .filter(r -> r.path().equals(path))
                .toList();
    }

    /** The Response's id in a stream's {@code response.completed} event. */
    private static String idInStream(String events) throws Exception {
        for (String event : events.split("\n\n", -1)) {
            if (event.startsWith("event: response.completed\n")) {
                String data = event.substring(event.indexOf("\ndata: ") + "\ndata: ".length());
                return Http.JSON.readTree(data).path("response").path("id").asText();
            }
        }
        throw new AssertionError("no response.completed event in " + events);
    }

    /** One model on the Responses API first, then on Chat Completions. */
    static TestConfig config() {
        return TestConfig.provider("mock-responses", "openai", "/v1", "gpt-5-mini")
                .withNodeDefaults()
                .adminToken(AdminClient.TOKEN)
                .api("responses")
                .keys(TestConfig.key("responses-1", "mock-openai-1"))
                .clientKeys(TestConfig.clientKey("agent", KEY))
                .andProvider(TestConfig.mockProvider(
                        "mock-chat", "openai", "/v1", TestConfig.key("chat-1", "mock-openai-2")))
                .models(new ModelConfig(
                        "mixed",
                        null,
                        List.of(
                                new ModelConfig.TargetConfig("mock-responses", "gpt-5-mini", null),
                                new ModelConfig.TargetConfig("mock-chat", "gpt-4o-mini", null)),
                        null));
    }
}
