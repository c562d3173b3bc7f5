package dev.crossbar.codecs.spi;

import dev.crossbar.codecs.model.ApiError;
import org.jspecify.annotations.Nullable;

/**
 * An upstream failure as read from its body.
 *
 * @param retryAfterMs a retry delay the body states (Gemini RetryInfo), or -1; headers are read elsewhere
 * @param cause        what the failure says about the key that made the call, in the provider's own words
 * @param code         the provider's machine-readable name for the error (OpenAI {@code code} or
 *                     {@code type}, Anthropic {@code error.type}, Gemini ErrorInfo {@code reason} or
 *                     {@code status}), or null; never the message, which may quote the key
 */
public record UpstreamError(
        ApiError error,
        long retryAfterMs,
        Cause cause,
        @Nullable String code) {

    /** What an upstream error means for the key and for the request. */
    public enum Cause {
        /** The provider refuses the credential itself: wrong, revoked, expired, blocked, not permitted. */
        KEY_INVALID,
        /** The account behind the key has no money or quota left: waiting seconds will not help. */
        OUT_OF_CREDIT,
        /** The key is over a rate limit: another key may serve now, this one after a delay. */
        RATE_LIMITED,
        /** The provider is unwell (5xx, overloaded, timeout): another key or target may serve. */
        PROVIDER_FAULT,
        /** The request itself is at fault: the client hears the provider's answer. */
        REQUEST;

        /** The cause a bare HTTP status stands for, when the body says nothing more precise. */
        public static Cause ofStatus(int status) {
            return switch (status) {
                case 401, 403 -> KEY_INVALID;
                case 402 -> OUT_OF_CREDIT;
                case 429 -> RATE_LIMITED;
                case 408 -> PROVIDER_FAULT;
                default -> status >= 500 ? PROVIDER_FAULT : REQUEST;
            };
        }
    }

    /** An error whose cause is what its status stands for. */
    public UpstreamError(ApiError error, long retryAfterMs) {
        this(error, retryAfterMs, Cause.ofStatus(error.status()), null);
    }

    public UpstreamError {
        if (cause == null) {
            throw new IllegalArgumentException("cause must not be null");
        }
    }
}
