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
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Reads a request body up to a limit; a larger one is refused as soon as it shows, not after it arrived. */
public final class BodyReader {

    private BodyReader() {}

    /**
     * Fails with a {@link CodecException} carrying a 413 when the body is larger than {@code maxBytes}, or a
     * 408 when it has not arrived whole within {@code timeoutMillis}, a deadline kept by the loop's {@code
     * deadlines} (one timer for all the loop's bodies rather than one per request). On the request's loop.
     */
    static Future<byte[]> read(LoopDeadlines deadlines, HttpServerRequest request, long maxBytes, long timeoutMillis) {
        String coding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
        BodyInflater inflater = null;
        if (coding != null && !coding.trim().equalsIgnoreCase("identity")) {
            inflater = BodyInflater.of(coding, maxBytes);
            if (inflater == null) {
                return Future.failedFuture(CodecException.invalid(
                        null,
                        "Content-Encoding " + coding.trim()
                                + " is not supported: send the body uncoded, gzip or deflate"));
            }
        }
        String declared = inflater == null ? request.getHeader(HttpHeaders.CONTENT_LENGTH) : null;
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
        Reading reading = new Reading(deadlines, length, maxBytes, timeoutMillis, inflater);
        request.handler(reading);
        request.endHandler(reading::ended);
        request.exceptionHandler(reading::failed);
        deadlines.add(reading, timeoutMillis);
        return reading.promise.future();
    }

    /**
     * One body on its way in: its chunks, its limit, and its deadline. A body of declared length is copied from its
     * chunks straight into an array of that length, which is the body (no buffer to copy it out of); one without
     * (chunked), or that sends more than it declared, is gathered in a buffer. A coded body is inflated on its way
     * in.
     */
    private static final class Reading extends LoopDeadlines.Entry implements Handler<Buffer> {
        private final LoopDeadlines deadlines;
        private byte @Nullable [] declared;
        private int filled;
        private @Nullable Buffer gathered;
        private final long maxBytes;
        private final long timeoutMillis;
        private final @Nullable BodyInflater inflater;
        private final Promise<byte[]> promise = Promise.promise();

        Reading(
                LoopDeadlines deadlines,
                long declaredLength,
                long maxBytes,
                long timeoutMillis,
                @Nullable BodyInflater inflater) {
            this.deadlines = deadlines;
            this.inflater = inflater;
            this.declared = declaredLength < 0 ? null : new byte[(int) declaredLength];
            this.gathered = declaredLength < 0 ? Buffer.buffer(1024) : null;
            this.maxBytes = maxBytes;
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public void handle(Buffer chunk) {
            if (inflater == null) {
                take(chunk);
            } else if (!promise.future().isComplete()) {
                try {
                    take(inflater.inflate(chunk));
                } catch (CodecException e) {
                    failed(e);
                }
            }
        }

        private void take(Buffer chunk) {
            byte[] into = declared;
            int length =
                    into != null ? filled : Objects.requireNonNull(gathered).length();
            if (length + chunk.length() > maxBytes) {
                failed(tooLarge(maxBytes));
            } else if (into != null && filled + chunk.length() <= into.length) {
                chunk.getBytes(0, chunk.length(), into, filled);
                filled += chunk.length();
            } else {
                if (into != null) {
                    gathered = Buffer.buffer(filled + chunk.length()).appendBytes(into, 0, filled);
                    declared = null;
                }
                Objects.requireNonNull(gathered).appendBuffer(chunk);
            }
        }

        void ended(Void nothing) {
            deadlines.drop(this);
            if (inflater != null && !promise.future().isComplete()) {
                try {
                    take(inflater.finish());
                } catch (CodecException e) {
                    failed(e);
                }
            }
            byte[] into = declared;
            if (into == null) {
                promise.tryComplete(Objects.requireNonNull(gathered).getBytes());
            } else {
                promise.tryComplete(filled == into.length ? into : Arrays.copyOf(into, filled));
            }
        }

        void failed(Throwable e) {
            deadlines.drop(this);
            if (inflater != null) {
                inflater.discard();
            }
            promise.tryFail(e);
        }

        @Override
        void expired() {
            failed(new CodecException(new ApiError(
                    408,
                    ErrorKind.TIMEOUT,
                    "the request body did not arrive within " + timeoutMillis + " ms",
                    null,
                    -1)));
        }
    }

    /**
     * After an early error answer: reads and drops the rest of the body, so the client (still sending)
     * receives the answer instead of a reset, and cuts the request ({@link ConnectionEnds#cut}) if the rest never
     * ends.
     */
    public static void discardRest(Vertx vertx, HttpServerRequest request, long timeoutMillis) {
        if (request.isEnded()) {
            return;
        }
        long timer = vertx.setTimer(timeoutMillis, id -> ConnectionEnds.cut(request));
        request.handler(chunk -> {
            // dropped
        });
        request.endHandler(v -> vertx.cancelTimer(timer));
        request.exceptionHandler(e -> vertx.cancelTimer(timer));
        request.resume();
    }

    /** The body that failed to inflate was larger than {@code maxBytes} inflated (the 413 a client hears). */
    public static CodecException tooLarge(long maxBytes) {
        return new CodecException(ApiError.of(
                ErrorKind.REQUEST_TOO_LARGE, "request body is larger than the limit of " + maxBytes + " bytes"));
    }
}
