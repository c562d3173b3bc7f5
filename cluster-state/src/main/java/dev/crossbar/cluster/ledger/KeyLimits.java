package dev.crossbar.cluster.ledger;

/**
 * What a provider allows one key: requests and tokens per window (token buckets refilled continuously,
 * capacity = the limit) and concurrent requests. Zero means unlimited in that dimension.
 */
public record KeyLimits(long requests, long tokens, int concurrent, long windowMillis) {

    public static final long DEFAULT_WINDOW_MILLIS = 60_000;
    public static final KeyLimits UNLIMITED = new KeyLimits(0, 0, 0, DEFAULT_WINDOW_MILLIS);

    public KeyLimits {
        if (requests < 0) {
            throw new IllegalArgumentException("requests must be >= 0 (0 = unlimited), was " + requests);
        }
        if (tokens < 0) {
            throw new IllegalArgumentException("tokens must be >= 0 (0 = unlimited), was " + tokens);
        }
        if (concurrent < 0) {
            throw new IllegalArgumentException("concurrent must be >= 0 (0 = unlimited), was " + concurrent);
        }
        if (windowMillis <= 0) {
            throw new IllegalArgumentException("window must be > 0, was " + windowMillis + " ms");
        }
    }
}
