package dev.crossbar.codecs.spi;

import org.jspecify.annotations.Nullable;

/**
 * What the gateway reads of a client's request to route, limit and account for it (DESIGN.md 3): a body
 * forwarded to a provider of the client's own protocol is never decoded further.
 *
 * @param model        the model the client named
 * @param stream       true when the client asks for a streamed answer
 * @param maxTokens    the most output tokens the client allows, or null when it set none
 * @param includeUsage OpenAI {@code stream_options.include_usage}: the client wants a usage chunk
 */
public record RequestFacts(
        String model, boolean stream, @Nullable Integer maxTokens, boolean includeUsage) {}
