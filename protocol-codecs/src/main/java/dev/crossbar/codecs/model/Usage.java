package dev.crossbar.codecs.model;

/**
 * The tokens of one exchange, by every kind a provider bills. Two totals and their parts:
 *
 * <ul>
 *   <li>{@code inputTokens}: every prompt token the provider took in, whatever it cost: uncached input,
 *       cache reads and cache writes together (OpenAI's {@code prompt_tokens}; Anthropic's {@code
 *       input_tokens + cache_read_input_tokens + cache_creation_input_tokens}; Gemini's {@code
 *       promptTokenCount + toolUsePromptTokenCount}).
 *   <li>{@code cacheReadTokens}: the part of the input read from the provider's prompt cache (OpenAI
 *       {@code cached_tokens}, DeepSeek {@code prompt_cache_hit_tokens}, Anthropic {@code
 *       cache_read_input_tokens}, Gemini {@code cachedContentTokenCount}).
 *   <li>{@code cacheWriteTokens}: the part of the input written to the cache, at any lifetime (Anthropic
 *       {@code cache_creation_input_tokens}, OpenAI {@code cache_write_tokens}).
 *   <li>{@code cacheWrite1hTokens}: the part of those writes kept for Anthropic's one hour ({@code
 *       cache_creation.ephemeral_1h_input_tokens}), priced apart; the rest are writes at the provider's
 *       standard lifetime (Anthropic's 5 minutes, {@link #cacheWrite5mTokens()}).
 *   <li>{@code outputTokens}: every generated token, reasoning included (OpenAI's {@code
 *       completion_tokens}; Anthropic's {@code output_tokens}; Gemini's {@code candidatesTokenCount +
 *       thoughtsTokenCount}).
 *   <li>{@code reasoningTokens}: the part of the output spent on reasoning (OpenAI {@code
 *       reasoning_tokens}, Anthropic {@code output_tokens_details.thinking_tokens}, Gemini {@code
 *       thoughtsTokenCount}).
 * </ul>
 *
 * A part never exceeds its total: the constructor raises a total that a provider reported below the sum
 * of its parts (so nothing is ever counted as less than the provider said) and treats negative counts as
 * zero. The kinds a price applies to are disjoint: {@link #uncachedInputTokens()}, cache reads, 5-minute
 * writes, 1-hour writes, {@link #visibleOutputTokens()} and reasoning.
 */
public record Usage(
        long inputTokens,
        long outputTokens,
        long cacheReadTokens,
        long cacheWriteTokens,
        long cacheWrite1hTokens,
        long reasoningTokens) {

    public static final Usage ZERO = new Usage(0, 0, 0, 0, 0, 0);

    public Usage {
        cacheReadTokens = Math.max(0, cacheReadTokens);
        cacheWrite1hTokens = Math.max(0, cacheWrite1hTokens);
        cacheWriteTokens = Math.max(cacheWrite1hTokens, cacheWriteTokens);
        inputTokens = Math.max(cacheReadTokens + cacheWriteTokens, inputTokens);
        reasoningTokens = Math.max(0, reasoningTokens);
        outputTokens = Math.max(reasoningTokens, outputTokens);
    }

    /** Input and output only, no cache and no reasoning. */
    public static Usage of(long input, long output) {
        return new Usage(input, output, 0, 0, 0, 0);
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    /** Input neither read from nor written to the cache. */
    public long uncachedInputTokens() {
        return inputTokens - cacheReadTokens - cacheWriteTokens;
    }

    /** Cache writes at the standard lifetime (Anthropic's 5 minutes, and every other provider's writes). */
    public long cacheWrite5mTokens() {
        return cacheWriteTokens - cacheWrite1hTokens;
    }

    /** Output that is not reasoning: the answer itself. */
    public long visibleOutputTokens() {
        return outputTokens - reasoningTokens;
    }

    /** The same counts with the output replaced (an early usage that knows only the input). */
    public Usage withOutput(long output, long reasoning) {
        return new Usage(inputTokens, output, cacheReadTokens, cacheWriteTokens, cacheWrite1hTokens, reasoning);
    }

    /** True when no kind has a count. */
    public boolean isZero() {
        return inputTokens == 0 && outputTokens == 0;
    }
}
