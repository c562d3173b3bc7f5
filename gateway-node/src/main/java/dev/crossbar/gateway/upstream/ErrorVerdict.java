package dev.crossbar.gateway.upstream;

import dev.crossbar.cluster.ledger.Outcome;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.spi.UpstreamError;
import org.jspecify.annotations.Nullable;

/**
 * What an upstream's error answer means for the key and for the request: how the key's health changes,
 * whether the request may go on to another key or target, and what the client hears if nothing else
 * serves it.
 *
 * @param keyOutcome       what the ledger records for the key; {@link Outcome#NEUTRAL} means the request
 *                         itself was at fault and the client hears the provider's answer now
 * @param retryAfterMillis the provider's stated delay (headers first, then body), or -1
 * @param clientError      the error the client gets if this was the last attempt
 * @param reason           words for the cooldown, the disabling and the retry metric (starts with what
 *                         happened: "429 from ...", "key refused: ...", "out of credit: ..."); never the
 *                         provider's message, which can quote the key
 */
public record ErrorVerdict(
        Outcome keyOutcome,
        long retryAfterMillis,
        ApiError clientError,
        @Nullable String reason) {

    /**
     * Another account's key or billing must never reach a client: what it hears when a key is refused or
     * out of credit and no other key served.
     */
    static final ApiError NO_USABLE_KEY =
            ApiError.of(ErrorKind.OVERLOADED, "the upstream provider did not accept the gateway's key for this model");

    private static final int MAX_CODE_CHARS = 64;

    /** True when the request should try another key or target. */
    public boolean failOver() {
        return keyOutcome != Outcome.NEUTRAL;
    }

    /**
     * Reads a provider's error in its own words.
     *
     * @param decoded                what the upstream codec read from the error body
     * @param headerRetryAfterMillis the delay the response headers state, or -1
     * @param upstreamId             the provider's id, for the reason
     */
    public static ErrorVerdict of(UpstreamError decoded, long headerRetryAfterMillis, String upstreamId) {
        ApiError error = decoded.error();
        int status = error.status();
        long retryAfter = headerRetryAfterMillis >= 0 ? headerRetryAfterMillis : decoded.retryAfterMs();
        if (retryAfter >= 0 && error.retryAfterMs() < 0) {
            // OpenAI and Anthropic state the delay in headers, not the body: the client must hear it too.
            error = new ApiError(status, error.kind(), error.message(), error.param(), retryAfter);
        }
        String from = " from " + upstreamId;
        return switch (decoded.cause()) {
            case RATE_LIMITED -> new ErrorVerdict(Outcome.RATE_LIMITED, retryAfter, error, status + from);
            case PROVIDER_FAULT -> new ErrorVerdict(Outcome.FAILED, retryAfter, error, status + from);
            case KEY_INVALID ->
                new ErrorVerdict(Outcome.REJECTED, -1, NO_USABLE_KEY, "key refused: " + named(status, decoded) + from);
            case OUT_OF_CREDIT ->
                new ErrorVerdict(
                        Outcome.OUT_OF_CREDIT, -1, NO_USABLE_KEY, "out of credit: " + named(status, decoded) + from);
            case REQUEST ->
                new ErrorVerdict(
                        Outcome.NEUTRAL,
                        -1,
                        new ApiError(status, error.kind(), error.message(), error.param(), -1),
                        null);
        };
    }

    /** "429 insufficient_quota": the status and the provider's code, which is safe to show (a name, not a message). */
    private static String named(int status, UpstreamError decoded) {
        String code = decoded.code();
        if (code == null || code.isBlank()) {
            return String.valueOf(status);
        }
        String safe = code.replaceAll("[^A-Za-z0-9_.\\-]", "");
        return status + " " + (safe.length() > MAX_CODE_CHARS ? safe.substring(0, MAX_CODE_CHARS) : safe);
    }
}
