package dev.crossbar.gateway.upstream.cloud;

import dev.crossbar.gateway.config.AzureConfig;
import dev.crossbar.gateway.config.AzureConfig.EntraConfig;
import dev.crossbar.gateway.config.BedrockConfig;
import dev.crossbar.gateway.config.ProviderConfig;
import dev.crossbar.gateway.config.ProviderKeyConfig;
import dev.crossbar.gateway.config.ProviderType;
import dev.crossbar.gateway.config.VertexConfig;
import dev.crossbar.gateway.upstream.CloudAccess;
import dev.crossbar.gateway.upstream.auth.BearerTokens;
import dev.crossbar.gateway.upstream.auth.TokenEndpoint;
import dev.crossbar.gateway.upstream.azure.AzureAddressing;
import dev.crossbar.gateway.upstream.azure.AzureKeyHeader;
import dev.crossbar.gateway.upstream.azure.EntraClientCredentials;
import dev.crossbar.gateway.upstream.bedrock.BedrockAddressing;
import dev.crossbar.gateway.upstream.bedrock.SigV4Auth;
import dev.crossbar.gateway.upstream.vertex.ServiceAccountJwt;
import dev.crossbar.gateway.upstream.vertex.ServiceAccountKey;
import dev.crossbar.gateway.upstream.vertex.VertexAddressing;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import java.time.Clock;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Builds the {@link CloudAccess} of a cloud provider (Azure OpenAI with an api-key or Entra ID, Vertex AI with a
 * service account, Bedrock with AWS SigV4): the one place that knows every cloud, so the upstream package depends on none of them.
 */
public final class Clouds {

    private Clouds() {}

    /** The provider's cloud access, or null for a vendor's own API. Fails on a key that cannot be a credential. */
    public static @Nullable CloudAccess access(ProviderConfig provider, Vertx vertx, Clock clock) {
        if (provider.providerType() == ProviderType.AZURE_OPENAI) {
            return azure(
                    Objects.requireNonNull(
                            provider.azure(), "ProviderConfig defaults an azure-openai provider's azure"),
                    vertx,
                    clock);
        }
        if (provider.providerType() == ProviderType.VERTEX) {
            return vertex(provider, vertx, clock);
        }
        if (provider.providerType() == ProviderType.BEDROCK) {
            return bedrock(provider, vertx, clock);
        }
        return null;
    }

    private static CloudAccess azure(AzureConfig azure, Vertx vertx, Clock clock) {
        AzureAddressing addressing = new AzureAddressing(azure);
        EntraConfig entra = azure.entra();
        if (entra == null) {
            return new CloudAccess(addressing, new AzureKeyHeader());
        }
        TokenEndpoint endpoint = new TokenEndpoint(tokenClient(vertx), entra.tokenUrl(), clock);
        return new CloudAccess(
                addressing,
                new BearerTokens(
                        key -> new EntraClientCredentials(
                                endpoint,
                                entra,
                                Objects.requireNonNull(
                                        key.secret(), "config and the admin API refuse an Entra key without secret")),
                        clock));
    }

    private static CloudAccess vertex(ProviderConfig provider, Vertx vertx, Clock clock) {
        VertexConfig vertex =
                Objects.requireNonNull(provider.vertex(), "ProviderConfig requires vertex of a vertex provider");
        for (ProviderKeyConfig k : provider.keys()) {
            ServiceAccountKey.parse(k.secret(), k.id());
        }
        HttpClient client = tokenClient(vertx);
        return new CloudAccess(
                new VertexAddressing(vertex),
                new BearerTokens(
                        key -> {
                            ServiceAccountKey account = ServiceAccountKey.parse(key.secret(), key.id());
                            String tokenUrl = vertex.tokenUrl();
                            String url = tokenUrl != null ? tokenUrl : account.tokenUri();
                            return new ServiceAccountJwt(account, new TokenEndpoint(client, url, clock), clock);
                        },
                        clock));
    }

    private static CloudAccess bedrock(ProviderConfig provider, Vertx vertx, Clock clock) {
        BedrockConfig bedrock =
                Objects.requireNonNull(provider.bedrock(), "ProviderConfig requires bedrock of a bedrock provider");
        for (ProviderKeyConfig k : provider.keys()) {
            if (k.secret() != null) {
                SigV4Auth.parse(k.secret(), k.id());
            }
        }
        return new CloudAccess(
                new BedrockAddressing(bedrock),
                SigV4Auth.of(
                        bedrock.region(),
                        vertx,
                        DefaultCredentialsProvider.builder().build(),
                        clock));
    }

    private static HttpClient tokenClient(Vertx vertx) {
        return vertx.createHttpClient(
                new HttpClientOptions().setConnectTimeout(10_000).setKeepAlive(true));
    }
}
