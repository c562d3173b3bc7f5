package dev.crossbar.codecs.spi;

import dev.crossbar.codecs.json.ModelSpan;
import org.jspecify.annotations.Nullable;

/**
 * What the gateway reads of a client's request to route, limit and account for it (DESIGN.md 3): a body
 * forwarded to a provider of the client's own protocol is never decoded further.
 *
 * @param model        the model the client named
 * @param stream       true when the client asks for a streamed answer
 * @param maxTokens    the most output tokens the client allows, or null when it set none
 * @param includeUsage OpenAI {@code stream_options.include_usage}: the client wants a usage chunk
 * @param streamOptions OpenAI: the body has a top-level {@code stream_options} (null included), which asking for
 *     usage must change rather than add to
 * @param modelSpan    where intake found the model in the body it read, or null (see {@link ModelSpan})
 */
public record RequestFacts(
        String model,
        boolean stream,
        @Nullable Integer maxTokens,
        boolean includeUsage,
        boolean streamOptions,
        @Nullable ModelSpan modelSpan) {

    /** Facts read from members, with no span, of a body without {@code stream_options}. */
    public RequestFacts(String model, boolean stream, @Nullable Integer maxTokens, boolean includeUsage) {
        this(model, stream, maxTokens, includeUsage, false, null);
    }

    /** These facts with where the model lies in the body they were read from. */
    public RequestFacts withModelSpan(@Nullable ModelSpan span) {
        return new RequestFacts(model, stream, maxTokens, includeUsage, streamOptions, span);
    }
}
