package dev.crossbar.mock;

import static dev.crossbar.mock.MockClient.await;
import static dev.crossbar.mock.MockClient.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Faults flipped on a running mock through {@code POST /_mock/config}. */
@ExtendWith(VertxExtension.class)
class FaultInjectionTest {

    static final String CHAT = "/v1/chat/completions";
    static final String HI = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    static final String HI_STREAM = "{\"model\":\"m\",\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"one two three four five six seven eight\"}]}";
    static final Map<String, String> OA = Map.of("Authorization", "Bearer oa");
    static final Map<String, String> AN = Map.of("x-api-key", "an", "anthropic-version", "2023-06-01");
    static final String AN_BODY =
            "{\"model\":\"c\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static final String GE_PATH = "/v1beta/models/g:generateContent";
    static final Map<String, String> GE = Map.of("x-goog-api-key", "ge");
    static final String GE_BODY = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}";

    MockProviders mock;
    MockClient client;

    @BeforeEach
    void start(Vertx vertx) {
        mock = await(MockProviders.start(
                vertx,
                MockConfig.of(
                        new MockKey("oa", MockKey.OPENAI, 1000L, 100_000L, null, null),
                        MockKey.unlimited("oa2", MockKey.OPENAI),
                        MockKey.unlimited("an", MockKey.ANTHROPIC),
                        MockKey.unlimited("ge", MockKey.GEMINI))));
        client = new MockClient(vertx, mock.port());
    }

    @AfterEach
    void stop() {
        client.close();
        await(mock.close());
    }

    MockClient.Response configure(String json) {
        return client.post("/_mock/config", Map.of(), json);
    }

    int chatStatus() {
        return client.post(CHAT, OA, HI).status();
    }

    @Test
    void shouldInjectServerErrorsOnEveryOtherRequestAfterARuntimeFlip() {
        assertEquals(200, chatStatus());
        assertEquals(200, configure("{\"faults\":{\"serverErrorShare\":0.5}}").status());
        MockClient.Response ok = client.post(CHAT, OA, HI);
        MockClient.Response failed = client.post(CHAT, OA, HI);
        assertEquals(200, ok.status());
        assertEquals(500, failed.status());
        assertEquals("server_error", failed.json().path("error").path("type").asText());
        assertNotNull(failed.header("x-ratelimit-remaining-requests"), "limit headers on errors too");
        assertEquals(200, chatStatus());
        assertEquals(500, chatStatus());

        KeyStats stats = mock.stats().key("oa");
        assertEquals(3, stats.served());
        assertEquals(2, stats.injectedFaults());
        assertEquals(2, stats.injected(Fault.SERVER_ERROR));
        assertEquals(15, stats.tokensCharged(), "injected errors are refunded: 3 x (2 + 3)");

        assertEquals(200, configure("{\"faults\":{}}").status());
        assertEquals(200, chatStatus());
        assertEquals(200, chatStatus());
    }

    @Test
    void shouldInjectOverloadAs529ForAnthropicAnd503ForOpenAiAndGemini() {
        configure("{\"faults\":{\"overloadShare\":1}}");
        MockClient.Response an = client.post("/v1/messages", AN, AN_BODY);
        assertEquals(529, an.status());
        assertEquals("overloaded_error", an.json().path("error").path("type").asText());
        assertEquals(503, chatStatus());
        MockClient.Response ge = client.post(GE_PATH, GE, GE_BODY);
        assertEquals(503, ge.status());
        assertEquals("UNAVAILABLE", ge.json().path("error").path("status").asText());
    }

    @Test
    void shouldCountInjected429sApartFromOverLimitOnes() {
        configure("{\"faults\":{\"rateLimitShare\":1,\"rateLimitRetryAfterMs\":2500}}");
        MockClient.Response r = client.post(CHAT, OA, HI);
        assertEquals(429, r.status());
        assertEquals("3", r.header("retry-after"));
        assertEquals("2500", r.header("retry-after-ms"));
        MockClient.Response ge = client.post(GE_PATH, GE, GE_BODY);
        assertEquals(
                "3s",
                ge.json()
                        .path("error")
                        .path("details")
                        .get(0)
                        .path("retryDelay")
                        .asText());
        KeyStats stats = mock.stats().key("oa");
        assertEquals(0, stats.rateLimited(), "injected 429s are not over-limit");
        assertEquals(1, stats.rateLimited(LimitCause.INJECTED));
        assertEquals(0, stats.tokensCharged());
    }

    @Test
    void shouldAnswerGarbageWithStatus200() {
        configure("{\"faults\":{\"garbageShare\":1}}");
        MockClient.Response plain = client.post(CHAT, OA, HI);
        assertEquals(200, plain.status());
        assertThrows(AssertionError.class, plain::json);
        MockClient.Response stream = client.post(CHAT, OA, HI_STREAM);
        assertEquals(200, stream.status());
        assertThrows(
                AssertionError.class,
                () -> OpenAiMockTest.parse(stream.events().get(0).data()));
        assertEquals(2, mock.stats().key("oa").injected(Fault.GARBAGE));
        assertEquals(2, mock.stats().key("oa").served());
    }

    @Test
    void shouldTruncatePlainBodiesAndCloseAndCutStreamsMidEvent() {
        configure("{\"faults\":{\"truncateShare\":1}}");
        MockClient.Response plain = client.post(CHAT, OA, HI);
        assertNotNull(plain.failure(), "connection closed before Content-Length bytes");
        assertThrows(AssertionError.class, plain::json);

        MockClient.Response stream = client.post(CHAT, OA, HI_STREAM);
        assertEquals(200, stream.status());
        assertNull(stream.failure(), "a truncated stream ends cleanly");
        assertFalse(stream.body().contains("[DONE]"));
        assertFalse(stream.body().endsWith("\n\n"), "cut mid-event");
        assertFalse(stream.events().isEmpty());
    }

    @Test
    void shouldDropStreamsAfterAFewChunksAndPlainRequestsBeforeAnyResponse() {
        configure("{\"faults\":{\"dropShare\":1}}");
        MockClient.Response stream = client.post(CHAT, OA, HI_STREAM);
        assertEquals(200, stream.status());
        assertNotNull(stream.failure());
        int events = stream.events().size();
        assertTrue(events >= 1 && events <= Delivery.DROP_AFTER_CHUNKS, "dropped after " + events + " chunks");
        assertFalse(stream.body().contains("[DONE]"));

        Future<MockClient.Response> plain = client.send(HttpMethod.POST, CHAT, OA, HI);
        assertThrows(AssertionError.class, () -> await(plain));
        waitUntil("slots released", () -> mock.stats().key("oa").inFlight() == 0);
        assertEquals(1, mock.stats().key("oa").served(), "a plain drop sends no 2xx");
        assertEquals(2, mock.stats().key("oa").injected(Fault.DROP));
    }

    @Test
    void shouldStallAfterTheFirstChunkUntilTheClientLeaves() {
        configure("{\"faults\":{\"stallShare\":1}}");
        String first = client.firstChunkThenClose(CHAT, OA, HI_STREAM);
        assertTrue(first.startsWith("data: {"), first);
        assertFalse(first.contains("[DONE]"));
        waitUntil(
                "the stalled request's slot released",
                () -> mock.stats().key("oa").inFlight() == 0);
        assertEquals(1, mock.stats().key("oa").injected(Fault.STALL));
    }

    @Test
    void shouldAnswerRevokedKeyWith401UntilRestored() {
        assertEquals(200, configure("{\"revokedKeys\":[\"oa\"]}").status());
        MockClient.Response r = client.post(CHAT, OA, HI);
        assertEquals(401, r.status());
        assertEquals("invalid_api_key", r.json().path("error").path("code").asText());
        assertEquals(
                200,
                client.post(CHAT, Map.of("Authorization", "Bearer oa2"), HI).status());
        KeyStats stats = mock.stats().key("oa");
        assertEquals(1, stats.unauthorized());
        assertEquals(1, stats.injected(Fault.REVOKED));
        configure("{\"revokedKeys\":[]}");
        assertEquals(200, chatStatus());
    }

    @Test
    void shouldAnswerRevokedKeysInEachProvidersOwnWords() {
        assertEquals(200, configure("{\"revokedKeys\":[\"an\",\"ge\"]}").status());
        MockClient.Response anthropic = client.post("/v1/messages", AN, AN_BODY);
        assertEquals(401, anthropic.status());
        assertEquals("authentication_error", anthropic.json().at("/error/type").asText());
        MockClient.Response gemini = client.post(GE_PATH, GE, GE_BODY);
        assertEquals(400, gemini.status(), "Gemini refuses a bad key as a bad argument");
        assertEquals("INVALID_ARGUMENT", gemini.json().at("/error/status").asText());
        assertEquals(
                "API_KEY_INVALID", gemini.json().at("/error/details/0/reason").asText());
    }

    @Test
    void shouldAnswerKeysOutOfCreditInEachProvidersOwnWordsWithoutCharging() {
        assertEquals(200, configure("{\"noCreditKeys\":[\"oa\",\"an\",\"ge\"]}").status());
        MockClient.Response openai = client.post(CHAT, OA, HI);
        assertEquals(429, openai.status());
        assertEquals("insufficient_quota", openai.json().at("/error/code").asText());
        assertEquals("insufficient_quota", openai.json().at("/error/type").asText());
        assertNull(openai.header("retry-after"), "no wait ends an empty account");
        MockClient.Response anthropic = client.post("/v1/messages", AN, AN_BODY);
        assertEquals(400, anthropic.status());
        assertEquals("invalid_request_error", anthropic.json().at("/error/type").asText());
        assertTrue(anthropic.json().at("/error/message").asText().startsWith("Your credit balance is too low"));
        MockClient.Response gemini = client.post(GE_PATH, GE, GE_BODY);
        assertEquals(429, gemini.status());
        assertEquals("RESOURCE_EXHAUSTED", gemini.json().at("/error/status").asText());
        assertTrue(gemini.json().at("/error/message").asText().startsWith("Your prepayment credits are depleted"));
        KeyStats stats = mock.stats().key("oa");
        assertEquals(1, stats.injected(Fault.NO_CREDIT));
        assertEquals(0, stats.served());
        assertEquals(0, stats.tokensCharged());
        assertEquals(0, stats.rateLimited(), "not a rate limit");
        configure("{\"noCreditKeys\":[]}");
        assertEquals(200, chatStatus());
    }

    @Test
    void shouldApplyKeyFaultsOnlyToThatKeyUntilCleared() {
        configure("{\"keyFaults\":{\"oa\":{\"serverErrorShare\":1}}}");
        assertEquals(500, chatStatus());
        assertEquals(
                200,
                client.post(CHAT, Map.of("Authorization", "Bearer oa2"), HI).status());
        configure("{\"keyFaults\":{\"oa\":null}}");
        assertEquals(200, chatStatus());
        assertTrue(
                client.get("/_mock/config", Map.of()).json().path("keyFaults").isEmpty());
    }

    @Test
    void shouldRejectInvalidRuntimeConfigNamingTheFieldAndChangeNothing() {
        MockClient.Response bad = configure("{\"faults\":{\"serverErrorShare\":2}}");
        assertEquals(400, bad.status());
        assertTrue(bad.json().path("error").asText().contains("faults.serverErrorShare"), bad.body());
        MockClient.Response unknownKey = configure("{\"faults\":{\"serverErrorShare\":1},\"keyFaults\":{\"nope\":{}}}");
        assertEquals(400, unknownKey.status());
        assertTrue(unknownKey.json().path("error").asText().contains("nope"));
        assertEquals(400, configure("{\"fault\":{}}").status());
        assertEquals(200, chatStatus(), "nothing was applied");
    }

    @Test
    void shouldDelayFirstByteAndEveryChunk() {
        configure("{\"faults\":{\"ttfbMs\":150,\"chunkDelayMs\":20}}");
        long start = System.nanoTime();
        MockClient.Response r = client.post(CHAT, OA, HI_STREAM);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        int events = r.events().size();
        assertTrue(elapsedMs >= 150 + 20L * (events - 1), "took " + elapsedMs + " ms for " + events + " events");
        assertTrue(r.body().endsWith("data: [DONE]\n\n"));
    }

    @Test
    void shouldDealSharesDeterministicallyAcrossKinds() {
        configure("{\"faults\":{\"serverErrorShare\":0.25,\"rateLimitShare\":0.25}}");
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            statuses.add(chatStatus());
        }
        assertEquals(List.of(200, 200, 200, 500, 429, 200, 200, 500), statuses);
    }
}
