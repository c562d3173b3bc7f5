package dev.crossbar.gateway.proxy;

import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.spi.ClientCodec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/** Sends an error in the client protocol's own shape, with a truthful status and Retry-After. */
public final class ClientErrors {

    private ClientErrors() {}

    public static void send(HttpServerResponse response, ClientCodec codec, ApiError error) {
        if (response.headWritten() || response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(error.status());
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (error.retryAfterMs() >= 0) {
            long seconds = Math.max(1, (error.retryAfterMs() + 999) / 1_000);
            response.putHeader("retry-after", Long.toString(seconds));
            response.putHeader("retry-after-ms", Long.toString(error.retryAfterMs()));
        }
        response.end(Buffer.buffer(codec.encodeError(error)));
    }
}
