package dev.crossbar.gateway.http;

import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ErrorKind;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What a client hears for a request whose line or headers could not be decoded: the limit it passed or the
 * header to fix, in words of ours. Netty's own text is not passed on: it may quote what the client sent.
 */
final class UndecodableRequests {

    private final int maxInitialLineLength;
    private final int maxHeaderSize;

    UndecodableRequests(int maxInitialLineLength, int maxHeaderSize) {
        this.maxInitialLineLength = maxInitialLineLength;
        this.maxHeaderSize = maxHeaderSize;
    }

    ApiError error(@Nullable Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return withStatus(
                    414, "the request line is longer than " + maxInitialLineLength + " bytes: shorten the URL");
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return withStatus(431, "the request's headers are larger than " + maxHeaderSize + " bytes in all");
        }
        if (cause instanceof StrictRequestDecoder.AmbiguousFraming framing) {
            return ApiError.invalid(null, String.valueOf(framing.getMessage()));
        }
        String message = cause == null ? null : cause.getMessage();
        if (message != null && message.toLowerCase(Locale.ROOT).contains("content-length")) {
            return ApiError.invalid(null, "Content-Length must be one whole number of bytes, 0 or more");
        }
        return ApiError.invalid(null, "the request line or headers are not valid HTTP/1.1 (RFC 9112)");
    }

    private static ApiError withStatus(int status, String message) {
        return new ApiError(status, ErrorKind.INVALID_REQUEST, message, null, -1);
    }
}
