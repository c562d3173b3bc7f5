package dev.crossbar.gateway.proxy;

import dev.crossbar.codecs.spi.Protocol;
import java.util.List;

/**
 * What a client call asks of the upstream: a chat turn, translated when the protocols differ, or a
 * request forwarded as is to one endpoint of one upstream protocol (only targets of that protocol serve it).
 */
public enum Endpoint {
    CHAT(null),
    /** OpenAI {@code /v1/embeddings}, to OpenAI-compatible upstreams (spoken to in Chat Completions or Responses). */
    EMBEDDINGS("/embeddings", Protocol.OPENAI_CHAT, Protocol.OPENAI_RESPONSES),
    /** Anthropic {@code /v1/messages/count_tokens}, to Anthropic upstreams (estimated locally otherwise). */
    COUNT_TOKENS("/messages/count_tokens", Protocol.ANTHROPIC);

    private final String path;
    private final List<Protocol> upstreamProtocols;

    Endpoint(String path, Protocol... upstreamProtocols) {
        this.path = path;
        this.upstreamProtocols = List.of(upstreamProtocols);
    }

    boolean forwardsAsIs() {
        return this != CHAT;
    }

    /** The path under the provider's base URL (forwarded endpoints only). */
    String path() {
        return path;
    }

    /** Whether an upstream of this protocol can serve the call. */
    boolean servedBy(Protocol upstream) {
        return upstreamProtocols.isEmpty() || upstreamProtocols.contains(upstream);
    }
}
