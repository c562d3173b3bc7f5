package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.gateway.config.ProviderKeyConfig;
import dev.crossbar.mock.Fault;
import dev.crossbar.mock.KeyStats;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Dead, revoked and out-of-credit keys, answered by the mock as each real provider answers them (Gemini's
 * 400 API_KEY_INVALID, OpenAI's 429 insufficient_quota, Anthropic's 400 "credit balance is too low"),
 * through a real node whose client speaks the provider's own protocol (the answer would otherwise be
 * passed through): the key leaves rotation after its first refusal with the reason in the admin API, the
 * request fails over, and the client never reads another account's key or billing words.
 * One provider family each: a Responses upstream reads errors with the OpenAI family's decoder and mock.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeyHealthIT {

    /** Words of the providers' key and billing errors that must never reach a client. */
    private static final List<String> PROVIDER_WORDS =
            List.of("api key", "x-api-key", "credit", "quota", "billing", "prepayment", "sk-", "insufficient");

    /** The protocol's provider on the mock with these keys (ids, their secrets from {@link #secret}). */
    static TestConfig config(UpstreamProtocol u, String... keys) {
        ProviderKeyConfig[] providerKeys = new ProviderKeyConfig[keys.length];
        for (int i = 0; i < keys.length; i++) {
            providerKeys[i] = TestConfig.key(keys[i], secret(u, keys[i]));
        }
        String provider = "mock-" + u.provider;
        return TestConfig.provider(
                        provider, u.provider, u == UpstreamProtocol.GEMINI ? "/v1beta" : "/v1", u.upstreamModel)
                .withNodeDefaults()
                .adminToken(AdminClient.TOKEN)
                .keys(providerKeys)
                .models(TestConfig.model(u.model, provider, u.upstreamModel))
                .queueTimeout(Duration.ofSeconds(1));
    }

    private static String secret(UpstreamProtocol u, String keyId) {
        return "sk-" + u.provider + "-" + keyId + "-0123456789abcdef";
    }

    private static ClientProtocol clientOf(UpstreamProtocol u) {
        return switch (u) {
            case OPENAI -> ClientProtocol.CHAT;
            case ANTHROPIC -> ClientProtocol.ANTHROPIC;
            case GEMINI -> ClientProtocol.GEMINI;
            case RESPONSES -> ClientProtocol.RESPONSES;
        };
    }

    private static void askAndExpectAnAnswer(GatewayHarness gateway, ClientProtocol client, UpstreamProtocol u, int n)
            throws Exception {
        Http.Reply r =
                client.send(gateway.url(), GatewayHarness.CLIENT_KEY, u.model, Conversation.ask("hello " + n), false);
        assertEquals("echo: hello " + n, client.read(r, false).text(), r.body());
        assertNoProviderWords(r);
    }

    private static boolean bothTried(GatewayHarness gateway, UpstreamProtocol u) {
        KeyStats dead = gateway.mock().stats().keys().get(secret(u, "dead"));
        KeyStats broke = gateway.mock().stats().keys().get(secret(u, "broke"));
        return dead != null && dead.unauthorized() > 0 && broke != null && broke.injected(Fault.NO_CREDIT) > 0;
    }

    private static void assertNoProviderWords(Http.Reply r) {
        String body = r.body().toLowerCase(Locale.ROOT);
        for (String word : PROVIDER_WORDS) {
            assertFalse(body.contains(word), "the client read '" + word + "' from another account: " + r.body());
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = UpstreamProtocol.class,
            names = {"OPENAI", "ANTHROPIC", "GEMINI"})
    void shouldTakeDeadAndEmptyKeysOutOfRotationAndFailOverWithoutTellingTheClient(UpstreamProtocol u)
            throws Exception {
        MockConfig mock = MockConfig.of(
                        MockKey.unlimited(secret(u, "dead"), u.provider),
                        MockKey.unlimited(secret(u, "broke"), u.provider),
                        MockKey.unlimited(secret(u, "good"), u.provider))
                .withRevokedKeys(Set.of(secret(u, "dead")))
                .withNoCreditKeys(Set.of(secret(u, "broke")));
        try (GatewayHarness gateway = new GatewayHarness(mock, config(u, "dead", "broke", "good"), 1)) {
            ClientProtocol client = clientOf(u);
            // The pool spreads by headroom, so which key a call tries first is not fixed: ask until both bad
            // keys have been tried (at most 40 calls), then 6 more, none of which may reach them.
            int sent = 0;
            while (sent < 40 && !bothTried(gateway, u)) {
                askAndExpectAnAnswer(gateway, client, u, sent++);
            }
            for (int i = 0; i < 6; i++) {
                askAndExpectAnAnswer(gateway, client, u, sent++);
            }
            KeyStats dead = gateway.mock().stats().keys().get(secret(u, "dead"));
            KeyStats broke = gateway.mock().stats().keys().get(secret(u, "broke"));
            assertEquals(1, dead.unauthorized(), "a refused key is asked once, then left out");
            assertEquals(1, broke.injected(Fault.NO_CREDIT), "an empty account is asked once, then left out");
            assertEquals(0, broke.rateLimited(), "the mock never counted an out-of-credit answer as a rate limit");
            assertEquals(
                    sent, gateway.mock().stats().keys().get(secret(u, "good")).served());

            AdminClient admin = new AdminClient(gateway.url());
            long now = System.currentTimeMillis();
            JsonNode deadView = admin.key("dead");
            assertEquals("disabled", deadView.path("state").asText(), deadView.toString());
            assertTrue(deadView.path("reason").asText().startsWith("key refused: "), deadView.toString());
            JsonNode brokeView = admin.key("broke");
            assertEquals("cooling_down", brokeView.path("state").asText(), brokeView.toString());
            assertTrue(brokeView.path("reason").asText().startsWith("out of credit: "), brokeView.toString());
            assertTrue(
                    brokeView.path("until").asLong() - now > TimeUnit.MINUTES.toMillis(5),
                    "out of rotation for long, not for a rate limit's seconds: " + brokeView);
            assertEquals("active", admin.key("good").path("state").asText());
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = UpstreamProtocol.class,
            names = {"OPENAI", "ANTHROPIC", "GEMINI"})
    void shouldAnswerAGenericErrorInTheClientsProtocolWhenNoKeyIsUsable(UpstreamProtocol u) throws Exception {
        MockConfig mock = MockConfig.of(
                        MockKey.unlimited(secret(u, "dead"), u.provider),
                        MockKey.unlimited(secret(u, "broke"), u.provider))
                .withRevokedKeys(Set.of(secret(u, "dead")))
                .withNoCreditKeys(Set.of(secret(u, "broke")));
        try (GatewayHarness gateway = new GatewayHarness(mock, config(u, "dead", "broke"), 1)) {
            ClientProtocol client = clientOf(u);
            Http.Reply first =
                    client.send(gateway.url(), GatewayHarness.CLIENT_KEY, u.model, Conversation.ask("anyone?"), false);
            client.assertError(first, 503);
            assertNoProviderWords(first);
            long asked = gateway.mock().stats().totalRequests();
            assertEquals(2, asked, "each key was tried once");

            Http.Reply second = client.send(
                    gateway.url(), GatewayHarness.CLIENT_KEY, u.model, Conversation.ask("still nobody?"), false);
            assertTrue(second.status() == 503 || second.status() == 429, second.body());
            assertNoProviderWords(second);
            assertEquals(asked, gateway.mock().stats().totalRequests(), "keys out of rotation are not asked again");
        }
    }
}
