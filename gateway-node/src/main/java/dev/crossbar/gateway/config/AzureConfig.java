package dev.crossbar.gateway.config;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How an {@code azure-openai} provider is addressed and authenticated.
 *
 * @param apiVersion  {@code v1} (the default) for the v1 API, {@code {baseUrl}/openai/v1/...} with the deployment
 *                    as the model; or a dated version such as {@code 2024-10-21} for the deployment URLs,
 *                    {@code {baseUrl}/openai/deployments/{deployment}/chat/completions?api-version=...}
 * @param deployments the deployment serving each upstream model the routes name; a model not listed is its own
 *                    deployment name
 * @param entra       Microsoft Entra ID client credentials: each key's secret is then the client secret of this
 *                    application; absent, each key's secret is a resource key sent as {@code api-key}
 */
public record AzureConfig(
        String apiVersion,
        Map<String, String> deployments,
        @Nullable EntraConfig entra) {

    public static final String V1 = "v1";

    // Not compact, so that a field left out (null) can be passed in for its default.
    public AzureConfig(
            @Nullable String apiVersion, @Nullable Map<String, String> deployments, @Nullable EntraConfig entra) {
        apiVersion = apiVersion == null ? V1 : apiVersion;
        if (!apiVersion.equals(V1) && !apiVersion.matches("\\d{4}-\\d{2}-\\d{2}(-preview)?")) {
            throw new IllegalArgumentException(
                    "apiVersion must be v1 or a dated version such as 2024-10-21, was '" + apiVersion + "'");
        }
        deployments = deployments == null ? Map.of() : Map.copyOf(deployments);
        deployments.forEach((model, deployment) -> Check.required("deployments." + model, deployment));
        this.apiVersion = apiVersion;
        this.deployments = deployments;
        this.entra = entra;
    }

    public boolean v1() {
        return V1.equals(apiVersion);
    }

    /**
     * An Entra ID application whose client secret is the key's secret.
     *
     * @param tokenUrl default {@code https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token}
     * @param scope    default {@code https://cognitiveservices.azure.com/.default}
     */
    public record EntraConfig(String tenantId, String clientId, String tokenUrl, String scope) {

        // Not compact, so that a field left out (null) can be passed in for its default.
        public EntraConfig(String tenantId, String clientId, @Nullable String tokenUrl, @Nullable String scope) {
            Check.required("tenantId", tenantId);
            Check.required("clientId", clientId);
            tokenUrl = tokenUrl == null
                    ? "https://login.microsoftonline.com/" + tenantId + "/oauth2/v2.0/token"
                    : Check.httpUrl("tokenUrl", tokenUrl);
            scope = scope == null ? "https://cognitiveservices.azure.com/.default" : scope;
            this.tenantId = tenantId;
            this.clientId = clientId;
            this.tokenUrl = tokenUrl;
            this.scope = scope;
        }
    }
}
