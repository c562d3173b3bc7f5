package dev.crossbar.gateway.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {

    private static final long NOW = Instant.parse("2026-12-05T12:00:00Z").toEpochMilli();

    private static MultiMap headers(String... nameValues) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < nameValues.length; i += 2) {
            h.add(nameValues[i], nameValues[i + 1]);
        }
        return h;
    }

    @Test
    void shouldPreferMillisecondsOverSeconds() {
        assertEquals(
                1_250, RateLimitHeaders.retryAfterMillis(headers("retry-after-ms", "1250", "retry-after", "9"), NOW));
    }

    @Test
    void shouldReadFractionalSeconds() {
        assertEquals(1_500, RateLimitHeaders.retryAfterMillis(headers("Retry-After", " 1.5 "), NOW));
    }

    @Test
    void shouldReadAnHttpDateRelativeToNow() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.ofEpochMilli(NOW + 7_000).atZone(ZoneOffset.UTC));
        assertEquals(7_000, RateLimitHeaders.retryAfterMillis(headers("retry-after", date), NOW));
    }

    @Test
    void shouldNeverAnswerANegativeDelay() {
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.ofEpochMilli(NOW - 60_000).atZone(ZoneOffset.UTC));
        assertEquals(0, RateLimitHeaders.retryAfterMillis(headers("retry-after", past), NOW));
        assertEquals(0, RateLimitHeaders.retryAfterMillis(headers("retry-after-ms", "-40"), NOW));
    }

    @Test
    void shouldFallBackToSecondsWhenMillisecondsAreGarbled() {
        assertEquals(
                2_000, RateLimitHeaders.retryAfterMillis(headers("retry-after-ms", "soon", "retry-after", "2"), NOW));
    }

    @Test
    void shouldAnswerMinusOneWhenNothingUsableIsSaid() {
        assertEquals(-1, RateLimitHeaders.retryAfterMillis(headers(), NOW));
        assertEquals(-1, RateLimitHeaders.retryAfterMillis(headers("retry-after", "tomorrow-ish"), NOW));
    }

    @Test
    void shouldReadOpenAiLimits() {
        RateLimitHeaders.Seen seen = RateLimitHeaders.read(headers(
                "x-ratelimit-limit-requests", "500",
                "x-ratelimit-remaining-requests", "499",
                "x-ratelimit-limit-tokens", "30000",
                "x-ratelimit-remaining-tokens", "29000"));
        assertEquals(new RateLimitHeaders.Seen(500, 499, 30_000, 29_000), seen);
    }

    @Test
    void shouldReadAnthropicLimitsWhereOpenAiSaysNothing() {
        RateLimitHeaders.Seen seen = RateLimitHeaders.read(headers(
                "anthropic-ratelimit-requests-limit", "50",
                "anthropic-ratelimit-requests-remaining", "3",
                "anthropic-ratelimit-tokens-limit", "40000",
                "anthropic-ratelimit-tokens-remaining", "100"));
        assertEquals(new RateLimitHeaders.Seen(50, 3, 40_000, 100), seen);
    }

    @Test
    void shouldKeepWhatIsReadableAndMarkTheRestUnknown() {
        RateLimitHeaders.Seen seen = RateLimitHeaders.read(
                headers("x-ratelimit-limit-requests", "abc", "x-ratelimit-remaining-requests", "12"));
        assertEquals(new RateLimitHeaders.Seen(-1, 12, -1, -1), seen);
    }

    @Test
    void shouldSayNothingWithoutHeaders() {
        assertSame(RateLimitHeaders.Seen.NOTHING, RateLimitHeaders.read(headers("content-type", "application/json")));
        assertTrue(RateLimitHeaders.Seen.NOTHING.isEmpty());
    }

    @Test
    void shouldTellTheLedgerOnlyWhatIsTighterThanConfiguredOrRunningLow() {
        RateLimitHeaders.Seen roomy = new RateLimitHeaders.Seen(500, 400, 30_000, 20_000);
        assertFalse(roomy.worthTelling(500, 30_000), "same limits, plenty left");
        assertTrue(roomy.worthTelling(1_000, 30_000), "the provider allows fewer requests than configured");
        assertTrue(roomy.worthTelling(0, 0), "nothing configured: any limit the provider states is news");
        assertTrue(new RateLimitHeaders.Seen(500, 49, -1, -1).worthTelling(500, 0), "under a tenth left");
        assertFalse(new RateLimitHeaders.Seen(500, 50, -1, -1).worthTelling(500, 0), "exactly a tenth left");
        assertTrue(new RateLimitHeaders.Seen(-1, -1, 10_000, 999).worthTelling(0, 10_000), "tokens running low");
    }
}
