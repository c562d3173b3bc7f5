package dev.crossbar.gateway.http;

import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ErrorKind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/** Reads a request body up to a limit; a larger one is refused as soon as it shows, not after it arrived. */
public final class BodyReader {

    private BodyReader() {}

    /** Fails with a {@link CodecException} carrying a 413 when the body is larger than {@code maxBytes}. */
    public static Future<Buffer> read(HttpServerRequest request, long maxBytes) {
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > maxBytes) {
                    return Future.failedFuture(tooLarge(maxBytes));
                }
            } catch (NumberFormatException e) {
                return Future.failedFuture(CodecException.invalid(null, "Content-Length is not a number"));
            }
        }
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer(declared == null ? 1024 : (int) Math.min(maxBytes, Long.parseLong(declared.trim())));
        request.handler(chunk -> {
            if (body.length() + chunk.length() > maxBytes) {
                request.handler(null);
                promise.tryFail(tooLarge(maxBytes));
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(v -> promise.tryComplete(body));
        request.exceptionHandler(promise::tryFail);
        return promise.future();
    }

    private static CodecException tooLarge(long maxBytes) {
        return new CodecException(ApiError.of(ErrorKind.REQUEST_TOO_LARGE,
                "request body is larger than the limit of " + maxBytes + " bytes"));
    }
}
