package dev.crossbar.gateway.config;

import dev.crossbar.codecs.spi.Protocol;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** The upstream families Crossbar speaks, with the protocol each uses and whether it needs a key. */
public enum ProviderType {
    OPENAI("openai", Protocol.OPENAI_CHAT, true),
    ANTHROPIC("anthropic", Protocol.ANTHROPIC, true),
    GEMINI("gemini", Protocol.GEMINI, true),
    MISTRAL("mistral", Protocol.OPENAI_CHAT, true),
    DEEPSEEK("deepseek", Protocol.OPENAI_CHAT, true),
    VLLM("vllm", Protocol.OPENAI_CHAT, false),
    LLAMA_CPP("llamacpp", Protocol.OPENAI_CHAT, false),
    OLLAMA("ollama", Protocol.OPENAI_CHAT, false),
    OPENAI_COMPATIBLE("openai-compatible", Protocol.OPENAI_CHAT, false),
    AZURE_OPENAI("azure-openai", Protocol.OPENAI_CHAT, true),
    /** Gemini by default; a provider whose publisher is anthropic speaks Anthropic Messages (ProviderConfig). */
    VERTEX("vertex", Protocol.GEMINI, true),
    /** Keys are optional: without them the standard AWS credential chain signs (BedrockConfig). */
    BEDROCK("bedrock", Protocol.BEDROCK_CONVERSE, false);

    private static final Map<String, ProviderType> BY_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(ProviderType::configName, t -> t));

    private final String configName;
    private final Protocol protocol;
    private final boolean needsKey;

    ProviderType(String configName, Protocol protocol, boolean needsKey) {
        this.configName = configName;
        this.protocol = protocol;
        this.needsKey = needsKey;
    }

    public String configName() {
        return configName;
    }

    public Protocol protocol() {
        return protocol;
    }

    public boolean needsKey() {
        return needsKey;
    }

    /**
     * True when the provider counts prompt tokens read from its cache against its token limit. Anthropic
     * leaves them out of its input-tokens-per-minute limit (for current models: "only uncached input tokens
     * count"); OpenAI counts every prompt token, cached or not, as the rate limiter runs before any cache
     * lookup; the others document no exception, so they are taken to count them (the safe side of a limit).
     */
    public boolean countsCacheReadsAgainstLimits() {
        return this != ANTHROPIC;
    }

    /** A config name's type, in any case; null when none has it. */
    public static @Nullable ProviderType byName(String name) {
        return BY_NAME.get(name.toLowerCase(Locale.ROOT));
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(ProviderType::configName).toList();
    }
}
