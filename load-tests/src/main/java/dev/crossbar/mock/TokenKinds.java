package dev.crossbar.mock;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tokens of a reply beyond its text, as a test asks for them with {@code mock:usage} in the last user
 * text, e.g. {@code mock:usage cache_read=1200 cache_write_5m=300 cache_write_1h=100 reasoning=40}: prompt
 * tokens read from or written to a (pretend) prompt cache on top of the prompt's own, and hidden reasoning on
 * top of the reply's text. Each provider reports them in its own fields and counts them against its limits by
 * its own rules (see {@link #limitedInput}).
 *
 * @param cacheRead prompt tokens read from the cache
 * @param cacheWrite5m prompt tokens written to the cache for the standard lifetime
 * @param cacheWrite1h prompt tokens written to Anthropic's one-hour cache
 * @param reasoning output tokens spent reasoning, not shown
 */
record TokenKinds(long cacheRead, long cacheWrite5m, long cacheWrite1h, long reasoning) {

    static final TokenKinds NONE = new TokenKinds(0, 0, 0, 0);

    private static final Pattern DIRECTIVE = Pattern.compile("mock:usage((?:[ \\t]+[a-z0-9_]+=\\d+)*)");
    private static final Pattern PAIR = Pattern.compile("([a-z0-9_]+)=(\\d+)");

    /** The kinds a {@code mock:usage} directive in {@code text} asks for; NONE without one. */
    static TokenKinds from(String text) {
        if (text == null) {
            return NONE;
        }
        Matcher m = DIRECTIVE.matcher(text);
        if (!m.find()) {
            return NONE;
        }
        long read = 0;
        long write5m = 0;
        long write1h = 0;
        long reasoning = 0;
        Matcher pair = PAIR.matcher(m.group(1));
        while (pair.find()) {
            long n = Long.parseLong(pair.group(2));
            switch (pair.group(1).toLowerCase(Locale.ROOT)) {
                case "cache_read" -> read = n;
                case "cache_write_5m" -> write5m = n;
                case "cache_write_1h" -> write1h = n;
                case "reasoning" -> reasoning = n;
                default ->
                    throw new IllegalArgumentException(
                            "mock:usage knows cache_read, cache_write_5m, cache_write_1h and reasoning, not "
                                    + pair.group(1));
            }
        }
        return new TokenKinds(read, write5m, write1h, reasoning);
    }

    boolean isNone() {
        return equals(NONE);
    }

    long cacheWrites() {
        return cacheWrite5m + cacheWrite1h;
    }

    /** Every prompt token: the prompt's own (uncached) plus cache reads and writes. */
    long promptTokens(long uncached) {
        return uncached + cacheRead + cacheWrites();
    }

    /**
     * The input tokens a provider counts against its token limit: Anthropic leaves cache reads out of its
     * input-tokens-per-minute limit (current models); OpenAI counts every prompt token, cached or not, and so
     * does this mock for Gemini, which documents no exception.
     */
    long limitedInput(String provider, long uncached) {
        return "anthropic".equals(provider) ? uncached + cacheWrites() : promptTokens(uncached);
    }
}
