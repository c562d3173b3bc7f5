package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.gateway.config.ProviderKeyConfig;
import dev.crossbar.it.ClientProtocol.Answer;
import dev.crossbar.it.Conversation.Call;
import dev.crossbar.it.Conversation.Calls;
import dev.crossbar.it.Conversation.Result;
import dev.crossbar.it.Conversation.Results;
import dev.crossbar.mock.Fault;
import dev.crossbar.mock.FaultPlan;
import dev.crossbar.mock.KeyStats;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import dev.crossbar.mock.SeenRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Amazon Bedrock behind one real node, through the mock's Bedrock, which recomputes every request's SigV4 signature
 * with the key's secret as AWS does and refuses a wrong one with Bedrock's 403. Every client protocol in front,
 * plain and streamed (ConverseStream's binary event stream, framed by the AWS SDK's own encoder), text and tools;
 * a key whose signature is refused leaves rotation, a throttled key fails over and cools down, and a provider
 * without keys signs with the standard AWS chain (here its system properties).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BedrockEndToEndIT {

    private static final String CLIENT_KEY = "bedrock-client";
    private static final String MODEL_ID = "anthropic.claude-sonnet-4-5-20250929-v1:0";
    /** Temporary credentials: the session token must be sent and signed. */
    private static final String SESSION = "ASIASESSION0001:c2Vzc2lvbi1zZWNyZXQ/a2V5+0001:FwoGZXIvYXdzEXAMPLEtoken/+==";

    private static final String GOOD = "AKIDGOOD00000001:Z29vZC1zZWNyZXQta2V5LTAwMDE/Ab+cd";
    private static final String BAD_SIGNATURE = "AKIDBADSIG000001:cmVhbC1zZWNyZXQtb2YtdGhlLWtleQ";
    private static final String THROTTLED = "AKIDTHROTTLED001:dGhyb3R0bGVkLXNlY3JldC1rZXk";
    private static final String SPARE = "AKIDSPARE0000001:c3BhcmUtc2VjcmV0LWtleQ";
    private static final String CHAIN = "AKIDCHAIN0000001:Y2hhaW4tc2VjcmV0LWtleQ";

    private GatewayHarness gateway;

    /** A key of the AWS credential the mock knows as {@code accessKeyId:secretAccessKey[:sessionToken]}. */
    private static ProviderKeyConfig awsKey(String id, String mockSecret) {
        String[] p = mockSecret.split(":", -1);
        return new ProviderKeyConfig(id, null, null, null, null, null, null, p[0], p[1], p.length > 2 ? p[2] : null);
    }

    /**
     * Bedrock providers on the mock: temporary credentials, a refused key and a good one, a throttled key and a
     * spare, and none (the AWS chain); each with a model of its own.
     */
    static TestConfig config() {
        return TestConfig.providers(
                        bedrock("bedrock", awsKey("bedrock-session", SESSION)),
                        bedrock(
                                "bedrock-badsig",
                                awsKey("bedrock-bad", BAD_SIGNATURE.split(":", -1)[0] + ":bm90LXRoZS1zZWNyZXQ"),
                                awsKey("bedrock-good", GOOD)),
                        bedrock(
                                "bedrock-throttled",
                                awsKey("bedrock-throttled", THROTTLED),
                                awsKey("bedrock-spare", SPARE)),
                        bedrock("bedrock-chain"))
                .withNodeDefaults()
                .adminToken(AdminClient.TOKEN)
                .clientKeys(TestConfig.clientKey("test", CLIENT_KEY))
                .models(
                        TestConfig.model("claude-on-bedrock", "bedrock", "claude-sonnet-4-5"),
                        TestConfig.model("badsig", "bedrock-badsig", "claude-sonnet-4-5"),
                        TestConfig.model("throttled", "bedrock-throttled", "claude-sonnet-4-5"),
                        TestConfig.model("chain", "bedrock-chain", "claude-sonnet-4-5"))
                .maxAttempts(3)
                .queueTimeout(Duration.ofSeconds(1));
    }

    private static TestProvider bedrock(String id, ProviderKeyConfig... keys) {
        return TestProvider.onMock(id, "bedrock", "")
                .bedrock("us-east-1", Map.of("claude-sonnet-4-5", MODEL_ID))
                .keys(keys);
    }

    @BeforeAll
    void start() throws Exception {
        String[] chain = CHAIN.split(":", -1);
        System.setProperty("aws.accessKeyId", chain[0]);
        System.setProperty("aws.secretAccessKey", chain[1]);
        MockConfig mock = MockConfig.of(
                        MockKey.unlimited(SESSION, MockKey.BEDROCK),
                        MockKey.unlimited(GOOD, MockKey.BEDROCK),
                        MockKey.unlimited(BAD_SIGNATURE, MockKey.BEDROCK),
                        MockKey.unlimited(THROTTLED, MockKey.BEDROCK),
                        MockKey.unlimited(SPARE, MockKey.BEDROCK),
                        MockKey.unlimited(CHAIN, MockKey.BEDROCK))
                .withKeyFaults(Map.of(
                        THROTTLED, FaultPlan.builder().rateLimitShare(1.0).build()));
        gateway = new GatewayHarness(mock, config(), 1);
    }

    @AfterAll
    void stop() throws Exception {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        if (gateway != null) {
            gateway.close();
        }
    }

    static Stream<Arguments> matrix() {
        List<Arguments> all = new ArrayList<>();
        for (ClientProtocol c : ClientProtocol.values()) {
            all.add(Arguments.of(c, false));
            all.add(Arguments.of(c, true));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}, stream {1}")
    @MethodSource("matrix")
    void shouldAnswerThroughBedrock(ClientProtocol c, boolean stream) throws Exception {
        Exchange x = exchange(c, "claude-on-bedrock", Conversation.ask("hello there world"), stream);
        assertEquals("echo: hello there world", x.answer.text(), x.answer.raw());
        assertEquals(Answer.STOP, x.answer.finish(), x.answer.raw());
        assertEquals(tokens("hello there world"), x.answer.inputTokens(), "input tokens as the mock counted them");
        assertEquals(tokens("echo: hello there world"), x.answer.outputTokens(), x.answer.raw());
        JsonNode body = x.seen.json();
        assertEquals("user", body.at("/messages/0/role").asText(), x.seen.bodyText());
        assertEquals("hello there world", body.at("/messages/0/content/0/text").asText(), x.seen.bodyText());
        assertFalse(body.has("model"), "the model is in the path: " + x.seen.bodyText());
    }

    @ParameterizedTest(name = "{0}, stream {1}")
    @MethodSource("matrix")
    void shouldCallAToolThroughBedrockAndReadItsResult(ClientProtocol c, boolean stream) throws Exception {
        Conversation ask = Conversation.ask("Paris").withTools("get_weather", "get_time");
        Exchange first = exchange(c, "claude-on-bedrock", ask, stream);
        assertEquals(Answer.TOOL_CALLS, first.answer.finish(), first.answer.raw());
        assertEquals(1, first.answer.calls().size(), first.answer.raw());
        Call call = first.answer.calls().get(0);
        assertEquals("get_weather", call.name(), first.answer.raw());
        assertEquals(
                List.of("get_weather", "get_time"),
                first.seen.json().at("/toolConfig/tools").findValuesAsText("name"),
                first.seen.bodyText());

        String id = call.id() == null ? "call_1" : call.id();
        Conversation answered = ask.then(
                new Calls(List.of(new Call(id, call.name(), call.argumentsJson()))),
                new Results(List.of(new Result(id, "get_weather", "sunny, 21 degrees"))));
        Exchange second = exchange(c, "claude-on-bedrock", answered, stream);
        assertEquals("tool said: sunny, 21 degrees", second.answer.text(), second.answer.raw());
        assertEquals(Answer.STOP, second.answer.finish(), second.answer.raw());
        JsonNode messages = second.seen.json().path("messages");
        assertEquals(3, messages.size(), second.seen.bodyText());
        assertEquals("assistant", messages.at("/1/role").asText());
        assertEquals(
                messages.at("/1/content/0/toolUse/toolUseId").asText(),
                messages.at("/2/content/0/toolResult/toolUseId").asText(),
                "the result answers the call it names: " + second.seen.bodyText());
    }

    @Test
    void shouldTakeAKeyWhoseSignatureBedrockRefusesOutOfRotation() throws Exception {
        gateway.mock().reset();
        int sent = 0;
        // Which key a call tries first is not fixed: ask until the bad key was tried, then six more.
        while (sent < 40 && refusals(BAD_SIGNATURE) == 0) {
            askAndExpectAnAnswer("badsig", sent++);
        }
        for (int i = 0; i < 6; i++) {
            askAndExpectAnAnswer("badsig", sent++);
        }
        assertEquals(1, refusals(BAD_SIGNATURE), "a key whose signature is refused is tried once, then left out");
        assertEquals(0, gateway.mock().stats().keys().get(BAD_SIGNATURE).served());
        assertEquals(sent, gateway.mock().stats().keys().get(GOOD).served());
        JsonNode view = new AdminClient(gateway.url()).key("bedrock-bad");
        assertEquals("disabled", view.path("state").asText(), view.toString());
        assertTrue(view.path("reason").asText().startsWith("key refused: 403"), view.toString());
    }

    @Test
    void shouldFailOverFromAThrottledKeyAndCoolItDown() throws Exception {
        gateway.mock().reset();
        int sent = 0;
        while (sent < 40 && gateway.mock().stats().keys().get(THROTTLED).injected(Fault.RATE_LIMITED) == 0) {
            askAndExpectAnAnswer("throttled", sent++);
        }
        for (int i = 0; i < 4; i++) {
            askAndExpectAnAnswer("throttled", sent++);
        }
        KeyStats throttled = gateway.mock().stats().keys().get(THROTTLED);
        assertEquals(1, throttled.injected(Fault.RATE_LIMITED), "throttled once, then cooled down: " + throttled);
        assertEquals(sent, gateway.mock().stats().keys().get(SPARE).served());
        JsonNode view = new AdminClient(gateway.url()).key("bedrock-throttled");
        assertEquals("cooling_down", view.path("state").asText(), view.toString());
        assertTrue(view.path("reason").asText().startsWith("429"), view.toString());
    }

    @Test
    void shouldSignWithTheStandardAwsChainWhenTheProviderHasNoKeys() throws Exception {
        for (boolean stream : new boolean[] {false, true}) {
            Exchange x = exchange(ClientProtocol.CHAT, "chain", Conversation.ask("from the chain"), stream);
            assertEquals("echo: from the chain", x.answer.text(), x.answer.raw());
            assertTrue(
                    x.seen.header("authorization").contains("Credential=" + CHAIN.split(":", -1)[0] + "/"),
                    x.seen.headers().toString());
        }
    }

    // ---- harness ------------------------------------------------------------------------------------------

    private record Exchange(Answer answer, SeenRequest seen) {}

    private Exchange exchange(ClientProtocol c, String model, Conversation conv, boolean stream) throws Exception {
        gateway.mock().reset();
        Http.Reply r = c.send(gateway.url(), CLIENT_KEY, model, conv, stream);
        Answer answer = c.read(r, stream);
        List<SeenRequest> seen = gateway.mock().requests();
        assertEquals(1, seen.size(), "one upstream call: " + r.body());
        SeenRequest raw = seen.get(0);
        assertEquals(
                "/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/" + (stream ? "converse-stream" : "converse"),
                raw.path());
        String auth = raw.header("authorization");
        assertTrue(
                auth != null
                        && auth.startsWith("AWS4-HMAC-SHA256 Credential=")
                        && auth.contains("/us-east-1/bedrock/aws4_request"),
                raw.headers().toString());
        assertTrue(raw.header("x-amz-date") != null, raw.headers().toString());
        if ("claude-on-bedrock".equals(model)) {
            assertEquals(SESSION.split(":", -1)[2], raw.header("x-amz-security-token"), "the session token is sent");
        }
        assertFalse(
                raw.headers().values().stream().anyMatch(v -> v.contains(CLIENT_KEY)),
                "the client key stays at the gateway: " + raw.headers());
        assertTrue(answer != null, r.body());
        return new Exchange(answer, raw);
    }

    private void askAndExpectAnAnswer(String model, int n) throws Exception {
        Http.Reply r =
                ClientProtocol.CHAT.send(gateway.url(), CLIENT_KEY, model, Conversation.ask("hello " + n), false);
        assertEquals(200, r.status(), r.body());
        assertEquals("echo: hello " + n, ClientProtocol.CHAT.read(r, false).text(), r.body());
        assertFalse(r.body().contains("signature"), "Bedrock's refusal stays at the gateway: " + r.body());
    }

    private long refusals(String secret) {
        KeyStats stats = gateway.mock().stats().keys().get(secret);
        return stats == null ? 0 : stats.unauthorized();
    }

    private static long tokens(String text) {
        return (text.length() + 3L) / 4;
    }
}
