package dev.crossbar.gateway.proxy;

import dev.crossbar.cluster.ledger.Outcome;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.spi.ClientStreamEncoder;
import dev.crossbar.codecs.spi.UpstreamStreamDecoder;
import dev.crossbar.codecs.sse.StreamFormatException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/**
 * Relays one streamed answer as its bytes arrive: parses the upstream's events incrementally, writes
 * the client's events (or, when both speak the same protocol, the upstream's own bytes) with
 * backpressure, and ends a broken stream with the client protocol's error event. Nothing is buffered
 * whole. Until the first byte goes out, a failure still lets the exchange try another key.
 */
final class StreamRelay {

    private final ChatExchange exchange;
    private final HttpClientResponse upstream;
    private final HttpServerResponse client;
    private final UpstreamStreamDecoder decoder;
    private final ClientStreamEncoder encoder;
    private final boolean passthrough;
    private boolean committed;
    private boolean sawEnd;
    private boolean sawError;
    private boolean done;

    StreamRelay(ChatExchange exchange, HttpClientResponse upstream) {
        this.exchange = exchange;
        this.upstream = upstream;
        this.client = exchange.response();
        this.decoder = exchange.target().upstream().codec().streamDecoder();
        this.encoder = exchange.clientCodec().streamEncoder(exchange.chat());
        this.passthrough = exchange.passthroughNow();
    }

    void start() {
        upstream.handler(this::onChunk);
        upstream.endHandler(v -> onEnd());
        upstream.exceptionHandler(this::onBroken);
    }

    private void onChunk(Buffer chunk) {
        if (done || exchange.finished()) {
            return;
        }
        try {
            byte[] bytes = chunk.getBytes();
            decoder.decode(bytes, 0, bytes.length, this::onEvent);
        } catch (StreamFormatException | CodecException e) {
            if (passthrough) {
                write(chunk);
            }
            breakOff("the upstream provider sent a malformed stream");
            return;
        }
        if (passthrough) {
            write(chunk);
        }
    }

    private void onEvent(StreamEvent event) {
        if (event instanceof StreamEvent.UsageUpdate u) {
            exchange.usageSeen(u.usage());
        } else if (event instanceof StreamEvent.Start s && s.usage() != null) {
            exchange.usageSeen(s.usage());
        } else if (event instanceof StreamEvent.End) {
            sawEnd = true;
        } else if (event instanceof StreamEvent.Error) {
            sawError = true;
        }
        if (!passthrough) {
            String out = encoder.encode(event);
            if (!out.isEmpty()) {
                write(Buffer.buffer(out));
            }
        }
    }

    private void write(Buffer bytes) {
        if (!committed) {
            committed = true;
            client.setStatusCode(200);
            client.setChunked(true);
            client.putHeader(HttpHeaders.CONTENT_TYPE, encoder.contentType());
            client.putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
            client.putHeader("x-accel-buffering", "no");
        }
        client.write(bytes);
        if (client.writeQueueFull()) {
            upstream.pause();
            client.drainHandler(v -> upstream.resume());
        }
    }

    private void onEnd() {
        if (done || exchange.finished()) {
            return;
        }
        decoder.end(this::onEvent);
        if (!committed && !sawEnd) {
            done = true;
            exchange.attemptFailed(Outcome.FAILED, -1, ApiError.of(ErrorKind.BAD_GATEWAY,
                    "the upstream provider ended the stream before it began"), "empty stream");
            return;
        }
        finish();
    }

    private void onBroken(Throwable cause) {
        if (done || exchange.finished()) {
            return;
        }
        if (!committed) {
            done = true;
            exchange.attemptFailed(Outcome.FAILED, -1, ApiError.of(ErrorKind.TIMEOUT,
                    "the upstream provider stopped answering"), "stream broke: " + cause.getClass().getSimpleName());
            return;
        }
        breakOff("the upstream provider stopped answering mid-stream");
    }

    /** After bytes went out there is no retry: end with the protocol's error event. */
    private void breakOff(String message) {
        if (!sawEnd && !sawError) {
            StreamEvent.Error error = new StreamEvent.Error(ApiError.of(ErrorKind.BAD_GATEWAY, message));
            if (passthrough) {
                write(Buffer.buffer(encoder.encode(error)));
            } else {
                onEvent(error);
            }
            sawError = true;
        }
        upstream.request().reset();
        finish();
    }

    private void finish() {
        if (done) {
            return;
        }
        done = true;
        if (!committed) {
            write(Buffer.buffer());
        }
        client.end();
        exchange.streamEnded(sawError || !sawEnd ? Outcome.FAILED : Outcome.SUCCESS,
                sawError ? "stream error" : null);
    }
}
