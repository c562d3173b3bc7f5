package dev.crossbar.codecs.model;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An error to show a client, before it is dressed in the client protocol's error shape.
 *
 * @param status       the HTTP status to send (usually {@code kind.status()}, but an upstream's
 *                     truthful status such as 529 is kept)
 * @param param        the offending request field, or null
 * @param retryAfterMs milliseconds the client should wait before retrying, or -1 when unknown
 */
public record ApiError(
        int status,
        ErrorKind kind,
        @Nullable String message,
        @Nullable String param,
        long retryAfterMs) {

    public ApiError {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    public static ApiError of(ErrorKind kind, String message) {
        return new ApiError(kind.status(), kind, message, null, -1);
    }

    public static ApiError invalid(@Nullable String param, String message) {
        return new ApiError(400, ErrorKind.INVALID_REQUEST, message, param, -1);
    }
}
