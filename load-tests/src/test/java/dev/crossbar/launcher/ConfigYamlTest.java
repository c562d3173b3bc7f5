package dev.crossbar.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.gateway.config.ConfigLoader;
import dev.crossbar.gateway.config.GatewayConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigYamlTest {

    @Test
    void shouldWriteTheDemoConfigSoTheNodeReadsTheSameConfigBack() {
        GatewayConfig demo = new ConfigLoader(name -> "MOCK_BASE_URL".equals(name) ? "http://127.0.0.1:9" : null)
                .load(LocalCluster.repoRoot().resolve("examples/demo.yaml"));

        String yaml = ConfigYaml.render(demo);

        assertEquals(demo, new ConfigLoader(name -> null).parse(yaml));
        assertTrue(yaml.contains("baseUrl: http://127.0.0.1:9/v1"), yaml);
    }

    @Test
    void shouldWriteCloudProvidersTeamsPricesAndDurationsAsTheNodeReadsThem(@TempDir Path dir) {
        GatewayConfig config = new ConfigLoader(name -> null)
                .parse("""
                node: { port: 9001, drainNotice: 0s, idleTimeout: 1500ms }
                cluster: { name: c, port: 9101, members: ["127.0.0.1:9101"], key: %s, lease: 250ms }
                admin: { token: admin-token }
                clientKeys:
                  - { name: app, key: client-secret-1, team: blue, limits: { requests: 10, window: 1m } }
                teams:
                  blue: { budget: { usd: 12.50, period: day }, weight: 2 }
                providers:
                  - id: az
                    type: azure-openai
                    baseUrl: https://res.openai.azure.com
                    azure: { deployments: { gpt-4o: prod }, entra: { tenantId: t-1, clientId: app-1 } }
                    keys: [ { id: az-1, secret: s } ]
                  - id: br
                    type: bedrock
                    bedrock: { region: eu-west-1 }
                    keys: [ { id: br-1, accessKeyId: AKIAEXAMPLE, secretAccessKey: wJalrEXAMPLE } ]
                  - id: oa
                    type: openai
                    baseUrl: http://127.0.0.1:9/v1
                    timeout: 5s
                    bodyFields: { allow: [messages, temperature], action: refuse }
                    keys: [ { id: oa-1, secret: sk-1, requests: 5, tokens: 1000, concurrent: 2, window: 2s, weight: 3 } ]
                models:
                  - name: m
                    aliases: [mm]
                    targets: [ { provider: oa, model: gpt-4o-mini }, { provider: az, model: gpt-4o } ]
                prices:
                  - { provider: oa, model: gpt-4o-mini, input: 1000, output: 0.60 }
                routing: { strategy: sticky, queueTimeout: 250ms }
                """.formatted(dev.crossbar.cluster.seal.ClusterKey.generateText()));

        Path file = ConfigYaml.write(config, dir.resolve("sub/node.yaml"));

        GatewayConfig read = new ConfigLoader(name -> null).load(file);
        assertEquals(config, read);
        String yaml = ConfigYaml.render(config);
        assertTrue(yaml.contains("queueTimeout: 250ms"), yaml);
        assertTrue(yaml.contains("input: 1000\n"), "a decimal as written, not 1E+3: " + yaml);
        assertFalse(yaml.contains("AKIAEXAMPLE:wJalrEXAMPLE"), "a bedrock key is written as its parts: " + yaml);
    }
}
