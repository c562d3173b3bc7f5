package dev.crossbar.gateway.proxy;

import dev.crossbar.codecs.model.Usage;
import dev.crossbar.gateway.pricing.Cost;
import org.jspecify.annotations.Nullable;

/**
 * What one request did, for metrics and the access log. Holds a key's fingerprint, never its secret.
 *
 * @param team            the client key's team, or null
 * @param outcome         success, client_error, upstream_error, rate_limited, unauthorized, cancelled, drained
 * @param usage           the tokens the provider reported, by kind ({@link Usage#ZERO} when it reported none)
 * @param totalNanos      from the first byte received to the last byte sent
 * @param upstreamNanos   time spent waiting on upstreams (zero when none was called)
 * @param firstByteNanos  upstream time to first byte of the successful attempt, or -1
 * @param queueNanos      time spent waiting for capacity
 * @param droppedTools    the built-in tools left out because the provider could not run them (comma-separated
 *                        types, as in {@code x-crossbar-dropped-tools}), or null
 * @param droppedFields   the body fields a provider's or client key's field policy took out (comma-separated, as in
 *                        {@code x-crossbar-dropped-fields}), or null
 * @param cost            what the request cost at its target's price ({@link Cost#NONE} when no provider answered),
 *                        or that the target has no price
 */
public record RequestRecord(
        String requestId,
        String clientProtocol,
        String clientKey,
        @Nullable String team,
        @Nullable String model,
        @Nullable String provider,
        @Nullable String keyId,
        @Nullable String keyFingerprint,
        int status,
        String outcome,
        int attempts,
        boolean stream,
        Usage usage,
        long totalNanos,
        long upstreamNanos,
        long firstByteNanos,
        long queueNanos,
        @Nullable String droppedTools,
        @Nullable String droppedFields,
        Cost cost) {

    public RequestRecord {
        usage = usage == null ? Usage.ZERO : usage;
        cost = cost == null ? Cost.NONE : cost;
    }

    /** Every prompt token the provider reported, cached or not. */
    public long inputTokens() {
        return usage.inputTokens();
    }

    /** Every generated token the provider reported, reasoning included. */
    public long outputTokens() {
        return usage.outputTokens();
    }
}
