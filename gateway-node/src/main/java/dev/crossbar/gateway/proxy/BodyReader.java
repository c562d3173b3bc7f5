package dev.crossbar.gateway.proxy;

import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ErrorKind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/** Reads a request body up to a limit; a larger one is refused as soon as it shows, not after it arrived. */
public final class BodyReader {

    private BodyReader() {}

    /**
     * Fails with a {@link CodecException} carrying a 413 when the body is larger than {@code maxBytes}, or a
     * 408 when it has not arrived whole within {@code timeoutMillis}.
     */
    public static Future<Buffer> read(Vertx vertx, HttpServerRequest request, long maxBytes, long timeoutMillis) {
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
        Buffer body =
                Buffer.buffer(declared == null ? 1024 : (int) Math.min(maxBytes, Long.parseLong(declared.trim())));
        request.handler(chunk -> {
            if (body.length() + chunk.length() > maxBytes) {
                promise.tryFail(tooLarge(maxBytes));
            } else {
                body.appendBuffer(chunk);
            }
        });
        long timer = vertx.setTimer(
                timeoutMillis,
                id -> promise.tryFail(new CodecException(new ApiError(
                        408,
                        ErrorKind.TIMEOUT,
                        "the request body did not arrive within " + timeoutMillis + " ms",
                        null,
                        -1))));
        request.endHandler(v -> {
            vertx.cancelTimer(timer);
            promise.tryComplete(body);
        });
        request.exceptionHandler(e -> {
            vertx.cancelTimer(timer);
            promise.tryFail(e);
        });
        return promise.future();
    }

    /**
     * After an early error answer: reads and drops the rest of the body, so the client (still sending)
     * receives the answer instead of a reset, and closes the connection if the rest never ends.
     */
    public static void discardRest(Vertx vertx, HttpServerRequest request, long timeoutMillis) {
        if (request.isEnded()) {
            return;
        }
        long timer = vertx.setTimer(timeoutMillis, id -> request.connection().close());
        request.handler(chunk -> {
            // dropped
        });
        request.endHandler(v -> vertx.cancelTimer(timer));
        request.exceptionHandler(e -> vertx.cancelTimer(timer));
        request.resume();
    }

    private static CodecException tooLarge(long maxBytes) {
        return new CodecException(ApiError.of(
                ErrorKind.REQUEST_TOO_LARGE, "request body is larger than the limit of " + maxBytes + " bytes"));
    }
}
