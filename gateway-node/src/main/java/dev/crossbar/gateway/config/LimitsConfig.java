package dev.crossbar.gateway.config;

import dev.crossbar.cluster.ledger.KeyLimits;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Requests and tokens per window and concurrent calls; absent or 0 means unlimited.
 *
 * @param window the bucket's refill period (default one minute)
 */
public record LimitsConfig(Long requests, Long tokens, Integer concurrent, Duration window) {

    // Not compact, so that a field left out (null) can be passed in for its default.
    public LimitsConfig(
            @Nullable Long requests, @Nullable Long tokens, @Nullable Integer concurrent, @Nullable Duration window) {
        requests = requests == null ? 0 : requests;
        Check.notNegative("requests", requests);
        tokens = tokens == null ? 0 : tokens;
        Check.notNegative("tokens", tokens);
        concurrent = concurrent == null ? 0 : concurrent;
        Check.notNegative("concurrent", concurrent);
        window = window == null ? Duration.ofMillis(KeyLimits.DEFAULT_WINDOW_MILLIS) : window;
        Check.positive("window", window.toMillis());
        this.requests = requests;
        this.tokens = tokens;
        this.concurrent = concurrent;
        this.window = window;
    }

    public static LimitsConfig unlimited() {
        return new LimitsConfig(null, null, null, null);
    }

    /** Whether any limit is set (all 0 is unlimited). */
    public boolean limited() {
        return requests > 0 || tokens > 0 || concurrent > 0;
    }

    public KeyLimits toKeyLimits() {
        return new KeyLimits(requests, tokens, concurrent, window.toMillis());
    }
}
