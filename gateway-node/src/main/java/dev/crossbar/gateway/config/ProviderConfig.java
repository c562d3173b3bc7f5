package dev.crossbar.gateway.config;

import dev.crossbar.codecs.spi.Protocol;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An upstream service and its key pool.
 *
 * @param type    openai, anthropic, gemini, mistral, deepseek, vllm, llamacpp, ollama, openai-compatible,
 *                azure-openai, vertex or bedrock
 * @param baseUrl the API root including its version segment, e.g. https://api.openai.com/v1; for azure-openai the
 *                resource endpoint (https://NAME.openai.azure.com); for vertex and bedrock optional (the location's or
 *                region's endpoint)
 * @param timeout longest wait for the first byte of an answer, and then again for the rest of a whole one
 * @param streamIdleTimeout longest silence inside a stream before it is cut
 * @param http2   over TLS, offer HTTP/2 (ALPN) before HTTP/1.1; default true
 * @param caCertificate a PEM file of the CA to trust for this provider (self-hosted servers); default the JDK's
 * @param api     the API an OpenAI-family provider is spoken to in: {@code chat} (Chat Completions, the default)
 *                or {@code responses} (the Responses API, {@code {baseUrl}/responses})
 * @param azure   deployments, API version and Entra ID settings of an azure-openai provider
 * @param vertex  project, location and publisher of a vertex provider
 * @param bedrock region and model ids of a bedrock provider
 * @param bodyFields which fields of a body forwarded unchanged this provider gets; default
 *                {@link BodyFieldsConfig#PROVIDER_DEFAULT}
 * @param buckets limits the provider counts over several keys or per model (docs/key-pool.md, "Shared
 *                buckets"); each key's own limits stay its own bucket
 */
public record ProviderConfig(
        String id,
        String type,
        String baseUrl,
        List<ProviderKeyConfig> keys,
        Duration timeout,
        Duration streamIdleTimeout,
        Integer maxConnections,
        Boolean http2,
        @Nullable String caCertificate,
        String api,
        @Nullable AzureConfig azure,
        @Nullable VertexConfig vertex,
        @Nullable BedrockConfig bedrock,
        BodyFieldsConfig bodyFields,
        List<BucketConfig> buckets) {

    /** The provider types known to offer {@code /responses}: OpenAI, and servers that copy it. */
    private static final Set<ProviderType> RESPONSES_TYPES = Set.of(
            ProviderType.OPENAI,
            ProviderType.VLLM,
            ProviderType.LLAMA_CPP,
            ProviderType.OLLAMA,
            ProviderType.OPENAI_COMPATIBLE,
            ProviderType.AZURE_OPENAI);

    /** A provider with every optional setting left at its default, as a config file that names only these would. */
    public static ProviderConfig of(String id, String type, String baseUrl, List<ProviderKeyConfig> keys) {
        return new ProviderConfig(
                id, type, baseUrl, keys, null, null, null, null, null, null, null, null, null, null, null);
    }

    // Not compact, so that a field left out (null) can be passed in for its default.
    public ProviderConfig(
            String id,
            String type,
            @Nullable String baseUrl,
            @Nullable List<ProviderKeyConfig> keys,
            @Nullable Duration timeout,
            @Nullable Duration streamIdleTimeout,
            @Nullable Integer maxConnections,
            @Nullable Boolean http2,
            @Nullable String caCertificate,
            @Nullable String api,
            @Nullable AzureConfig azure,
            @Nullable VertexConfig vertex,
            @Nullable BedrockConfig bedrock,
            @Nullable BodyFieldsConfig bodyFields,
            @Nullable List<BucketConfig> buckets) {
        Check.required("id", id);
        Check.required("type", type);
        ProviderType known = ProviderType.byName(type);
        if (known == null) {
            throw new IllegalArgumentException("type must be one of " + ProviderType.names() + ", was '" + type + "'");
        }
        if (known == ProviderType.AZURE_OPENAI) {
            azure = azure == null ? new AzureConfig(null, null, null) : azure;
        } else if (azure != null) {
            throw new IllegalArgumentException("azure: only an azure-openai provider takes it, not a " + type + " one");
        }
        if (known == ProviderType.VERTEX) {
            if (vertex == null) {
                throw new IllegalArgumentException("vertex is required for a vertex provider (project, location)");
            }
            baseUrl = baseUrl == null ? vertex.defaultBaseUrl() : baseUrl;
        } else if (vertex != null) {
            throw new IllegalArgumentException("vertex: only a vertex provider takes it, not a " + type + " one");
        }
        if (known == ProviderType.BEDROCK) {
            if (bedrock == null) {
                throw new IllegalArgumentException("bedrock is required for a bedrock provider (region)");
            }
            baseUrl = baseUrl == null ? bedrock.defaultBaseUrl() : baseUrl;
        } else if (bedrock != null) {
            throw new IllegalArgumentException("bedrock: only a bedrock provider takes it, not a " + type + " one");
        }
        baseUrl = Check.required("baseUrl", baseUrl);
        if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
            throw new IllegalArgumentException("baseUrl must start with http:// or https://, was '" + baseUrl + "'");
        }
        keys = keys == null ? List.of() : List.copyOf(keys);
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i).accessKeyId() != null && known != ProviderType.BEDROCK) {
                throw new IllegalArgumentException(
                        "keys[" + i + "].accessKeyId: only a bedrock provider's keys are AWS credentials");
            }
            if (azure != null && azure.entra() != null && keys.get(i).secret() == null) {
                throw new IllegalArgumentException("keys[" + i + "].secret is required: an azure-openai provider with"
                        + " entra sends it as the application's client secret");
            }
        }
        if (keys.isEmpty() && known.needsKey()) {
            throw new IllegalArgumentException("keys: a " + type + " provider needs at least one key");
        }
        timeout = timeout == null ? Duration.ofSeconds(60) : timeout;
        Check.positive("timeout", timeout.toMillis());
        streamIdleTimeout = streamIdleTimeout == null ? Duration.ofSeconds(60) : streamIdleTimeout;
        Check.positive("streamIdleTimeout", streamIdleTimeout.toMillis());
        maxConnections = maxConnections == null ? 256 : maxConnections;
        Check.positive("maxConnections", maxConnections);
        http2 = http2 == null || http2;
        if (caCertificate != null) {
            if (!baseUrl.startsWith("https://")) {
                throw new IllegalArgumentException("caCertificate needs an https:// baseUrl, was '" + baseUrl + "'");
            }
            Check.readableFile("caCertificate", caCertificate);
        }
        bodyFields = bodyFields == null ? BodyFieldsConfig.PROVIDER_DEFAULT : bodyFields;
        if (bodyFields.action() == null) {
            bodyFields = new BodyFieldsConfig(bodyFields.allow(), bodyFields.deny(), BodyFieldsConfig.DROP);
        }
        buckets = buckets == null ? List.of() : List.copyOf(buckets);
        checkBuckets(keys, buckets);
        api = api == null ? "chat" : api;
        if (!api.equals("chat") && !api.equals("responses")) {
            throw new IllegalArgumentException("api must be chat or responses, was '" + api + "'");
        }
        if (api.equals("responses") && !RESPONSES_TYPES.contains(known)) {
            throw new IllegalArgumentException(
                    "api: responses needs a provider that offers the Responses API (openai, vllm, llamacpp, ollama, "
                            + "openai-compatible, azure-openai), not a " + type + " one");
        }
        this.id = id;
        this.type = type;
        this.baseUrl = baseUrl;
        this.keys = keys;
        this.timeout = timeout;
        this.streamIdleTimeout = streamIdleTimeout;
        this.maxConnections = maxConnections;
        this.http2 = http2;
        this.caCertificate = caCertificate;
        this.api = api;
        this.azure = azure;
        this.vertex = vertex;
        this.bedrock = bedrock;
        this.bodyFields = bodyFields;
        this.buckets = buckets;
    }

    private static void checkBuckets(List<ProviderKeyConfig> keys, List<BucketConfig> buckets) {
        Set<String> keyIds = new HashSet<>();
        keys.forEach(k -> keyIds.add(k.id()));
        Set<String> names = new HashSet<>();
        for (int i = 0; i < buckets.size(); i++) {
            BucketConfig bucket = buckets.get(i);
            if (!names.add(bucket.name())) {
                throw new IllegalArgumentException(
                        "buckets[" + i + "].name: '" + bucket.name() + "' is used by another bucket of this provider");
            }
            if (bucket.keys() == null) {
                continue;
            }
            for (int j = 0; j < bucket.keys().size(); j++) {
                if (!keyIds.contains(bucket.keys().get(j))) {
                    throw new IllegalArgumentException("buckets[" + i + "].keys[" + j + "]: '"
                            + bucket.keys().get(j) + "' is not a key of this provider (its keys: "
                            + keyIds.stream().sorted().toList() + ")");
                }
            }
        }
    }

    /** The wire protocol Crossbar speaks to this provider. */
    public Protocol protocol() {
        if ("responses".equals(api)) {
            return Protocol.OPENAI_RESPONSES;
        }
        if (vertex != null && VertexConfig.ANTHROPIC.equals(vertex.publisher())) {
            return Protocol.ANTHROPIC;
        }
        return providerType().protocol();
    }

    public ProviderType providerType() {
        return Objects.requireNonNull(ProviderType.byName(type), "checked in the constructor");
    }
}
