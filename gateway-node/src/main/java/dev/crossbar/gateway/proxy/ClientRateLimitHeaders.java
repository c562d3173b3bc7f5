package dev.crossbar.gateway.proxy;

import dev.crossbar.cluster.ledger.KeyState;
import dev.crossbar.cluster.ledger.Ledger;
import dev.crossbar.codecs.spi.Protocol;
import io.vertx.core.http.HttpServerResponse;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A client's own standing against its client key's limits, in the response headers its SDK reads: OpenAI's
 * {@code x-ratelimit-limit-requests}, {@code -remaining-requests}, {@code -reset-requests} (a duration such as
 * {@code 1.5s} or {@code 6m0s}) and their token twins; Anthropic's {@code anthropic-ratelimit-requests-limit},
 * {@code -remaining}, {@code -reset} (an RFC 3339 time) and the tokens' for Anthropic clients. Read from this
 * node's snapshot of the ledger (no cluster round trip): what the buckets hold unleased plus what nodes hold
 * in leases, refilled to now. A client key without limits gets none.
 */
final class ClientRateLimitHeaders {

    private ClientRateLimitHeaders() {}

    static void add(HttpServerResponse response, Protocol protocol, Ledger ledger, @Nullable String ledgerId) {
        if (ledgerId == null) {
            return;
        }
        KeyState state = ledger.snapshot().get(ledgerId);
        if (state == null) {
            return;
        }
        long now = ledger.now();
        Standing requests = standing(state.requestLimit(), state.freeRequests(), state.leasedRequests(), state, now);
        Standing tokens = standing(state.tokenLimit(), state.freeTokens(), state.leasedTokens(), state, now);
        boolean anthropic = protocol == Protocol.ANTHROPIC;
        if (requests != null) {
            put(response, anthropic, "requests", requests, now);
        }
        if (tokens != null) {
            put(response, anthropic, "tokens", tokens, now);
        }
    }

    /** @param remaining whole units left now; {@code resetMillis}: until the bucket is full again */
    record Standing(long limit, long remaining, long resetMillis) {}

    static @Nullable Standing standing(long limit, double free, long leased, KeyState state, long now) {
        if (limit <= 0) {
            return null;
        }
        long window = state.limits().windowMillis();
        double refilled = Math.max(0, now - state.refilledAt()) * (double) limit / window;
        double available = Math.min((double) limit, free + refilled + leased);
        long remaining = Math.max(0, (long) Math.floor(available));
        long reset = (long) Math.ceil((limit - available) * window / limit);
        return new Standing(limit, remaining, Math.max(0, reset));
    }

    private static void put(HttpServerResponse response, boolean anthropic, String measure, Standing s, long now) {
        if (anthropic) {
            String prefix = "anthropic-ratelimit-" + measure + "-";
            response.putHeader(prefix + "limit", Long.toString(s.limit()));
            response.putHeader(prefix + "remaining", Long.toString(s.remaining()));
            response.putHeader(
                    prefix + "reset",
                    Instant.ofEpochSecond((now + s.resetMillis() + 999) / 1000).toString());
        } else {
            response.putHeader("x-ratelimit-limit-" + measure, Long.toString(s.limit()));
            response.putHeader("x-ratelimit-remaining-" + measure, Long.toString(s.remaining()));
            response.putHeader("x-ratelimit-reset-" + measure, duration(s.resetMillis()));
        }
    }

    /** OpenAI's form: {@code 0s}, {@code 1.5s}, {@code 6m0s}, {@code 1h2m3s}. */
    static String duration(long millis) {
        if (millis < 60_000) {
            long tenths = (millis + 99) / 100;
            return tenths % 10 == 0 ? tenths / 10 + "s" : tenths / 10 + "." + tenths % 10 + "s";
        }
        long seconds = (millis + 999) / 1000;
        long h = seconds / 3600;
        long m = seconds % 3600 / 60;
        long sec = seconds % 60;
        return (h > 0 ? h + "h" : "") + m + "m" + sec + "s";
    }
}
