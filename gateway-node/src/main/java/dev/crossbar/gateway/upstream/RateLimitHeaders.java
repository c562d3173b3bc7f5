package dev.crossbar.gateway.upstream;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads what providers say about their limits: retry delays ({@code retry-after-ms}, {@code retry-after}
 * in seconds or as an HTTP date) and the OpenAI / Anthropic rate-limit headers.
 */
public final class RateLimitHeaders {

    /** Limits and remaining counts seen on a response; -1 where the provider said nothing. */
    public record Seen(long requestLimit, long requestsRemaining, long tokenLimit, long tokensRemaining) {
        public static final Seen NOTHING = new Seen(-1, -1, -1, -1);

        public boolean isEmpty() {
            return requestLimit < 0 && requestsRemaining < 0 && tokenLimit < 0 && tokensRemaining < 0;
        }

        /** True when the provider's view is tight enough that the ledger should hear it. */
        public boolean worthTelling(long configuredRequests, long configuredTokens) {
            return lower(requestLimit, configuredRequests)
                    || lower(tokenLimit, configuredTokens)
                    || low(requestsRemaining, requestLimit)
                    || low(tokensRemaining, tokenLimit);
        }

        private static boolean lower(long seen, long configured) {
            return seen > 0 && (configured == 0 || seen < configured);
        }

        private static boolean low(long remaining, long limit) {
            return remaining >= 0 && limit > 0 && remaining * 10 < limit;
        }
    }

    // The names looked up on every answer, made once: Netty then takes each one's cached hash instead of hashing
    // its characters on every lookup (1.7% of the event loops' samples on plain requests, docs/benchmarks.md).
    private static final CharSequence OPENAI_REQUEST_LIMIT = HttpHeaders.createOptimized("x-ratelimit-limit-requests");
    private static final CharSequence OPENAI_REQUESTS_REMAINING =
            HttpHeaders.createOptimized("x-ratelimit-remaining-requests");
    private static final CharSequence OPENAI_TOKEN_LIMIT = HttpHeaders.createOptimized("x-ratelimit-limit-tokens");
    private static final CharSequence OPENAI_TOKENS_REMAINING =
            HttpHeaders.createOptimized("x-ratelimit-remaining-tokens");
    private static final CharSequence ANTHROPIC_REQUEST_LIMIT =
            HttpHeaders.createOptimized("anthropic-ratelimit-requests-limit");
    private static final CharSequence ANTHROPIC_REQUESTS_REMAINING =
            HttpHeaders.createOptimized("anthropic-ratelimit-requests-remaining");
    private static final CharSequence ANTHROPIC_TOKEN_LIMIT =
            HttpHeaders.createOptimized("anthropic-ratelimit-tokens-limit");
    private static final CharSequence ANTHROPIC_TOKENS_REMAINING =
            HttpHeaders.createOptimized("anthropic-ratelimit-tokens-remaining");

    private RateLimitHeaders() {}

    /** The retry delay a response states, in milliseconds, or -1. */
    public static long retryAfterMillis(MultiMap headers, long nowMillis) {
        String ms = headers.get("retry-after-ms");
        if (ms != null) {
            try {
                return Math.max(0, Math.round(Double.parseDouble(ms.trim())));
            } catch (NumberFormatException ignored) {
                // fall through to retry-after
            }
        }
        String after = headers.get("retry-after");
        if (after == null) {
            return -1;
        }
        try {
            return Math.max(0, Math.round(Double.parseDouble(after.trim()) * 1_000));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(after.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                return Math.max(0, at.toEpochMilli() - nowMillis);
            } catch (DateTimeParseException notDate) {
                return -1;
            }
        }
    }

    public static Seen read(MultiMap headers) {
        long requestLimit = number(headers.get(OPENAI_REQUEST_LIMIT));
        long requestsRemaining = number(headers.get(OPENAI_REQUESTS_REMAINING));
        long tokenLimit = number(headers.get(OPENAI_TOKEN_LIMIT));
        long tokensRemaining = number(headers.get(OPENAI_TOKENS_REMAINING));
        if (requestLimit < 0 && requestsRemaining < 0) {
            requestLimit = number(headers.get(ANTHROPIC_REQUEST_LIMIT));
            requestsRemaining = number(headers.get(ANTHROPIC_REQUESTS_REMAINING));
        }
        if (tokenLimit < 0 && tokensRemaining < 0) {
            tokenLimit = number(headers.get(ANTHROPIC_TOKEN_LIMIT));
            tokensRemaining = number(headers.get(ANTHROPIC_TOKENS_REMAINING));
        }
        if (requestLimit < 0 && requestsRemaining < 0 && tokenLimit < 0 && tokensRemaining < 0) {
            return Seen.NOTHING;
        }
        return new Seen(requestLimit, requestsRemaining, tokenLimit, tokensRemaining);
    }

    /**
     * Anthropic's separate input or output token limit ({@code anthropic-ratelimit-input-tokens-*},
     * {@code anthropic-ratelimit-output-tokens-*}) as a token-only {@link Seen}.
     *
     * @param part {@code input} or {@code output}
     */
    public static Seen readTokens(MultiMap headers, String part) {
        long limit = number(headers.get("anthropic-ratelimit-" + part + "-tokens-limit"));
        long remaining = number(headers.get("anthropic-ratelimit-" + part + "-tokens-remaining"));
        return limit < 0 && remaining < 0 ? Seen.NOTHING : new Seen(-1, -1, limit, remaining);
    }

    private static long number(String text) {
        if (text == null) {
            return -1;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
