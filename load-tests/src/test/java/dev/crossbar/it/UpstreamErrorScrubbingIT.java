package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.gateway.config.ModelConfig;
import dev.crossbar.gateway.config.ProviderKeyConfig;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Providers and self-hosted servers quote the key they received in their errors ("Incorrect API key provided:
 * sk-abc...wxyz"), with the account's organisation and project. A mock that does so for every protocol,
 * plain (a 400 the gateway relays) and streamed (an error event after the stream began): no client, whatever
 * its protocol, hears the key, a piece of it, or the account's ids, yet it still hears the error.
 */
class UpstreamErrorScrubbingIT {

    private static final String CLIENT_KEY = "scrub-client-key";

    /** One key per client protocol and upstream: a stream broken by the provider backs its key off. */
    private static String secretOf(ClientProtocol c, UpstreamProtocol u) {
        return "sk-echo" + c.name().toLowerCase(Locale.ROOT) + u.provider.replace("-", "") + "-7Hq2Lx9Vb4Nc8Rt1Zp6W";
    }

    private static String modelOf(ClientProtocol c, UpstreamProtocol u) {
        return u.model + "-for-" + c.name().toLowerCase(Locale.ROOT);
    }

    @Test
    void shouldRelayUpstreamErrorsWithoutTheKeyOrTheAccountsIdsInEveryProtocol() throws Exception {
        List<MockKey> keys = new ArrayList<>();
        Set<String> secrets = new LinkedHashSet<>();
        TestConfig config = null;
        List<ModelConfig> models = new ArrayList<>();
        for (ClientProtocol c : ClientProtocol.values()) {
            for (UpstreamProtocol u : UpstreamProtocol.values()) {
                String secret = secretOf(c, u);
                String id = "echo-" + c.name().toLowerCase(Locale.ROOT) + "-" + u.provider;
                secrets.add(secret);
                keys.add(MockKey.unlimited(secret, u.keys));
                String path = u == UpstreamProtocol.GEMINI ? "/v1beta" : "/v1";
                ProviderKeyConfig key = TestConfig.key(id + "-1", secret);
                if (config == null) {
                    config = TestConfig.provider(id, u.type(), path, u.upstreamModel)
                            .api(u.api)
                            .keys(key);
                } else {
                    config.andProvider(TestConfig.mockProvider(id, u.type(), u.api, path, key));
                }
                models.add(TestConfig.model(modelOf(c, u), id, u.upstreamModel));
            }
        }
        config.withNodeDefaults()
                .clientKeys(TestConfig.clientKey("test", CLIENT_KEY))
                .models(models.toArray(ModelConfig[]::new))
                .maxAttempts(1)
                .queueTimeout(Duration.ofSeconds(2));
        MockConfig mock = MockConfig.of(keys.toArray(MockKey[]::new)).withEchoKeys(secrets);
        List<String> forbidden = new ArrayList<>(List.of("org-M0ckOrg4nisation01", "proj_M0ckPr0ject000001"));
        for (String secret : secrets) {
            forbidden.add(secret);
            forbidden.add(secret.substring(0, 8)); // the masked quote's prefix, "sk-echoo"
            forbidden.add(secret.substring(secret.length() - 4)); // and its suffix
        }
        int checked = 0;
        try (GatewayHarness gateway = new GatewayHarness(mock, config, 1)) {
            for (ClientProtocol client : ClientProtocol.values()) {
                for (UpstreamProtocol upstream : UpstreamProtocol.values()) {
                    for (boolean stream : new boolean[] {false, true}) {
                        String what = client + " client, " + upstream + " upstream, " + (stream ? "streamed" : "plain");
                        Http.Reply reply = client.send(
                                gateway.url(),
                                CLIENT_KEY,
                                modelOf(client, upstream),
                                Conversation.ask("hello"),
                                stream);
                        String seen = reply.status() + " " + reply.headers() + " " + reply.body();
                        for (String secret : forbidden) {
                            assertFalse(seen.contains(secret), what + " shows '" + secret + "': " + seen);
                        }
                        String message;
                        if (stream) {
                            assertEquals(200, reply.status(), what + ": the stream began: " + seen);
                            message = client.streamError(reply);
                        } else {
                            assertEquals(400, reply.status(), what + ": " + seen);
                            client.assertError(reply, 400);
                            message = reply.body();
                        }
                        assertNotNull(message, what + ": the error reached the client: " + seen);
                        assertTrue(
                                message.contains("Incorrect API key provided: [redacted]"),
                                what + ": the provider's words reach the client, scrubbed: " + message);
                        checked++;
                    }
                }
            }
        }
        assertEquals(32, checked);
    }
}
