package dev.crossbar.codecs.testkit;

import dev.crossbar.codecs.model.Usage;

/** What a protocol's usage fields can say of a canonical usage, for round-trip normalisers. */
public final class UsageFields {

    private UsageFields() {}

    /** OpenAI's usage (Chat Completions and Responses) has one cache-write count: no lifetimes. */
    public static Usage openAi(Usage u) {
        return new Usage(
                u.inputTokens(), u.outputTokens(), u.cacheReadTokens(), u.cacheWriteTokens(), 0, u.reasoningTokens());
    }

    /** Gemini's usageMetadata has no cache writes: they read back as plain prompt tokens. */
    public static Usage gemini(Usage u) {
        return new Usage(u.inputTokens(), u.outputTokens(), u.cacheReadTokens(), 0, 0, u.reasoningTokens());
    }
}
