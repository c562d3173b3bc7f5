package dev.crossbar.codecs.model;

/**
 * Token counts of one exchange. {@code inputTokens} includes cached input (OpenAI semantics);
 * {@code outputTokens} includes reasoning tokens.
 */
public record Usage(long inputTokens, long outputTokens, long cachedInputTokens, long reasoningTokens) {

    public static final Usage ZERO = new Usage(0, 0, 0, 0);

    public static Usage of(long input, long output) {
        return new Usage(input, output, 0, 0);
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }
}
