package dev.crossbar.gateway.upstream.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crossbar.gateway.config.AzureConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AzureAddressingTest {

    @Test
    void shouldPutTheDeploymentInThePathAndTheVersionInTheQueryOfTheDatedApi() {
        AzureAddressing azure = new AzureAddressing(new AzureConfig("2024-10-21", Map.of("gpt-4o", "prod"), null));
        String deployment = azure.model("gpt-4o");
        assertEquals("prod", deployment);
        assertEquals(
                "/openai/deployments/prod/chat/completions?api-version=2024-10-21",
                azure.path("/chat/completions", deployment, false));
        assertEquals(
                "/openai/deployments/prod/embeddings?api-version=2024-10-21",
                azure.path("/embeddings", deployment, false));
        assertEquals("/openai/responses?api-version=2024-10-21", azure.path("/responses", deployment, true));
    }

    @Test
    void shouldServeTheV1ApiUnderOpenAiV1WithTheDeploymentAsTheModel() {
        AzureAddressing azure = new AzureAddressing(new AzureConfig(null, Map.of("gpt-4o", "prod"), null));
        assertEquals("prod", azure.model("gpt-4o"));
        assertEquals("o3", azure.model("o3"), "a model without a deployment is its own deployment");
        assertEquals("/openai/v1/chat/completions", azure.path("/chat/completions", "prod", true));
        assertEquals("/openai/v1/responses", azure.path("/responses", "prod", false));
    }
}
