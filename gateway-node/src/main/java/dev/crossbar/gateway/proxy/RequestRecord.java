package dev.crossbar.gateway.proxy;

/**
 * What one request did, for metrics and the access log. Holds a key's fingerprint, never its secret.
 *
 * @param outcome         success, client_error, upstream_error, rate_limited, unauthorized, cancelled, drained
 * @param totalNanos      from the first byte received to the last byte sent
 * @param upstreamNanos   time spent waiting on upstreams (zero when none was called)
 * @param firstByteNanos  upstream time to first byte of the successful attempt, or -1
 * @param queueNanos      time spent waiting for capacity
 * @param droppedTools    the built-in tools left out because the provider could not run them (comma-separated
 *                        types, as in {@code x-crossbar-dropped-tools}), or null
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
        long queueNanos,
        String droppedTools) {

    /** A request that dropped no tools. */
    public RequestRecord(
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
            long queueNanos) {
        this(
                requestId,
                clientProtocol,
                clientKey,
                model,
                provider,
                keyId,
                keyFingerprint,
                status,
                outcome,
                attempts,
                stream,
                inputTokens,
                outputTokens,
                totalNanos,
                upstreamNanos,
                firstByteNanos,
                queueNanos,
                null);
    }
}
