package dev.crossbar.mock;

import static dev.crossbar.mock.MockClient.await;
import static dev.crossbar.mock.MockClient.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Per-key limits over real HTTP, with a fake clock driving every bucket: nothing sleeps. */
@ExtendWith(VertxExtension.class)
class KeyLimitsTest {

    static final String CHAT = "/v1/chat/completions";
    static final String HI = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

    final FakeClock clock = new FakeClock();
    Vertx vertx;
    MockProviders mock;
    MockClient client;

    @BeforeEach
    void start(Vertx vertx) {
        this.vertx = vertx;
        MockConfig config = MockConfig.of(
                new MockKey("oa-req", MockKey.OPENAI, 2L, null, null, Duration.ofSeconds(2)),
                new MockKey("oa-tok", MockKey.OPENAI, null, 100L, null, Duration.ofSeconds(1)),
                new MockKey("oa-conc", MockKey.OPENAI, null, null, 2, null),
                new MockKey("an-req", MockKey.ANTHROPIC, 1L, 1000L, null, Duration.ofSeconds(2)),
                new MockKey("ge-req", MockKey.GEMINI, 1L, null, null, Duration.ofSeconds(3)));
        mock = await(MockProviders.start(vertx, config, clock));
        client = new MockClient(vertx, mock.port());
    }

    @AfterEach
    void stop() {
        client.close();
        await(mock.close());
    }

    MockClient.Response openAi(String key, String body) {
        return client.post(CHAT, Map.of("Authorization", "Bearer " + key), body);
    }

    @Test
    void shouldAnswer429WithRetryAfterOverRequestLimitAndAdmitAfterRefill() {
        MockClient.Response first = openAi("oa-req", HI);
        assertEquals(200, first.status());
        assertEquals("2", first.header("x-ratelimit-limit-requests"));
        assertEquals("1", first.header("x-ratelimit-remaining-requests"));
        assertEquals("1s", first.header("x-ratelimit-reset-requests"));
        MockClient.Response second = openAi("oa-req", HI);
        assertEquals("0", second.header("x-ratelimit-remaining-requests"));
        assertEquals("2s", second.header("x-ratelimit-reset-requests"));

        MockClient.Response limited = openAi("oa-req", HI);
        assertEquals(429, limited.status());
        assertEquals("1", limited.header("retry-after"));
        assertEquals("1000", limited.header("retry-after-ms"));
        assertEquals("0", limited.header("x-ratelimit-remaining-requests"));
        assertEquals("requests", limited.json().path("error").path("type").asText());
        assertEquals(
                "rate_limit_exceeded", limited.json().path("error").path("code").asText());

        clock.advanceMillis(999);
        MockClient.Response almost = openAi("oa-req", HI);
        assertEquals(429, almost.status());
        assertEquals("1", almost.header("retry-after-ms"));
        clock.advanceMillis(1);
        assertEquals(200, openAi("oa-req", HI).status());

        KeyStats stats = mock.stats().key("oa-req");
        assertEquals(3, stats.served());
        assertEquals(2, stats.rateLimited());
        assertEquals(2, stats.rateLimited(LimitCause.REQUESTS));
        assertEquals(0, stats.rateLimited(LimitCause.TOKENS));
    }

    @Test
    void shouldLimitTokensChargingInputPlusRequestedMaxTokens() {
        String body = "{\"model\":\"m\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(40) + "\"}]}"; // 10 input tokens + 50 = 60
        MockClient.Response first = openAi("oa-tok", body);
        assertEquals(200, first.status());
        assertEquals("100", first.header("x-ratelimit-limit-tokens"));
        assertEquals("40", first.header("x-ratelimit-remaining-tokens"));
        assertEquals("600ms", first.header("x-ratelimit-reset-tokens"));
        assertNull(first.header("x-ratelimit-limit-requests"), "no request limit, no request headers");

        MockClient.Response limited = openAi("oa-tok", body);
        assertEquals(429, limited.status());
        assertEquals("tokens", limited.json().path("error").path("type").asText());
        assertEquals("200", limited.header("retry-after-ms"));
        assertEquals("1", limited.header("retry-after"));

        clock.advanceMillis(200);
        assertEquals(200, openAi("oa-tok", body).status());
        KeyStats stats = mock.stats().key("oa-tok");
        assertEquals(120, stats.tokensCharged());
        assertEquals(1, stats.rateLimited(LimitCause.TOKENS));
    }

    @Test
    void shouldChargeInputPlusOutputWhenNoMaxTokensIsGiven() {
        assertEquals(200, openAi("oa-tok", HI).status());
        // "hello" is 2 tokens, "echo: hello" 3.
        assertEquals(5, mock.stats().key("oa-tok").tokensCharged());
    }

