package dev.crossbar.codecs.spi;

/** What a client call asks of a provider. */
public enum Endpoint {
    /** A chat turn: forwarded unchanged to a provider of the client's protocol, translated to any other. */
    CHAT,
    /** OpenAI embeddings: forwarded unchanged, only to providers that serve them. */
    EMBEDDINGS,
    /** Anthropic's token counter: forwarded unchanged, only to providers that serve it. */
    COUNT_TOKENS;

    /** True when the body only ever goes to providers of the client's protocol, as sent. */
    public boolean forwardsOnly() {
        return this != CHAT;
    }
}
