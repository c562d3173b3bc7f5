package dev.crossbar.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClientRateLimitHeadersTest {

    @Test
    void shouldWriteResetTimesInOpenAisDurationForm() {
        assertEquals("0s", ClientRateLimitHeaders.duration(0));
        assertEquals("0.1s", ClientRateLimitHeaders.duration(1));
        assertEquals("1.5s", ClientRateLimitHeaders.duration(1_500));
        assertEquals("2s", ClientRateLimitHeaders.duration(2_000));
        assertEquals("59.9s", ClientRateLimitHeaders.duration(59_900));
        assertEquals("6m0s", ClientRateLimitHeaders.duration(360_000));
        assertEquals("1h2m3s", ClientRateLimitHeaders.duration(3_723_000));
    }
}
