package dev.crossbar.gateway.config;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One window of a shared bucket: what the provider allows in it. Absent or 0 is not limited in that dimension;
 * at least one must be set.
 *
 * @param window       the window's length (the bucket refills continuously over it), e.g. 1m or 1d
 * @param requests     requests per window
 * @param tokens       input and output tokens together per window
 * @param inputTokens  input tokens per window (Anthropic counts them apart)
 * @param outputTokens output tokens per window
 */
public record BucketWindowConfig(Duration window, Long requests, Long tokens, Long inputTokens, Long outputTokens) {

    // Not compact, so that a field left out (null) can be passed in for its default.
    public BucketWindowConfig(
            @Nullable Duration window,
            @Nullable Long requests,
            @Nullable Long tokens,
            @Nullable Long inputTokens,
            @Nullable Long outputTokens) {
        if (window == null) {
            throw new IllegalArgumentException("window is required (e.g. 1m or 1d)");
        }
        Check.positive("window", window.toMillis());
        requests = orZero("requests", requests);
        tokens = orZero("tokens", tokens);
        inputTokens = orZero("inputTokens", inputTokens);
        outputTokens = orZero("outputTokens", outputTokens);
        if (requests == 0 && tokens == 0 && inputTokens == 0 && outputTokens == 0) {
            throw new IllegalArgumentException("window " + DurationText.format(window)
                    + " limits nothing: give requests, tokens, inputTokens or outputTokens");
        }
        this.window = window;
        this.requests = requests;
        this.tokens = tokens;
        this.inputTokens = inputTokens;
        this.outputTokens = outputTokens;
    }

    private static long orZero(String field, @Nullable Long value) {
        if (value == null) {
            return 0;
        }
        Check.positive(field, value);
        return value;
    }
}
