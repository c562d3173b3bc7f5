package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.crossbar.gateway.config.ModelConfig;
import dev.crossbar.gateway.config.ProviderKeyConfig;
import dev.crossbar.it.ClientProtocol.Answer;
import dev.crossbar.it.Conversation.Call;
import dev.crossbar.it.Conversation.Calls;
import dev.crossbar.it.Conversation.Result;
import dev.crossbar.it.Conversation.Results;
import dev.crossbar.it.Conversation.User;
import dev.crossbar.it.UpstreamProtocol.Msg;
import dev.crossbar.it.UpstreamProtocol.Sent;
import dev.crossbar.mock.FaultPlan;
import dev.crossbar.mock.KeyStats;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import dev.crossbar.mock.SeenRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every client protocol (Chat Completions, Responses, Anthropic Messages, Gemini) against every upstream
 * protocol (the mock's OpenAI, Anthropic and Gemini providers), plain and streamed, through one real
 * node: the client must get a valid answer in its own protocol, and the mock must have received the
 * request correctly translated (checked on the request the mock kept, and on its deterministic reply:
 * {@code echo: <last user text>}, a call to the first tool, {@code tool said: <result>}). Upstream
 * failures must reach the client in its protocol's error shape with a truthful status.
 *
 * <p>The models are the demo's three; each failure test gets a provider of its own (two keys), because
 * failing keys cool down and would disturb the tests after it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CrossProtocolEndToEndIT {

    private static final String CLIENT_KEY = "cross-protocol-client";
    /** Fault providers per upstream protocol: more than the failure tests use. */
    private static final int FAULT_PROVIDERS = 32;

    private GatewayHarness gateway;
    private final Map<UpstreamProtocol, Integer> faultProvidersUsed = new EnumMap<>(UpstreamProtocol.class);

    @BeforeAll
    void start() throws Exception {
        List<MockKey> keys = new ArrayList<>(MockConfig.defaultKeys());
        for (UpstreamProtocol u : UpstreamProtocol.values()) {
            for (int i = 0; i < FAULT_PROVIDERS; i++) {
                keys.add(MockKey.unlimited(faultProvider(u, i) + "-a", u.keys));
                keys.add(MockKey.unlimited(faultProvider(u, i) + "-b", u.keys));
            }
        }
        gateway = new GatewayHarness(MockConfig.of(keys.toArray(MockKey[]::new)), config(), 1);
    }

    /**
     * Per upstream protocol, its provider on the mock (three keys) and {@link #FAULT_PROVIDERS} more with two keys
     * each, every one with a model of its own.
     */
    static TestConfig config() {
        List<TestProvider> providers = new ArrayList<>();
        List<ModelConfig> models = new ArrayList<>();
        for (UpstreamProtocol u : UpstreamProtocol.values()) {
            String path = u == UpstreamProtocol.GEMINI ? "/v1beta" : "/v1";
            String id = "mock-" + u.provider;
            providers.add(TestProvider.onMock(id, u.type(), path)
                    .api(u.api)
                    .keys(
                            ProviderKeyConfig.of(u.provider + "-1", "mock-" + u.keys + "-1"),
                            ProviderKeyConfig.of(u.provider + "-2", "mock-" + u.keys + "-2"),
                            ProviderKeyConfig.of(u.provider + "-3", "mock-" + u.keys + "-3")));
            models.add(TestConfig.model(u.model, id, u.upstreamModel));
            for (int i = 0; i < FAULT_PROVIDERS; i++) {
                String fault = faultProvider(u, i);
                providers.add(TestProvider.onMock(fault, u.type(), path)
                        .api(u.api)
                        .keys(
                                ProviderKeyConfig.of(fault + "-a", fault + "-a"),
                                ProviderKeyConfig.of(fault + "-b", fault + "-b")));
                models.add(TestConfig.model(fault, fault, u.upstreamModel));
            }
        }
        return TestConfig.providers(providers.toArray(TestProvider[]::new))
                .withNodeDefaults()
                .clientKeys(TestConfig.clientKey("test", CLIENT_KEY))
                .models(models.toArray(ModelConfig[]::new))
                .maxAttempts(4)
                .queueTimeout(Duration.ofSeconds(2));
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @BeforeEach
    void forgetRequests() {
        gateway.mock().reset();
    }

    @Test
    void shouldForwardCountTokensToAnAnthropicTargetAndEstimateForOthers() throws Exception {
        String body = """
                {"model":"%s","system":"be brief","messages":[{"role":"user","content":"count these words please"}]}""";
        Http.Reply forwarded = Http.post(
                gateway.url() + "/v1/messages/count_tokens",
                body.formatted(UpstreamProtocol.ANTHROPIC.model),
                "x-api-key",
                CLIENT_KEY,
                "anthropic-version",
                "2023-06-01");
        assertEquals(200, forwarded.status(), forwarded.body());
        SeenRequest seen = gateway.mock().lastRequest();
        assertEquals("/v1/messages/count_tokens", seen.path(), "counted by the provider");
        assertEquals(
                UpstreamProtocol.ANTHROPIC.upstreamModel,
                seen.json().path("model").asText());
        assertTrue(
                seen.headers().get("x-api-key").startsWith("mock-anthropic-"),
                seen.headers().toString());
        assertEquals(8, forwarded.json().path("input_tokens").asInt(), "the mock's count: 32 characters / 4");

        gateway.mock().reset();
        Http.Reply estimated = Http.post(
                gateway.url() + "/v1/messages/count_tokens",
                body.formatted(UpstreamProtocol.GEMINI.model),
                "x-api-key",
                CLIENT_KEY,
                "anthropic-version",
                "2023-06-01");
        assertEquals(200, estimated.status(), estimated.body());
        assertTrue(estimated.json().path("input_tokens").asInt() > 0, estimated.body());
        assertTrue(gateway.mock().requests().isEmpty(), "no Anthropic target: estimated, no upstream call");
    }

    @Test
    void shouldRefuseEmbeddingsForAModelNoOpenAiCompatibleProviderServes() throws Exception {
        Http.Reply r = Http.post(
                gateway.url() + "/v1/embeddings",
                "{\"model\":\"" + UpstreamProtocol.ANTHROPIC.model + "\",\"input\":\"hello\"}",
                Http.bearer(CLIENT_KEY));
        assertEquals(400, r.status(), r.body());
        assertEquals("model", r.json().at("/error/param").asText(), r.body());
        assertTrue(gateway.mock().requests().isEmpty(), "nothing was sent upstream");
    }

    @Test
    void shouldForwardEmbeddingsToAProviderSpokenToInTheResponsesApi() throws Exception {
        Http.Reply r = Http.post(
                gateway.url() + "/v1/embeddings",
                "{\"model\":\"" + UpstreamProtocol.RESPONSES.model + "\",\"input\":\"hello\"}",
                Http.bearer(CLIENT_KEY));
        assertEquals(200, r.status(), r.body());
        assertEquals(8, r.json().at("/data/0/embedding").size(), r.body());
        SeenRequest seen = gateway.mock().lastRequest();
        assertEquals("/v1/embeddings", seen.path());
        assertEquals(
                UpstreamProtocol.RESPONSES.upstreamModel,
                seen.json().path("model").asText());
    }

    static Stream<Arguments> matrix() {
        List<Arguments> all = new ArrayList<>();
        for (ClientProtocol c : ClientProtocol.values()) {
            for (UpstreamProtocol u : UpstreamProtocol.values()) {
                all.add(Arguments.of(c, u, false));
                all.add(Arguments.of(c, u, true));
            }
        }
        return all.stream();
    }

    static Stream<Arguments> pairs() {
        List<Arguments> all = new ArrayList<>();
        for (ClientProtocol c : ClientProtocol.values()) {
            for (UpstreamProtocol u : UpstreamProtocol.values()) {
                all.add(Arguments.of(c, u));
            }
        }
        return all.stream();
    }

    // ---- answers ---------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} -> {1}, stream {2}")
    @MethodSource("matrix")
    void shouldTranslatePlainText(ClientProtocol c, UpstreamProtocol u, boolean stream) throws Exception {
        Exchange x = exchange(c, u, Conversation.ask("hello there world"), stream);
        assertEquals("echo: hello there world", x.answer.text(), x.answer.raw());
        assertEquals(Answer.STOP, x.answer.finish(), x.answer.raw());
        assertTrue(x.answer.calls().isEmpty(), x.answer.raw());
        assertEquals(List.of("user"), x.sent.roles(), x.sent.toString());
        assertEquals(null, x.sent.system(), x.sent.toString());
        assertEquals(tokens("hello there world"), x.answer.inputTokens(), "input tokens as the mock counted them");
        assertEquals(tokens("echo: hello there world"), x.answer.outputTokens(), x.answer.raw());
    }

    /**
     * Every kind of token a provider bills reaches the client in its protocol's words, and a streamed answer
     * says the same as the same answer unstreamed: the mock reports cache reads, 5-minute and 1-hour cache
     * writes and reasoning in the upstream's own fields, the gateway reads them, and the client reads them in
     * its own. What a protocol has no field for is carried where it belongs (Gemini reports no cache writes,
     * so they are plain prompt tokens; only Anthropic tells the 1-hour writes apart).
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("pairs")
    void shouldReportEveryKindOfTokenTheSameStreamedAndNot(ClientProtocol c, UpstreamProtocol u) throws Exception {
        String text = "hello mock:usage cache_read=1000 cache_write_5m=300 cache_write_1h=200 reasoning=40";
        Exchange plain = exchange(c, u, Conversation.ask(text), false);
        Exchange streamed = exchange(c, u, Conversation.ask(text), true);
        assertEquals(plain.answer.usage(), streamed.answer.usage(), streamed.answer.raw());

        long reads = 1000;
        long writes = u == UpstreamProtocol.GEMINI ? 0 : 500;
        long writes1h = u == UpstreamProtocol.ANTHROPIC ? 200 : 0;
        long input = tokens(text) + 1500;
        long reasoning = 40;
        long output = tokens("echo: " + text) + reasoning;
        var usage = plain.answer.usage();
        switch (c) {
            case CHAT -> {
                assertEquals(input, usage.path("prompt_tokens").asLong(), usage.toString());
                assertEquals(
                        reads, usage.at("/prompt_tokens_details/cached_tokens").asLong(), usage.toString());
                assertEquals(
                        writes,
                        usage.at("/prompt_tokens_details/cache_write_tokens").asLong(),
                        usage.toString());
                assertEquals(output, usage.path("completion_tokens").asLong(), usage.toString());
                assertEquals(
                        reasoning,
                        usage.at("/completion_tokens_details/reasoning_tokens").asLong(),
                        usage.toString());
            }
            case RESPONSES -> {
                assertEquals(input, usage.path("input_tokens").asLong(), usage.toString());
                assertEquals(
                        reads, usage.at("/input_tokens_details/cached_tokens").asLong(), usage.toString());
                assertEquals(
                        writes,
                        usage.at("/input_tokens_details/cache_write_tokens").asLong(),
                        usage.toString());
                assertEquals(output, usage.path("output_tokens").asLong(), usage.toString());
                assertEquals(
                        reasoning,
                        usage.at("/output_tokens_details/reasoning_tokens").asLong(),
                        usage.toString());
            }
            case ANTHROPIC -> {
                assertEquals(input - reads - writes, usage.path("input_tokens").asLong(), usage.toString());
                assertEquals(reads, usage.path("cache_read_input_tokens").asLong(), usage.toString());
                assertEquals(writes, usage.path("cache_creation_input_tokens").asLong(), usage.toString());
                assertEquals(
                        writes - writes1h,
                        usage.at("/cache_creation/ephemeral_5m_input_tokens").asLong(),
                        usage.toString());
                assertEquals(
                        writes1h,
                        usage.at("/cache_creation/ephemeral_1h_input_tokens").asLong(),
                        usage.toString());
                assertEquals(output, usage.path("output_tokens").asLong(), usage.toString());
                assertEquals(
                        reasoning,
                        usage.at("/output_tokens_details/thinking_tokens").asLong(),
                        usage.toString());
            }
            case GEMINI -> {
                assertEquals(input, usage.path("promptTokenCount").asLong(), usage.toString());
                assertEquals(reads, usage.path("cachedContentTokenCount").asLong(), usage.toString());
                assertEquals(
                        output - reasoning, usage.path("candidatesTokenCount").asLong(), usage.toString());
                assertEquals(reasoning, usage.path("thoughtsTokenCount").asLong(), usage.toString());
            }
        }
    }

    @ParameterizedTest(name = "{0} -> {1}, stream {2}")
    @MethodSource("matrix")
    void shouldCarryTextBeyondAscii(ClientProtocol c, UpstreamProtocol u, boolean stream) throws Exception {
        String text = "héllo wörld — naïve 你好 👋 \"quoted\" \\ back\\slash\ttab";
        Exchange x = exchange(c, u, Conversation.ask(text), stream);
        assertEquals("echo: " + text, x.answer.text(), x.answer.raw());
        assertEquals(text, x.sent.last().text(), x.sent.toString());
    }

    @ParameterizedTest(name = "{0} -> {1}, stream {2}")
    @MethodSource("matrix")
    void shouldCarryTheSystemPromptAndTheHistory(ClientProtocol c, UpstreamProtocol u, boolean stream)
            throws Exception {
        Conversation conv = Conversation.of(
                        new User("first question", false),
                        new Conversation.Assistant("first answer"),
                        new User("second question", false))
                .withSystem("You answer briefly.");
        Exchange x = exchange(c, u, conv, stream);
        assertEquals("echo: second question", x.answer.text(), x.answer.raw());
        assertEquals("You answer briefly.", x.sent.system(), x.sent.toString());
        assertEquals(List.of("user", "assistant", "user"), x.sent.roles(), x.sent.toString());
        assertEquals(
                List.of("first question", "first answer", "second question"),
                x.sent.messages().stream().map(Msg::text).toList(),
                x.sent.toString());
        assertEquals(
                tokens("You answer briefly." + "first question" + "first answer" + "second question"),
                x.answer.inputTokens(),
                "the mock read the system prompt and every turn");
    }

    @ParameterizedTest(name = "{0} -> {1}, stream {2}")
    @MethodSource("matrix")
    void shouldCallAToolAndReadItsResult(ClientProtocol c, UpstreamProtocol u, boolean stream) throws Exception {
        Conversation ask = Conversation.ask("Paris").withTools("get_weather", "get_time");
        Exchange first = exchange(c, u, ask, stream);
        assertEquals(Answer.TOOL_CALLS, first.answer.finish(), first.answer.raw());
        assertEquals("", first.answer.text(), first.answer.raw());
        assertEquals(1, first.answer.calls().size(), first.answer.raw());
        Call call = first.answer.calls().get(0);
        assertEquals("get_weather", call.name(), first.answer.raw());
        assertEquals(
                ClientProtocol.json("{\"city\":\"Paris\"}"),
                ClientProtocol.json(call.argumentsJson()),
                first.answer.raw());
        if (c != ClientProtocol.GEMINI) {
            assertNotNull(call.id(), "the call has an id to answer: " + first.answer.raw());
        }
        assertEquals(List.of("get_weather", "get_time"), first.sent.tools(), first.sent.toString());
        assertTrue(first.answer.outputTokens() > 0, first.answer.raw());

        String id = call.id() == null ? "call_1" : call.id();
        Conversation answered = ask.then(
                new Calls(List.of(new Call(id, call.name(), call.argumentsJson()))),
                new Results(List.of(new Result(id, "get_weather", "sunny, 21 degrees"))));
        Exchange second = exchange(c, u, answered, stream);
        assertEquals("tool said: sunny, 21 degrees", second.answer.text(), second.answer.raw());
        assertEquals(Answer.STOP, second.answer.finish(), second.answer.raw());
        assertResultsAnswerCalls(second.sent, 1);
    }

    @ParameterizedTest(name = "{0} -> {1}, stream {2}")
    @MethodSource("matrix")
    void shouldNotCallAToolWhenTheToolChoiceIsNone(ClientProtocol c, UpstreamProtocol u, boolean stream)
            throws Exception {
        Exchange x = exchange(
                c, u, Conversation.ask("Paris").withTools("get_weather").withToolsOff(), stream);
        assertEquals("echo: Paris", x.answer.text(), x.answer.raw());
        assertEquals(Answer.STOP, x.answer.finish(), x.answer.raw());
        assertEquals("none", x.sent.toolChoice(), x.sent.toString());
    }

    @ParameterizedTest(name = "{0} -> {1}, stream {2}")
    @MethodSource("matrix")
    void shouldCarryParallelToolCallsAndTheirResults(ClientProtocol c, UpstreamProtocol u, boolean stream)
            throws Exception {
        Conversation conv = Conversation.of(
                        new User("weather and time in Rome", false),
                        new Calls(List.of(
                                new Call("call_w1", "get_weather", "{\"city\":\"Rome\"}"),
                                new Call("call_t2", "get_time", "{\"city\":\"Rome\"}"))),
                        new Results(List.of(
                                new Result("call_w1", "get_weather", "sunny"),
                                new Result("call_t2", "get_time", "noon"))))
                .withTools("get_weather", "get_time");
        Exchange x = exchange(c, u, conv, stream);
        assertEquals("tool said: noon", x.answer.text(), x.answer.raw());
        assertEquals(Answer.STOP, x.answer.finish(), x.answer.raw());
        Msg calls = x.sent.messages().get(1);
        assertEquals(
                List.of("get_weather", "get_time"),
                calls.calls().stream().map(Call::name).toList(),
                x.sent.toString());
        assertEquals(
                List.of("sunny", "noon"),
                x.sent.messages().stream()
                        .flatMap(m -> m.results().stream())
                        .map(Result::content)
                        .toList(),
                x.sent.toString());
        assertResultsAnswerCalls(x.sent, 2);
    }

    @ParameterizedTest(name = "{0} -> {1}, stream {2}")
    @MethodSource("matrix")
    void shouldPairResultsWithParallelCallsOfOneTool(ClientProtocol c, UpstreamProtocol u, boolean stream)
            throws Exception {
        Conversation conv = Conversation.of(
                        new User("weather in Rome and Oslo", false),
                        new Calls(List.of(
                                new Call("call_rome", "get_weather", "{\"city\":\"Rome\"}"),
                                new Call("call_oslo", "get_weather", "{\"city\":\"Oslo\"}"))),
                        new Results(List.of(
                                new Result("call_rome", "get_weather", "sunny"),
                                new Result("call_oslo", "get_weather", "snow"))))
                .withTools("get_weather");
        Exchange x = exchange(c, u, conv, stream);
        assertEquals("tool said: snow", x.answer.text(), x.answer.raw());
        List<Call> calls = x.sent.messages().get(1).calls();
        assertEquals(
                List.of("{\"city\":\"Rome\"}", "{\"city\":\"Oslo\"}"),
                calls.stream().map(Call::argumentsJson).toList(),
                x.sent.toString());
        assertEquals(
                List.of("sunny", "snow"),
                x.sent.messages().stream()
                        .flatMap(m -> m.results().stream())
                        .map(Result::content)
                        .toList(),
                x.sent.toString());
        assertResultsAnswerCalls(x.sent, 2);
    }

    @ParameterizedTest(name = "{0} -> {1}, stream {2}")
    @MethodSource("matrix")
    void shouldCarryAnInlineImage(ClientProtocol c, UpstreamProtocol u, boolean stream) throws Exception {
        Exchange x = exchange(c, u, Conversation.of(new User("what is in this picture", true)), stream);
        assertEquals("echo: what is in this picture", x.answer.text(), x.answer.raw());
        assertEquals(
                List.of("data:image/png;base64," + Conversation.PNG),
                x.sent.last().images(),
                x.sent.toString());
        assertEquals("what is in this picture", x.sent.last().text(), x.sent.toString());
    }

    @ParameterizedTest(name = "{0} -> {1}, stream {2}")
    @MethodSource("matrix")
    void shouldCarryStopSequences(ClientProtocol c, UpstreamProtocol u, boolean stream) throws Exception {
        assumeFalse(c == ClientProtocol.RESPONSES, "the Responses API has no stop sequences");
        assumeFalse(
                u == UpstreamProtocol.RESPONSES,
                "the Responses API has no stop sequences: shouldRefuseStopSequencesForAResponsesUpstream");
        Exchange x = exchange(c, u, Conversation.ask("stop here").withStop("END", "###"), stream);
        assertEquals("echo: stop here", x.answer.text(), x.answer.raw());
        assertEquals(List.of("END", "###"), x.sent.stop(), x.sent.toString());
    }

    @ParameterizedTest(name = "{0} -> {1}, stream {2}")
    @MethodSource("matrix")
    void shouldEndWithLengthAtMaxTokens(ClientProtocol c, UpstreamProtocol u, boolean stream) throws Exception {
        Exchange x = exchange(c, u, Conversation.ask("hello there my friend").withMaxTokens(2), stream);
        assertEquals("echo: he", x.answer.text(), x.answer.raw());
        assertEquals(Answer.LENGTH, x.answer.finish(), x.answer.raw());
        assertEquals(2, x.answer.outputTokens(), x.answer.raw());
        assertEquals(2L, x.sent.maxTokens(), x.sent.toString());
    }

    @ParameterizedTest(name = "{0} -> {1}, stream {2}")
    @MethodSource("matrix")
    void shouldCarryTheTemperature(ClientProtocol c, UpstreamProtocol u, boolean stream) throws Exception {
        Exchange x = exchange(c, u, Conversation.ask("warm enough").withTemperature(0.25), stream);
        assertEquals("echo: warm enough", x.answer.text(), x.answer.raw());
        assertEquals(0.25, x.sent.temperature(), x.sent.toString());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = ClientProtocol.class,
            names = {"CHAT", "ANTHROPIC", "GEMINI"})
    void shouldRefuseStopSequencesForAResponsesUpstream(ClientProtocol c) throws Exception {
        Http.Reply r = c.send(
                gateway.url(),
                CLIENT_KEY,
                UpstreamProtocol.RESPONSES.model,
                Conversation.ask("stop here").withStop("END"),
                false);
        c.assertError(r, 400);
        assertTrue(r.body().contains("stop sequences"), r.body());
        assertTrue(gateway.mock().requests().isEmpty(), "nothing was sent upstream");
    }

    // ---- failures --------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} -> {1}, stream {2}")
    @MethodSource("matrix")
    void shouldReportA500FromEveryKeyInTheClientsShape(ClientProtocol c, UpstreamProtocol u, boolean stream)
            throws Exception {
        String model = faultModel(u, FaultPlan.builder().serverErrorShare(1.0).build());
        Http.Reply r = c.send(gateway.url(), CLIENT_KEY, model, Conversation.ask("hi"), stream);
        c.assertError(r, 500);
        assertTrue(r.body().contains("Internal server error (injected)"), r.body());
        Map<String, KeyStats> stats = gateway.mock().stats().keys();
        assertEquals(1, stats.get(model + "-a").injectedFaults(), "each key was tried once");
        assertEquals(1, stats.get(model + "-b").injectedFaults(), "each key was tried once");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("pairs")
    void shouldReportAnOverloadedUpstreamTruthfully(ClientProtocol c, UpstreamProtocol u) throws Exception {
        String model = faultModel(u, FaultPlan.builder().overloadShare(1.0).build());
        Http.Reply r = c.send(gateway.url(), CLIENT_KEY, model, Conversation.ask("hi"), false);
        c.assertError(r, u == UpstreamProtocol.ANTHROPIC ? 529 : 503);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("pairs")
    void shouldPassA429WithItsRetryDelay(ClientProtocol c, UpstreamProtocol u) throws Exception {
        String model = faultModel(
                u,
                FaultPlan.builder()
                        .rateLimitShare(1.0)
                        .rateLimitRetryAfterMs(2_000)
                        .build());
        Http.Reply r = c.send(gateway.url(), CLIENT_KEY, model, Conversation.ask("hi"), false);
        c.assertError(r, 429);
        assertEquals("2", r.header("retry-after"), r.body());
        if (c == ClientProtocol.GEMINI) {
            assertEquals("2s", r.json().at("/error/details/0/retryDelay").asText(), r.body());
        }
    }

    @ParameterizedTest(name = "{0} -> {1}, stream {2}")
    @MethodSource("matrix")
    void shouldPassAnUpstream400Through(ClientProtocol c, UpstreamProtocol u, boolean stream) throws Exception {
        assumeFalse(u == UpstreamProtocol.OPENAI, "Chat Completions takes a conversation of only a system prompt");
        assumeFalse(u == UpstreamProtocol.RESPONSES, "the Responses API takes a conversation of only a system prompt");
        assumeFalse(
                c == ClientProtocol.ANTHROPIC && u == UpstreamProtocol.ANTHROPIC,
                "the mock takes the system message an Anthropic client forwards unchanged");
        // A conversation of only a system prompt: Anthropic and Gemini upstreams answer 400 (no messages).
        Conversation onlySystem =
                new Conversation("only a system prompt", List.of(), List.of(), false, null, null, List.of());
        Http.Reply r = c.send(gateway.url(), CLIENT_KEY, u.model, onlySystem, stream);
        c.assertError(r, 400);
        SeenRequest seen = gateway.mock().lastRequest();
        assertNotNull(seen, "the upstream was asked");
        String upstreamMessage =
                u == UpstreamProtocol.ANTHROPIC ? "messages: must be a non-empty array" : "contents is not specified";
        assertTrue(r.body().contains(upstreamMessage), r.body());
        assertEquals(
                0,
                gateway.mock().stats().keys().values().stream()
                        .mapToLong(KeyStats::injectedFaults)
                        .sum());
    }

    /**
     * Regression: a pass-through stream (client and upstream of one protocol) that the upstream cut
     * mid-event reached the client cut mid-event, with no error event after it.
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("pairs")
    void shouldEndACutStreamWithTheClientProtocolsError(ClientProtocol c, UpstreamProtocol u) throws Exception {
        String model = faultModel(u, FaultPlan.builder().truncateShare(1.0).build());
        Http.Reply r = c.send(gateway.url(), CLIENT_KEY, model, Conversation.ask("a reply long enough to cut"), true);
        assertEquals(200, r.status(), "the stream had begun: " + r.body());
        for (String[] event : ClientProtocol.events(r.body())) {
            if (!"[DONE]".equals(event[1])) {
                ClientProtocol.json(event[1]); // every event the client got is whole
            }
        }
        String error = c.streamError(r);
        assertNotNull(error, "the client hears that the stream broke: " + r.body());
        assertFalse(error.isEmpty(), r.body());
    }

    /**
     * Regression: a stream whose first event was malformed went to the client as HTTP 200 with an error
     * event, although nothing had reached it and another key could have answered.
     */
    @ParameterizedTest(name = "{0} -> {1}, stream {2}")
    @MethodSource("matrix")
    void shouldTryTheNextKeyWhenAnAnswerIsMalformedBeforeItsFirstByte(
            ClientProtocol c, UpstreamProtocol u, boolean stream) throws Exception {
        String model = faultModel(u, FaultPlan.builder().garbageShare(1.0).build());
        Http.Reply r = c.send(gateway.url(), CLIENT_KEY, model, Conversation.ask("hi"), stream);
        c.assertError(r, 502);
        Map<String, KeyStats> stats = gateway.mock().stats().keys();
        assertEquals(1, stats.get(model + "-a").injectedFaults(), "each key was tried once");
        assertEquals(1, stats.get(model + "-b").injectedFaults(), "each key was tried once");
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    /** A client answer and what the upstream received for it. */
    private record Exchange(Answer answer, Sent sent) {}

    private Exchange exchange(ClientProtocol c, UpstreamProtocol u, Conversation conv, boolean stream)
            throws Exception {
        gateway.mock().reset();
        Http.Reply r = c.send(gateway.url(), CLIENT_KEY, u.model, conv, stream);
        Answer answer = c.read(r, stream);
        List<SeenRequest> seen = gateway.mock().requests();
        assertEquals(1, seen.size(), "one upstream call");
        assertEquals(
                "identity",
                seen.get(0).headers().get("accept-encoding"),
                "answers asked for without content coding: " + seen.get(0).headers());
        Sent sent = u.read(seen.get(0));
        assertEquals(u.upstreamModel, sent.model(), sent.toString());
        assertEquals(stream, sent.stream(), sent.toString());
        assertNotNull(sent.auth(), sent.toString());
        assertTrue(sent.auth().contains("mock-" + u.keys + "-"), "a provider key, not the client's: " + sent.auth());
        assertFalse(
                sent.raw().headers().values().stream().anyMatch(v -> v.contains(CLIENT_KEY)),
                "the client key stays at the gateway: " + sent.raw().headers());
        return new Exchange(answer, sent);
    }

    /** Each tool result upstream answers a call of the assistant turn before it, by id and (Gemini) by name. */
    private static void assertResultsAnswerCalls(Sent sent, int count) {
        List<Msg> messages = sent.messages();
        int callsAt = -1;
        for (int i = 0; i < messages.size(); i++) {
            if (!messages.get(i).calls().isEmpty()) {
                callsAt = i;
            }
        }
        assertTrue(callsAt >= 0, "the calls were sent: " + sent);
        List<Call> calls = messages.get(callsAt).calls();
        assertEquals(count, calls.size(), sent.toString());
        List<Result> results = new ArrayList<>();
        for (int i = callsAt + 1; i < messages.size(); i++) {
            results.addAll(messages.get(i).results());
        }
        assertEquals(count, results.size(), sent.toString());
        long resultTurns = messages.subList(callsAt + 1, messages.size()).stream()
                .filter(m -> !m.results().isEmpty())
                .count();
        if (!"tool".equals(messages.get(messages.size() - 1).role())) {
            assertEquals(1, resultTurns, "all results in the one user turn after the calls: " + sent);
            assertEquals(callsAt + 2, messages.size(), sent.toString());
        }
        for (int i = 0; i < count; i++) {
            Call call = calls.get(i);
            Result result = results.get(i);
            if (result.name() != null) {
                assertEquals(call.name(), result.name(), sent.toString());
            }
            if (call.id() != null || result.callId() != null) {
                assertEquals(call.id(), result.callId(), "the result names its call: " + sent);
            }
        }
    }

    /** A model of its own whose two keys answer with {@code plan}. */
    private synchronized String faultModel(UpstreamProtocol u, FaultPlan plan) {
        int next = faultProvidersUsed.merge(u, 1, Integer::sum) - 1;
        if (next >= FAULT_PROVIDERS) {
            throw new IllegalStateException("raise FAULT_PROVIDERS");
        }
        String id = faultProvider(u, next);
        gateway.mock().setKeyFaults(id + "-a", plan);
        gateway.mock().setKeyFaults(id + "-b", plan);
        return id;
    }

    private static String faultProvider(UpstreamProtocol u, int index) {
        return "fault-" + u.provider + "-" + index;
    }

    /** Tokens as the mock counts them: characters / 4, rounded up. */
    private static long tokens(String text) {
        return (text.length() + 3L) / 4;
    }
}
