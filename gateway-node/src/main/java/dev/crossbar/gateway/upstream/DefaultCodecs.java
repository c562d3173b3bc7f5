package dev.crossbar.gateway.upstream;

import dev.crossbar.codecs.anthropic.AnthropicClientCodec;
import dev.crossbar.codecs.anthropic.AnthropicUpstreamCodec;
import dev.crossbar.codecs.bedrock.BedrockUpstreamCodec;
import dev.crossbar.codecs.gemini.GeminiClientCodec;
import dev.crossbar.codecs.gemini.GeminiUpstreamCodec;
import dev.crossbar.codecs.openai.OpenAiChatClientCodec;
import dev.crossbar.codecs.openai.OpenAiDialect;
import dev.crossbar.codecs.openai.OpenAiUpstreamCodec;
import dev.crossbar.codecs.responses.OpenAiResponsesClientCodec;
import dev.crossbar.codecs.responses.OpenAiResponsesUpstreamCodec;
import dev.crossbar.codecs.spi.ClientCodec;
import dev.crossbar.codecs.spi.Protocol;
import dev.crossbar.codecs.spi.UpstreamCodec;
import dev.crossbar.gateway.config.ProviderConfig;
import dev.crossbar.gateway.config.ProviderType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The codecs of protocol-codecs, one stateless instance each: registering a client codec here is all the
 * gateway needs to serve its protocol (its routes, key and model list come with it).
 */
public final class DefaultCodecs implements Codecs {

    private final List<ClientCodec> clientList = List.of(
            new OpenAiChatClientCodec(),
            new OpenAiResponsesClientCodec(),
            new AnthropicClientCodec(),
            new GeminiClientCodec());
    private final Map<ProviderType, UpstreamCodec> upstreams = new EnumMap<>(ProviderType.class);
    private final UpstreamCodec responses = new OpenAiResponsesUpstreamCodec();

    public DefaultCodecs() {
        upstreams.put(ProviderType.OPENAI, new OpenAiUpstreamCodec(OpenAiDialect.OPENAI));
        upstreams.put(ProviderType.MISTRAL, new OpenAiUpstreamCodec(OpenAiDialect.MISTRAL));
        upstreams.put(ProviderType.DEEPSEEK, new OpenAiUpstreamCodec(OpenAiDialect.DEEPSEEK));
        upstreams.put(ProviderType.VLLM, new OpenAiUpstreamCodec(OpenAiDialect.VLLM));
        upstreams.put(ProviderType.LLAMA_CPP, new OpenAiUpstreamCodec(OpenAiDialect.LLAMA_CPP));
        upstreams.put(ProviderType.OLLAMA, new OpenAiUpstreamCodec(OpenAiDialect.OLLAMA));
        upstreams.put(ProviderType.OPENAI_COMPATIBLE, new OpenAiUpstreamCodec(OpenAiDialect.GENERIC));
        upstreams.put(ProviderType.ANTHROPIC, new AnthropicUpstreamCodec());
        upstreams.put(ProviderType.GEMINI, new GeminiUpstreamCodec());
        upstreams.put(ProviderType.AZURE_OPENAI, upstreams.get(ProviderType.OPENAI));
        upstreams.put(ProviderType.BEDROCK, new BedrockUpstreamCodec());
    }

    @Override
    public List<ClientCodec> clients() {
        return clientList;
    }

    @Override
    public UpstreamCodec upstream(ProviderConfig provider) {
        if (provider.protocol() == Protocol.OPENAI_RESPONSES) {
            return responses;
        }
        if (provider.providerType() == ProviderType.VERTEX) {
            // Vertex serves each publisher's models in that publisher's own API.
            return Objects.requireNonNull(upstreams.get(
                    provider.protocol() == Protocol.ANTHROPIC ? ProviderType.ANTHROPIC : ProviderType.GEMINI));
        }
        return Objects.requireNonNull(
                upstreams.get(provider.providerType()), "every provider type but vertex has its own codec");
    }
}
