package dev.crossbar.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Latency and fault injection for the requests of one scope (all keys, or one key). Each share is
 * the fraction of admitted requests that get that fault, dealt deterministically by a
 * {@link FaultSchedule}: share 0.25 hits requests 4, 8, 12, ... of the scope. Shares must sum to
 * at most 1. A missing plan means no latency and no faults.
 *
 * @param ttfbMs delay before the first byte of every admitted request's response
 * @param chunkDelayMs delay between consecutive streamed chunks
 * @param streamChunks pad text replies with extra words so a stream has at least this many
 *     content chunks (0 = the reply's natural word count)
 * @param serverErrorShare share answered with 500
 * @param overloadShare share answered with 529 (Anthropic) or 503 (OpenAI, Gemini)
 * @param rateLimitShare share answered with an injected 429
 * @param rateLimitRetryAfterMs the retry-after of injected 429s
 * @param dropShare share whose connection is dropped mid-stream
 * @param garbageShare share answered 200 with a body that is not JSON
 * @param truncateShare share whose body is cut in half
 * @param stallShare share that sends a first chunk and then nothing
 */
public record FaultPlan(
        long ttfbMs,
        long chunkDelayMs,
        int streamChunks,
        double serverErrorShare,
        double overloadShare,
        double rateLimitShare,
        long rateLimitRetryAfterMs,
        double dropShare,
        double garbageShare,
        double truncateShare,
        double stallShare) {

    public static final long DEFAULT_RETRY_AFTER_MS = 1000;
    /** No latency, no faults. */
    public static final FaultPlan NONE = builder().build();

    public FaultPlan {
        nonNegative("ttfbMs", ttfbMs);
        nonNegative("chunkDelayMs", chunkDelayMs);
        nonNegative("streamChunks", streamChunks);
        nonNegative("rateLimitRetryAfterMs", rateLimitRetryAfterMs);
        share("serverErrorShare", serverErrorShare);
        share("overloadShare", overloadShare);
        share("rateLimitShare", rateLimitShare);
        share("dropShare", dropShare);
        share("garbageShare", garbageShare);
        share("truncateShare", truncateShare);
        share("stallShare", stallShare);
        double sum = serverErrorShare
                + overloadShare
                + rateLimitShare
                + dropShare
                + garbageShare
                + truncateShare
                + stallShare;
        if (sum > 1.0 + 1e-9) {
            throw new IllegalArgumentException("fault shares must sum to <= 1, was " + sum);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .ttfbMs(ttfbMs)
                .chunkDelayMs(chunkDelayMs)
                .streamChunks(streamChunks)
                .serverErrorShare(serverErrorShare)
                .overloadShare(overloadShare)
                .rateLimitShare(rateLimitShare)
                .rateLimitRetryAfterMs(rateLimitRetryAfterMs)
                .dropShare(dropShare)
                .garbageShare(garbageShare)
                .truncateShare(truncateShare)
                .stallShare(stallShare);
    }

    /** The share of {@code fault}; 0 for {@link Fault#NONE} and {@link Fault#REVOKED}. */
    double share(Fault fault) {
        return switch (fault) {
            case SERVER_ERROR -> serverErrorShare;
            case OVERLOADED -> overloadShare;
            case RATE_LIMITED -> rateLimitShare;
            case DROP -> dropShare;
            case GARBAGE -> garbageShare;
            case TRUNCATE -> truncateShare;
            case STALL -> stallShare;
            default -> 0;
        };
    }

    /** Reads the JSON form; absent fields take their defaults (0, and 1000 for rateLimitRetryAfterMs). */
    public static FaultPlan fromJson(JsonNode node) {
        JsonFields f = new JsonFields(node);
        f.only(
                "ttfbMs",
                "chunkDelayMs",
                "streamChunks",
                "serverErrorShare",
                "overloadShare",
                "rateLimitShare",
                "rateLimitRetryAfterMs",
                "dropShare",
                "garbageShare",
                "truncateShare",
                "stallShare");
        return new FaultPlan(
                f.longOr("ttfbMs", 0),
                f.longOr("chunkDelayMs", 0),
                f.intOr("streamChunks", 0),
                f.doubleOr("serverErrorShare", 0),
                f.doubleOr("overloadShare", 0),
                f.doubleOr("rateLimitShare", 0),
                f.longOr("rateLimitRetryAfterMs", DEFAULT_RETRY_AFTER_MS),
                f.doubleOr("dropShare", 0),
                f.doubleOr("garbageShare", 0),
                f.doubleOr("truncateShare", 0),
                f.doubleOr("stallShare", 0));
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put("ttfbMs", ttfbMs);
        n.put("chunkDelayMs", chunkDelayMs);
        n.put("streamChunks", streamChunks);
        n.put("serverErrorShare", serverErrorShare);
        n.put("overloadShare", overloadShare);
        n.put("rateLimitShare", rateLimitShare);
        n.put("rateLimitRetryAfterMs", rateLimitRetryAfterMs);
        n.put("dropShare", dropShare);
        n.put("garbageShare", garbageShare);
        n.put("truncateShare", truncateShare);
        n.put("stallShare", stallShare);
        return n;
    }

    private static void nonNegative(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be >= 0, was " + value);
        }
    }

    private static void share(String field, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(field + " must be within 0..1, was " + value);
        }
    }

    /** Builds a plan; everything starts at {@link #NONE}'s values. */
    public static final class Builder {
        private long ttfbMs;
        private long chunkDelayMs;
        private int streamChunks;
        private double serverErrorShare;
        private double overloadShare;
        private double rateLimitShare;
        private long rateLimitRetryAfterMs = DEFAULT_RETRY_AFTER_MS;
        private double dropShare;
        private double garbageShare;
        private double truncateShare;
        private double stallShare;

        private Builder() {}

        public Builder ttfbMs(long v) {
            ttfbMs = v;
            return this;
        }

        public Builder chunkDelayMs(long v) {
            chunkDelayMs = v;
            return this;
        }

        public Builder streamChunks(int v) {
            streamChunks = v;
            return this;
        }

        public Builder serverErrorShare(double v) {
            serverErrorShare = v;
            return this;
        }

        public Builder overloadShare(double v) {
            overloadShare = v;
            return this;
        }

        public Builder rateLimitShare(double v) {
            rateLimitShare = v;
            return this;
        }

        public Builder rateLimitRetryAfterMs(long v) {
            rateLimitRetryAfterMs = v;
            return this;
        }

        public Builder dropShare(double v) {
            dropShare = v;
            return this;
        }

        public Builder garbageShare(double v) {
            garbageShare = v;
            return this;
        }

        public Builder truncateShare(double v) {
            truncateShare = v;
            return this;
        }

        public Builder stallShare(double v) {
            stallShare = v;
            return this;
        }

        public FaultPlan build() {
            return new FaultPlan(
                    ttfbMs,
                    chunkDelayMs,
                    streamChunks,
                    serverErrorShare,
                    overloadShare,
                    rateLimitShare,
                    rateLimitRetryAfterMs,
                    dropShare,
                    garbageShare,
                    truncateShare,
                    stallShare);
        }
    }
}
