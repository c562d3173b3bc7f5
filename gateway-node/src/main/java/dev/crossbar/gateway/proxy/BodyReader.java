package dev.crossbar.gateway.proxy;

import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ErrorKind;
import io.vertx.core.Future;
import io.vertx.core.Handler;
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
     * 408 when it has not arrived whole within {@code timeoutMillis}, a deadline kept by the loop's {@code
     * deadlines} (one timer for all the loop's bodies rather than one per request). On the request's loop.
     */
    static Future<Buffer> read(LoopDeadlines deadlines, HttpServerRequest request, long maxBytes, long timeoutMillis) {
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        long length = -1;
        if (declared != null) {
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                return Future.failedFuture(CodecException.invalid(null, "Content-Length is not a number"));
            }
            if (length > maxBytes) {
                return Future.failedFuture(tooLarge(maxBytes));
            }
        }
        Reading reading =
                new Reading(deadlines, Buffer.buffer(length < 0 ? 1024 : (int) length), maxBytes, timeoutMillis);
        request.handler(reading);
        request.endHandler(reading::ended);
        request.exceptionHandler(reading::failed);
        deadlines.add(reading, timeoutMillis);
        return reading.promise.future();
    }

    /** One body on its way in: its chunks, its limit, and its deadline. */
    private static final class Reading extends LoopDeadlines.Entry implements Handler<Buffer> {
        private final LoopDeadlines deadlines;
        private final Buffer body;
        private final long maxBytes;
        private final long timeoutMillis;
        private final Promise<Buffer> promise = Promise.promise();

        Reading(LoopDeadlines deadlines, Buffer body, long maxBytes, long timeoutMillis) {
            this.deadlines = deadlines;
            this.body = body;
            this.maxBytes = maxBytes;
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public void handle(Buffer chunk) {
            if (body.length() + chunk.length() > maxBytes) {
                deadlines.drop(this);
                promise.tryFail(tooLarge(maxBytes));
            } else {
                body.appendBuffer(chunk);
            }
        }

        void ended(Void nothing) {
            deadlines.drop(this);
            promise.tryComplete(body);
        }

        void failed(Throwable e) {
            deadlines.drop(this);
            promise.tryFail(e);
        }

        @Override
        void expired() {
            promise.tryFail(new CodecException(new ApiError(
                    408,
                    ErrorKind.TIMEOUT,
                    "the request body did not arrive within " + timeoutMillis + " ms",
                    null,
                    -1)));
        }
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
