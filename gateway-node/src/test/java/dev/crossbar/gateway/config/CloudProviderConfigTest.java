package dev.crossbar.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.codecs.spi.Protocol;
import org.junit.jupiter.api.Test;

class CloudProviderConfigTest {

    private final ConfigLoader loader = new ConfigLoader(name -> null);

    private GatewayConfig parse(String provider) {
        return loader.parse("""
                clientKeys:
                  - { name: app, key: client-secret-1 }
                providers:
                %s
                models:
                  - { name: m, targets: [ { provider: p, model: x } ] }
                """.formatted(provider.indent(2)));
    }

    @Test
    void shouldReadAnAzureProviderWithEntraAndDefaultTheRest() {
        ProviderConfig p = parse("""
                - id: p
                  type: azure-openai
                  baseUrl: https://res.openai.azure.com
                  azure:
                    deployments: { gpt-4o: prod }
                    entra: { tenantId: t-1, clientId: app-1 }
                  keys: [ { id: k, secret: s } ]
                """).providers().get(0);
        assertEquals(ProviderType.AZURE_OPENAI, p.providerType());
        assertEquals(Protocol.OPENAI_CHAT, p.protocol());
        assertTrue(p.azure().v1());
        assertEquals(
                "https://login.microsoftonline.com/t-1/oauth2/v2.0/token",
                p.azure().entra().tokenUrl());
        assertEquals(
                "https://cognitiveservices.azure.com/.default",
                p.azure().entra().scope());
    }

    @Test
    void shouldReadAVertexClaudeProviderAndDeriveItsEndpoint() {
        ProviderConfig p = parse("""
                - id: p
                  type: vertex
                  vertex: { project: my-project, location: europe-west1, publisher: anthropic }
                  keys: [ { id: k, secret: "{}" } ]
                """).providers().get(0);
        assertEquals(Protocol.ANTHROPIC, p.protocol());
        assertEquals("https://europe-west1-aiplatform.googleapis.com/v1", p.baseUrl());
    }

    @Test
    void shouldNameTheFieldOfABadCloudSetting() {
        ConfigException version = assertThrows(ConfigException.class, () -> parse("""
                - id: p
                  type: azure-openai
                  baseUrl: https://res.openai.azure.com
                  azure: { apiVersion: latest }
                  keys: [ { id: k, secret: s } ]
                """));
        assertTrue(version.getMessage().contains("apiVersion"), version.getMessage());
        ConfigException tenant = assertThrows(ConfigException.class, () -> parse("""
                - id: p
                  type: azure-openai
                  baseUrl: https://res.openai.azure.com
                  azure: { entra: { clientId: app-1 } }
                  keys: [ { id: k, secret: s } ]
                """));
        assertTrue(tenant.getMessage().contains("tenantId"), tenant.getMessage());
        ConfigException entraSecret = assertThrows(ConfigException.class, () -> parse("""
                - id: p
                  type: azure-openai
                  baseUrl: https://res.openai.azure.com
                  azure: { entra: { tenantId: t-1, clientId: app-1 } }
                  keys: [ { id: k } ]
                """));
        assertTrue(entraSecret.getMessage().contains("keys[0].secret"), entraSecret.getMessage());
        ConfigException vertex = assertThrows(ConfigException.class, () -> parse("""
                - id: p
                  type: vertex
                  keys: [ { id: k, secret: s } ]
                """));
        assertTrue(vertex.getMessage().contains("vertex"), vertex.getMessage());
        ConfigException misplaced = assertThrows(ConfigException.class, () -> parse("""
                - id: p
                  type: openai
                  baseUrl: https://api.openai.com/v1
                  vertex: { project: my-project, location: us-east5 }
                  keys: [ { id: k, secret: s } ]
                """));
        assertTrue(misplaced.getMessage().contains("vertex"), misplaced.getMessage());
    }

    @Test
    void shouldReadABedrockProviderWithAwsKeysAndDeriveItsEndpoint() {
        ProviderConfig p = parse("""
                - id: p
                  type: bedrock
                  bedrock: { region: eu-central-1, models: { claude: "anthropic.claude-sonnet-4-5-20250929-v1:0" } }
                  keys:
                    - { id: k, accessKeyId: AKIDEXAMPLE, secretAccessKey: "wJalr/K7+KEY" }
                    - { id: t, accessKeyId: ASIAEXAMPLE, secretAccessKey: s, sessionToken: "tok/=" }
                """).providers().get(0);
        assertEquals(ProviderType.BEDROCK, p.providerType());
        assertEquals(Protocol.BEDROCK_CONVERSE, p.protocol());
        assertEquals("https://bedrock-runtime.eu-central-1.amazonaws.com", p.baseUrl());
        assertEquals("AKIDEXAMPLE:wJalr/K7+KEY", p.keys().get(0).secret());
        assertEquals("ASIAEXAMPLE:s:tok/=", p.keys().get(1).secret());
        assertEquals(
                "anthropic.claude-sonnet-4-5-20250929-v1:0",
                p.bedrock().models().get("claude"));
    }

    @Test
    void shouldTakeABedrockProviderWithoutKeysForTheStandardChain() {
        ProviderConfig p = parse("""
                - id: p
                  type: bedrock
                  bedrock: { region: us-east-1 }
                """).providers().get(0);
        assertTrue(p.keys().isEmpty());
    }

    @Test
    void shouldNameTheFieldOfABadBedrockSetting() {
        String missing = assertThrows(ConfigException.class, () -> parse("""
                        - id: p
                          type: bedrock
                        """)).getMessage();
        assertTrue(missing.contains("bedrock: is required"), missing);
        String region = assertThrows(ConfigException.class, () -> parse("""
                        - id: p
                          type: bedrock
                          bedrock: { region: mars }
                        """)).getMessage();
        assertTrue(region.contains("region") && region.contains("an AWS region such as us-east-1"), region);
        String both = assertThrows(ConfigException.class, () -> parse("""
                        - id: p
                          type: bedrock
                          bedrock: { region: us-east-1 }
                          keys: [ { id: k, secret: "a:b", accessKeyId: A, secretAccessKey: B } ]
                        """)).getMessage();
        assertTrue(both.contains("either secret or accessKeyId"), both);
        String half = assertThrows(ConfigException.class, () -> parse("""
                        - id: p
                          type: bedrock
                          bedrock: { region: us-east-1 }
                          keys: [ { id: k, accessKeyId: A } ]
                        """)).getMessage();
        assertTrue(half.contains("secretAccessKey"), half);
        String elsewhere = assertThrows(ConfigException.class, () -> parse("""
                        - id: p
                          type: openai
                          baseUrl: https://api.openai.com/v1
                          keys: [ { id: k, accessKeyId: A, secretAccessKey: B } ]
                        """)).getMessage();
        assertTrue(elsewhere.contains("accessKeyId") && elsewhere.contains("only a bedrock"), elsewhere);
    }
}
