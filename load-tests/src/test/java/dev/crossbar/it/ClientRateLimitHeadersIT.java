package dev.crossbar.it;

import static dev.crossbar.it.TestConfig.clientKey;
import static dev.crossbar.it.TestConfig.key;
import static dev.crossbar.it.TestConfig.mockProvider;
import static dev.crossbar.it.TestConfig.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.gateway.config.LimitsConfig;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Clients read their own standing against their client key's limits in the headers their SDK knows: OpenAI's
 * {@code x-ratelimit-*} and, for Anthropic clients, {@code anthropic-ratelimit-*}; a key without limits gets
 * none. The remaining count goes down as the key is used.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientRateLimitHeadersIT {

    private static final String LIMITED = "headers-limited-key-0001";
    private static final String FREE = "headers-free-key-0001";

    private GatewayHarness gateway;

    @BeforeAll
    void start() throws Exception {
        gateway = new GatewayHarness(MockConfig.of(MockConfig.defaultKeys().toArray(MockKey[]::new)), config(), 1);
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void shouldTellAnOpenAiClientItsStandingInOpenAisHeaders() throws Exception {
        Http.Reply first = chat(LIMITED);
        assertEquals(200, first.status(), first.body());
        assertEquals("50", first.header("x-ratelimit-limit-requests"));
        assertEquals("40000", first.header("x-ratelimit-limit-tokens"));
        long remaining = Long.parseLong(first.header("x-ratelimit-remaining-requests"));
        assertTrue(remaining >= 0 && remaining <= 50, first.headers().toString());
        long tokens = Long.parseLong(first.header("x-ratelimit-remaining-tokens"));
        assertTrue(tokens >= 0 && tokens <= 40000, first.headers().toString());
        assertTrue(
                first.header("x-ratelimit-reset-requests").matches("\\d+(\\.\\d)?s|(\\d+h)?\\d+m\\d+s"),
                first.header("x-ratelimit-reset-requests"));
        assertTrue(
                first.header("x-ratelimit-reset-tokens").matches("\\d+(\\.\\d)?s|(\\d+h)?\\d+m\\d+s"),
                first.header("x-ratelimit-reset-tokens"));
        for (int i = 0; i < 5; i++) {
            chat(LIMITED);
        }
        long later = Long.parseLong(chat(LIMITED).header("x-ratelimit-remaining-requests"));
        assertTrue(later < remaining, "six requests later fewer remain: " + remaining + " then " + later);
        assertTrue(!"0s".equals(chat(LIMITED).header("x-ratelimit-reset-requests")), "a used bucket refills later");
    }

    @Test
    void shouldTellAnAnthropicClientInAnthropicsHeaders() throws Exception {
        Http.Reply r = Http.post(
                gateway.url() + "/v1/messages",
                "{\"model\":\"haiku\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "x-api-key",
                LIMITED,
                "anthropic-version",
                "2023-06-01");
        assertEquals(200, r.status(), r.body());
        assertEquals("50", r.header("anthropic-ratelimit-requests-limit"));
        assertEquals("40000", r.header("anthropic-ratelimit-tokens-limit"));
        long remaining = Long.parseLong(r.header("anthropic-ratelimit-requests-remaining"));
        assertTrue(remaining >= 0 && remaining <= 50, r.headers().toString());
        Instant reset = Instant.parse(r.header("anthropic-ratelimit-requests-reset"));
        assertTrue(
                reset.isAfter(Instant.now().minusSeconds(5))
                        && reset.isBefore(Instant.now().plusSeconds(65)),
                reset.toString());
        Instant.parse(r.header("anthropic-ratelimit-tokens-reset"));
        assertNull(r.header("x-ratelimit-limit-requests"), "an Anthropic client gets Anthropic's names");
    }

    @Test
    void shouldSendNoLimitHeadersForAKeyWithoutLimits() throws Exception {
        Http.Reply r = chat(FREE);
        assertEquals(200, r.status(), r.body());
        assertNull(r.header("x-ratelimit-limit-requests"), r.headers().toString());
        assertNull(r.header("x-ratelimit-remaining-tokens"), r.headers().toString());
    }

    private Http.Reply chat(String key) throws Exception {
        return Http.post(
                gateway.url() + "/v1/chat/completions",
                "{\"model\":\"mini\",\"messages\":[{\"role\":\"user\",\"content\":\"standing\"}]}",
                Http.bearer(key));
    }

    /** Two client keys, one with limits, and a model on each of the mock's OpenAI and Anthropic. */
    static TestConfig config() {
        return TestConfig.openAi()
                .withNodeDefaults()
                .keys(key("oa-1", "mock-openai-1"))
                .andProvider(mockProvider("mock-anthropic", "anthropic", "/v1", key("an-1", "mock-anthropic-1")))
                .models(
                        model("mini", "mock-openai", "gpt-4o-mini"),
                        model("haiku", "mock-anthropic", "claude-haiku-4-5"))
                .clientKeys(
                        clientKey("limited", LIMITED, new LimitsConfig(50L, 40000L, null, Duration.ofSeconds(60))),
                        clientKey("free", FREE));
    }
}
