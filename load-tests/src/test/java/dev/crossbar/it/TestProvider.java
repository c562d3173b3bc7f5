package dev.crossbar.it;

import dev.crossbar.gateway.config.AzureConfig;
import dev.crossbar.gateway.config.BedrockConfig;
import dev.crossbar.gateway.config.BodyFieldsConfig;
import dev.crossbar.gateway.config.ProviderConfig;
import dev.crossbar.gateway.config.ProviderKeyConfig;
import dev.crossbar.gateway.config.VertexConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A provider of a test's node config, built from the typed records for the mock's base URL (as {@link TestConfig}
 * is): on the mock at a path, or on another server ({@link #at}), with the node's default for every setting
 * not set. The cloud settings that name token endpoints point them at the mock's.
 */
public final class TestProvider implements Function<String, ProviderConfig> {

    private final String id;
    private final String type;
    private final String path;
    private final String baseUrl;
    private List<ProviderKeyConfig> keys = List.of();
    private Duration timeout;
    private String api;
    private Boolean http2;
    private String caCertificate;
    private String azureApiVersion;
    private Map<String, String> azureDeployments;
    private String entraTenantId;
    private String entraClientId;
    private String vertexProject;
    private String vertexLocation;
    private String vertexPublisher;
    private BedrockConfig bedrock;
    private BodyFieldsConfig bodyFields;

    private TestProvider(String id, String type, String path, String baseUrl) {
        this.id = id;
        this.type = type;
        this.path = path;
        this.baseUrl = baseUrl;
    }

    /** A provider of this id and type on the mock, its API at {@code path} ({@code /v1}, {@code /v1beta}, or "" for the root). */
    public static TestProvider onMock(String id, String type, String path) {
        return new TestProvider(id, type, path, null);
    }

    /** A provider of this id and type on another server than the mock, at this base URL. */
    public static TestProvider at(String id, String type, String baseUrl) {
        return new TestProvider(id, type, null, baseUrl);
    }

    public TestProvider keys(ProviderKeyConfig... providerKeys) {
        keys = List.of(providerKeys);
        return this;
    }

    public TestProvider timeout(Duration firstByte) {
        timeout = firstByte;
        return this;
    }

    /** The API an OpenAI-family provider is spoken to in ({@code responses}), or null for its type's. */
    public TestProvider api(String name) {
        api = name;
        return this;
    }

    /** Over TLS, whether to offer HTTP/2. */
    public TestProvider http2(boolean offer) {
        http2 = offer;
        return this;
    }

    /** The PEM file of the CA to trust for this provider. */
    public TestProvider caCertificate(String pemFile) {
        caCertificate = pemFile;
        return this;
    }

    /** An azure-openai provider's API version (null for v1) and the deployment serving each model. */
    public TestProvider azure(String apiVersion, Map<String, String> deployments) {
        azureApiVersion = apiVersion;
        azureDeployments = deployments;
        return this;
    }

    /** An azure-openai provider's Entra ID application, whose tokens the mock's tenant endpoint issues. */
    public TestProvider entra(String tenantId, String clientId) {
        entraTenantId = tenantId;
        entraClientId = clientId;
        return this;
    }

    /** A vertex provider's project, location and publisher; the mock's {@code /token} issues its access tokens. */
    public TestProvider vertex(String project, String location, String publisher) {
        vertexProject = project;
        vertexLocation = location;
        vertexPublisher = publisher;
        return this;
    }

    /** A bedrock provider's region and the Bedrock model id serving each model. */
    public TestProvider bedrock(String region, Map<String, String> models) {
        bedrock = new BedrockConfig(region, models);
        return this;
    }

    /** The body fields this provider takes or drops, instead of its type's defaults. */
    public TestProvider bodyFields(BodyFieldsConfig fields) {
        bodyFields = fields;
        return this;
    }

    /** The provider with the mock at {@code mockUrl}. */
    @Override
    public ProviderConfig apply(String mockUrl) {
        AzureConfig.EntraConfig entra = entraTenantId == null
                ? null
                : new AzureConfig.EntraConfig(
                        entraTenantId, entraClientId, mockUrl + "/" + entraTenantId + "/oauth2/v2.0/token", null);
        AzureConfig azure = azureApiVersion == null && azureDeployments == null && entra == null
                ? null
                : new AzureConfig(azureApiVersion, azureDeployments, entra);
        VertexConfig vertex = vertexProject == null
                ? null
                : new VertexConfig(vertexProject, vertexLocation, vertexPublisher, mockUrl + "/token");
        return new ProviderConfig(
                id,
                type,
                baseUrl != null ? baseUrl : mockUrl + path,
                keys,
                timeout,
                null,
                null,
                http2,
                caCertificate,
                api,
                azure,
                vertex,
                bedrock,
                bodyFields,
                null);
    }
}
