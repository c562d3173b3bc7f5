package dev.crossbar.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlaceholderSecretsTest {

    @Test
    void shouldNameEveryFieldHoldingTheDemosOrAPlaceholderValue() {
        GatewayConfig config = new ConfigLoader(name -> null).parse("""
                admin: { token: crossbar-admin }
                clientKeys:
                  - { name: a, key: crossbar-demo }
                  - { name: b, key: a-real-client-key-0123 }
                  - { name: c, key: Replace-Me-client-key }
                providers:
                  - id: openai
                    type: openai
                    baseUrl: https://api.openai.com/v1
                    keys:
                      - { id: k1, secret: sk-real-0123456789 }
                      - { id: k2, secret: replace-me }
                models:
                  - { name: m, targets: [ { provider: openai, model: gpt-4o } ] }
                """);
        assertEquals(
                List.of("admin.token", "clientKeys[0].key", "clientKeys[2].key", "providers[0].keys[1].secret"),
                PlaceholderSecrets.found(config));
    }

    @Test
    void shouldFindNothingInAConfigOfRealSecrets() {
        GatewayConfig config = new ConfigLoader(name -> null).parse("""
                admin: { token: 0f3a9c2e7b1d4a6f }
                clientKeys: [ { name: a, key: ck-5e1b7a9d3c2f } ]
                """);
        assertEquals(List.of(), PlaceholderSecrets.found(config));
    }
}
