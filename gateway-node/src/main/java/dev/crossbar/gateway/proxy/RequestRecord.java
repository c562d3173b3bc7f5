package dev.crossbar.gateway.proxy;

/**
 * What one request did, for metrics and the access log. Holds a key's fingerprint, never its secret.
 *
 * @param outcome         success, client_error, upstream_error, rate_limited, unauthorized, cancelled, drained
 * @param totalNanos      from the first byte received to the last byte sent
 * @param upstreamNanos   time spent waiting on upstreams (zero when none was called)
 * @param firstByteNanos  upstream time to first byte of the successful attempt, or -1
 * @param queueNanos      time spent waiting for capacity
 */
public record RequestRecord(
        String requestId,
        String clientProtocol,
        String clientKey,
        String model,
        String provider,
        String keyId,
        String keyFingerprint,
        int status,
        String outcome,
        int attempts,
        boolean stream,
        long inputTokens,
        long outputTokens,
        long totalNanos,
        long upstreamNanos,
        long firstByteNanos,
        long queueNanos) {}