    @Test
    void shouldRejectARequestLargerThanTheTokenCapacityWithAFullWindowRetry() {
        MockClient.Response r = openAi(
                "oa-tok",
                "{\"model\":\"m\",\"max_tokens\":500," + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(429, r.status());
        assertEquals("1000", r.header("retry-after-ms"));
        assertEquals(0, mock.stats().key("oa-tok").tokensCharged());
    }

    @Test
    void shouldRejectOverConcurrencyLimitWhileRequestsAreHeld() {
        mock.setKeyFaults("oa-conc", FaultPlan.builder().ttfbMs(300).build());
        Map<String, String> auth = Map.of("Authorization", "Bearer oa-conc");
        List<Future<MockClient.Response>> held = new ArrayList<>();
        held.add(client.send(HttpMethod.POST, CHAT, auth, HI));
        held.add(client.send(HttpMethod.POST, CHAT, auth, HI));
        waitUntil("two requests in flight", () -> mock.stats().key("oa-conc").inFlight() == 2);

        MockClient.Response third = openAi("oa-conc", HI);
        assertEquals(429, third.status());
        assertEquals("1", third.header("retry-after"));
        for (Future<MockClient.Response> f : held) {
            assertEquals(200, await(f).status());
        }
        waitUntil("slots released", () -> mock.stats().key("oa-conc").inFlight() == 0);
        KeyStats stats = mock.stats().key("oa-conc");
        assertEquals(2, stats.peakConcurrency());
        assertEquals(1, stats.rateLimited(LimitCause.CONCURRENCY));
        assertEquals(2, stats.served());
    }

    @Test
    void shouldSendAnthropicRateLimitHeadersWithRfc3339Resets() {
        Map<String, String> headers = Map.of("x-api-key", "an-req", "anthropic-version", "2023-06-01");
        String body = "{\"model\":\"c\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        MockClient.Response first = client.post("/v1/messages", headers, body);
        assertEquals(200, first.status());
        assertEquals("1", first.header("anthropic-ratelimit-requests-limit"));
        assertEquals("0", first.header("anthropic-ratelimit-requests-remaining"));
        assertEquals("2030-01-01T00:00:02Z", first.header("anthropic-ratelimit-requests-reset"));
        assertEquals("1000", first.header("anthropic-ratelimit-tokens-limit"));
        assertEquals("989", first.header("anthropic-ratelimit-tokens-remaining")); // 1 input + 10 max
        assertEquals("2030-01-01T00:00:01Z", first.header("anthropic-ratelimit-tokens-reset"));

        MockClient.Response limited = client.post("/v1/messages", headers, body);
        assertEquals(429, limited.status());
        assertEquals("2", limited.header("retry-after"));
        assertEquals("error", limited.json().path("type").asText());
        assertEquals(
                "rate_limit_error", limited.json().path("error").path("type").asText());
    }

    @Test
    void shouldPutGeminiRetryHintOnlyInRetryInfo() {
        String path = "/v1beta/models/g:generateContent";
        String body = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}";
        assertEquals(
                200, client.post(path, Map.of("x-goog-api-key", "ge-req"), body).status());
        MockClient.Response limited = client.post(path, Map.of("x-goog-api-key", "ge-req"), body);
        assertEquals(429, limited.status());
        JsonNode error = limited.json().path("error");
        assertEquals(429, error.path("code").asInt());
        assertEquals("RESOURCE_EXHAUSTED", error.path("status").asText());
        assertEquals(
                "type.googleapis.com/google.rpc.RetryInfo",
                error.path("details").get(0).path("@type").asText());
        assertEquals("3s", error.path("details").get(0).path("retryDelay").asText());
        assertNull(limited.header("retry-after"));
    }

    @Test
    void shouldZeroCountersAndRefillBucketsOnReset() {
        openAi("oa-req", HI);
        openAi("oa-req", HI);
        assertEquals(429, openAi("oa-req", HI).status());
        MockClient.Response reset = client.post("/_mock/reset", Map.of(), "");
        assertEquals(200, reset.status());
        KeyStats stats = mock.stats().key("oa-req");
        assertEquals(0, stats.served());
        assertEquals(0, stats.rateLimited());
        assertEquals(0, mock.stats().totalRequests());
        assertEquals(200, openAi("oa-req", HI).status());
        assertEquals(200, openAi("oa-req", HI).status());
    }

    @Test
    void shouldReportStatsJsonInTheDocumentedShape() {
        openAi("oa-req", HI);
        openAi("oa-req", HI);
        openAi("oa-req", HI);
        openAi("nobody", HI);
        JsonNode json = client.get("/_mock/stats", Map.of()).json();
        JsonNode key = json.path("keys").path("oa-req");
        assertEquals("openai", key.path("provider").asText());
        assertEquals(2, key.path("served").asLong());
        assertEquals(10, key.path("tokensCharged").asLong());
        assertEquals(1, key.path("rateLimited").asLong());
        assertEquals(1, key.path("rateLimitedByCause").path("requests").asLong());
        for (String cause : List.of("tokens", "concurrency", "injected")) {
            assertEquals(0, key.path("rateLimitedByCause").path(cause).asLong());
        }
        assertEquals(0, key.path("injectedFaults").asLong());
        assertEquals(1, key.path("peakConcurrency").asLong());
        assertEquals(0, key.path("inFlight").asLong());
        assertEquals(0, key.path("unauthorized").asLong());
        assertEquals(4, json.path("totalRequests").asLong());
        assertEquals(1, json.path("unknownKeyRequests").asLong());
        assertEquals(5, json.path("keys").size());
    }

    @Test
    void shouldAdmitExactlyTheLimitUnderConcurrentLoadAcrossEventLoops() {
        MockProviders busy = await(MockProviders.start(
                vertx,
                MockConfig.of(new MockKey("busy", MockKey.OPENAI, 50L, null, null, Duration.ofSeconds(60)))
                        .withEventLoops(2),
                clock));
        try (MockClient many = new MockClient(vertx, busy.port())) {
            List<Future<MockClient.Response>> all = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                all.add(many.send(HttpMethod.POST, CHAT, Map.of("Authorization", "Bearer busy"), HI));
            }
            int ok = 0;
            int limited = 0;
            for (Future<MockClient.Response> f : all) {
                int status = await(f).status();
                ok += status == 200 ? 1 : 0;
                limited += status == 429 ? 1 : 0;
            }
            assertEquals(50, ok);
            assertEquals(30, limited);
            assertEquals(50, busy.stats().key("busy").served());
            assertEquals(30, busy.stats().key("busy").rateLimited());
        } finally {
            await(busy.close());
        }
    }
}
