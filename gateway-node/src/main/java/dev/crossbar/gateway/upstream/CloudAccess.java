package dev.crossbar.gateway.upstream;

/**
 * How a cloud provider (Azure OpenAI, Vertex AI, Bedrock) is reached: its URLs and bodies, and how keys become credentials.
 * {@link dev.crossbar.gateway.upstream.cloud.Clouds} makes one for a provider's config.
 */
public record CloudAccess(Addressing addressing, ProviderAuth auth) {}
