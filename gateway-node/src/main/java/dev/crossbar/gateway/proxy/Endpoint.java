package dev.crossbar.gateway.proxy;

import dev.crossbar.codecs.spi.Protocol;

/**
 * What a client call asks of the upstream: a chat turn, translated when the protocols differ, or a
 * request forwarded as is to one endpoint of one upstream protocol (only targets of that protocol serve it).
 */
public enum Endpoint {
    CHAT(null, null),
    /** OpenAI {@code /v1/embeddings}, to OpenAI-compatible upstreams. */
    EMBEDDINGS("/embeddings", Protocol.OPENAI_CHAT),
    /** Anthropic {@code /v1/messages/count_tokens}, to Anthropic upstreams (estimated locally otherwise). */
    COUNT_TOKENS("/messages/count_tokens", Protocol.ANTHROPIC);

    private final String path;
    private final Protocol upstreamProtocol;

    Endpoint(String path, Protocol upstreamProtocol) {
        this.path = path;
        this.upstreamProtocol = upstreamProtocol;
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
        return upstreamProtocol == null || upstreamProtocol == upstream;
    }
}
