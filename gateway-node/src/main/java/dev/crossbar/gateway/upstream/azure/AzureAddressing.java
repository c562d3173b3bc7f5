package dev.crossbar.gateway.upstream.azure;

import dev.crossbar.gateway.config.AzureConfig;
import dev.crossbar.gateway.upstream.Addressing;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Azure OpenAI's URLs under the resource endpoint. The v1 API is OpenAI's under {@code /openai/v1}, the deployment
 * named as the model. The dated API puts the deployment in the path of the per-deployment operations and the
 * version in the query: {@code /openai/deployments/{deployment}/chat/completions?api-version=2024-10-21}.
 */
public final class AzureAddressing implements Addressing {

    /** The operations the dated API serves under a deployment; the rest (the Responses API) sit under /openai. */
    private static final Set<String> PER_DEPLOYMENT = Set.of("/chat/completions", "/embeddings", "/completions");

    private final AzureConfig azure;
    private final String versionQuery;

    public AzureAddressing(AzureConfig azure) {
        this.azure = azure;
        this.versionQuery = "api-version=" + URLEncoder.encode(azure.apiVersion(), StandardCharsets.UTF_8);
    }

    @Override
    public String model(String upstreamModel) {
        return azure.deployments().getOrDefault(upstreamModel, upstreamModel);
    }

    @Override
    public String path(String path, String model, boolean stream) {
        if (azure.v1()) {
            return "/openai/v1" + path;
        }
        String separator = path.indexOf('?') >= 0 ? "&" : "?";
        if (PER_DEPLOYMENT.contains(path)) {
            return "/openai/deployments/" + URLEncoder.encode(model, StandardCharsets.UTF_8) + path + separator
                    + versionQuery;
        }
        return "/openai" + path + separator + versionQuery;
    }
}
