package dev.crossbar.gateway.proxy;

import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.spi.ClientStreamEncoder;
import dev.crossbar.codecs.spi.StreamFilter;
import dev.crossbar.codecs.spi.UpstreamStreamDecoder;
import dev.crossbar.codecs.sse.StreamFormatException;
import dev.crossbar.gateway.responses.RelayedKeeper;
import dev.crossbar.gateway.upstream.ProviderAnswer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Relays one streamed answer as its bytes arrive: parses the upstream's events incrementally, writes
 * the client's events (or, when both speak the same protocol, the upstream's own bytes, whole events
 * at a time) with backpressure, and ends a broken stream with the client protocol's error event.
 * Nothing is buffered beyond one unfinished event. Until the first byte goes out, a failure (a cut,
 * malformed or erring stream included) still lets the exchange try another key. The upstream idle timer
 * runs only while the relay waits for the provider, never while a client that reads slowly holds it paused.
 * Works against the attempt it relays (its target, what was sent, its meter) and tells how the stream ended
 * through the future {@link #start} returns.
 */
final class StreamRelay {

    /** How a relay ended. */
    sealed interface End permits Retry, Ended {}

    /** Nothing reached the client: the attempt failed, and another key or target may do better. */
    record Retry(ApiError error, @Nullable String reason) implements End {}

    /** The stream ended after bytes reached the client, well or not ({@code ending} says which). */
    record Ended(Ending ending, @Nullable String reason) implements End {}

    private final Promise<End> end = Promise.promise();
    private final ProviderAnswer upstream;
    private final HttpServerResponse client;
    private final UpstreamStreamDecoder decoder;
    private final ClientStreamEncoder encoder;
    private final boolean passthrough;
    /** Pass-through only: where whole events end, and the bytes of the unfinished one. */
    private final EventBoundary boundary = new EventBoundary();
    /** Pass-through only: takes out the usage the gateway asked for on its own account, or null. */
    private final @Nullable StreamFilter unaskedUsage;

    private final TokenMeter meter;

    private Buffer unfinished = Buffer.buffer();
    private final List<StreamEvent> events = new ArrayList<>();
    private final Vertx vertx;
    private final long idleTimeoutNanos;
    private long lastChunkNanos = System.nanoTime();
    private long idleTimer = -1;
    /** Backpressure: the client's write queue is full and the upstream waits for it to drain. */
    private boolean paused;

    private boolean committed;
    private boolean sawEnd;
    private boolean sawError;
    private boolean done;
    /** When the Response a stream's terminal event carries is kept: that event waits for it. */
    private final Supplier<Future<Void>> kept;
    /** What waits, from the terminal event on, while its Response is being kept; null when nothing waits. */
    private @Nullable Buffer heldBack;
    /** The relay ended while its terminal event waited: it finishes when the event goes out. */
    private boolean finishHeld;

    /**
     * @param attempt the call whose answer this is
     * @param encoder the client protocol's encoder for this stream (a stream passed through uses it only to end
     *                with an error event)
     * @param kept    when what the encoder keeps of the stream's end is kept: the terminal event waits for it
     */
    StreamRelay(
            Vertx vertx,
            HttpServerResponse client,
            ProviderAnswer upstream,
            UpstreamCall attempt,
            ClientStreamEncoder encoder,
            Supplier<Future<Void>> kept) {
        this.vertx = vertx;
        this.kept = kept;
        this.client = client;
        this.upstream = upstream;
        this.decoder = attempt.target().upstream().codec().streamDecoder();
        this.encoder = encoder;
        this.passthrough = attempt.prepared().passthrough();
        this.unaskedUsage = passthrough ? attempt.prepared().streamFilter() : null;
        this.meter = attempt.meter();
        this.idleTimeoutNanos =
                attempt.target().upstream().config().streamIdleTimeout().toNanos();
    }

    /** Relays the stream; the future says how it ended, unless {@link #cut} ended it first. */
    Future<End> start() {
        upstream.handler(this::onChunk);
        upstream.endHandler(v -> onEnd());
        upstream.exceptionHandler(this::onBroken);
        watchIdle(idleTimeoutNanos);
        return end.future();
    }

    /**
     * The HTTP client's idle timeout covers the wait for the answer's head only; a stream that starts and
     * then falls silent is cut here, one timer per stream, re-armed only when it fires. Time the relay spends
     * paused for a slow client is the client's, not the provider's: it does not count.
     */
    private void watchIdle(long delayNanos) {
        idleTimer = vertx.setTimer(Math.max(1, delayNanos / 1_000_000), id -> {
            if (done) {
                return;
            }
            if (paused) {
                watchIdle(idleTimeoutNanos);
                return;
            }
            long silent = System.nanoTime() - lastChunkNanos;
            if (silent >= idleTimeoutNanos) {
                // The timeout is the cause to report; the reset's own exception then finds the relay done.
                onBroken(new TimeoutException("no stream data for " + silent / 1_000_000 + " ms"));
                upstream.reset();
            } else {
                watchIdle(idleTimeoutNanos - silent);
            }
        });
    }

    private void onChunk(Buffer chunk) {
        if (done) {
            return;
        }
        lastChunkNanos = System.nanoTime();
        byte[] bytes = chunk.getBytes();
        events.clear();
        try {
            decoder.decode(bytes, 0, bytes.length, events::add);
        } catch (StreamFormatException | CodecException e) {
            events.add(malformed());
        }
        StreamEvent.Error error = firstError(events);
        if (error != null && !committed) {
            // Nothing reached the client yet: another key may do better.
            stopWatching();
            upstream.reset();
            end.complete(new Retry(error.error(), "stream error before the first byte"));
            return;
        }
        for (StreamEvent event : events) {
            if (event == error) {
                // The chunk that carries the error is not forwarded: the client gets its own error event.
                breakOff(error, true);
                return;
            }
            onEvent(event);
        }
        if (passthrough) {
            forwardWholeEvents(bytes);
        }
    }

    /** Writes the upstream's bytes up to the last event end, keeping the unfinished event back. */
    private void forwardWholeEvents(byte[] bytes) {
        int end = boundary.scan(bytes, 0, bytes.length);
        if (end < 0) {
            unfinished.appendBytes(bytes);
            return;
        }
        byte[] out = filtered(wholeEvents(bytes, end));
        if (heldBack == null && encoder instanceof RelayedKeeper keeper && keeper.keepRelayed(out)) {
            // The provider's terminal event waits until its Response is kept, as a translated one does.
            Future<Void> terminal = kept.get();
            if (!terminal.isComplete()) {
                heldBack = Buffer.buffer(out);
                terminal.onComplete(v -> release());
                return;
            }
        }
        write(Buffer.buffer(out));
    }

    /**
     * The unfinished event's bytes followed by {@code bytes[0, end)}, where the last whole event ends; what
     * follows is kept back as the next unfinished event. A chunk of whole events, the usual case, is not copied.
     */
    private byte[] wholeEvents(byte[] bytes, int end) {
        byte[] events;
        if (unfinished.length() == 0) {
            events = end == bytes.length ? bytes : Arrays.copyOf(bytes, end);
        } else {
            events = unfinished.appendBytes(bytes, 0, end).getBytes();
            unfinished = Buffer.buffer();
        }
        if (end < bytes.length) {
            unfinished.appendBytes(bytes, end, bytes.length - end);
        }
        return events;
    }

    private byte[] filtered(byte[] events) {
        return unaskedUsage == null ? events : unaskedUsage.filter(events, 0, events.length);
    }

    private void onEvent(StreamEvent event) {
        meter.produced(event);
        if (event instanceof StreamEvent.UsageUpdate u) {
            meter.reported(u.usage());
        } else if (event instanceof StreamEvent.Start s) {
            meter.reported(s.usage());
        } else if (event instanceof StreamEvent.End) {
            sawEnd = true;
        } else if (event instanceof StreamEvent.Error) {
            sawError = true;
        }
        if (!passthrough) {
            String out = encoder.encode(event);
            if (event instanceof StreamEvent.End) {
                Future<Void> terminal = kept.get();
                if (!terminal.isComplete()) {
                    heldBack = Buffer.buffer(out);
                    terminal.onComplete(v -> release());
                    return;
                }
            }
            if (!out.isEmpty()) {
                write(Buffer.buffer(out));
            }
        }
    }

    /** The terminal event's Response is kept: what waited goes out, and the relay finishes if it ended. */
    private void release() {
        Buffer waited = heldBack;
        heldBack = null;
        if (done) {
            return;
        }
        if (Objects.requireNonNull(waited, "release runs only after a terminal event was held back")
                        .length()
                > 0) {
            write(waited);
        }
        if (finishHeld) {
            finishHeld = false;
            finish();
        }
    }

    private void write(Buffer bytes) {
        if (heldBack != null) {
            heldBack.appendBuffer(bytes);
            return;
        }
        if (!committed) {
            committed = true;
            client.setStatusCode(200);
            client.setChunked(true);
            client.putHeader(HttpHeaders.CONTENT_TYPE, encoder.contentType());
            client.putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
            client.putHeader("x-accel-buffering", "no");
        }
        client.write(bytes);
        if (client.writeQueueFull() && !paused) {
            paused = true;
            upstream.pause();
            client.drainHandler(v -> {
                paused = false;
                lastChunkNanos = System.nanoTime();
                upstream.resume();
            });
        }
    }

    private void onEnd() {
        if (done) {
            return;
        }
        events.clear();
        decoder.end(events::add);
        StreamEvent.Error cut = firstError(events);
        boolean complete = sawEnd || events.stream().anyMatch(e -> e instanceof StreamEvent.End);
        if (!committed && (cut != null || !complete)) {
            stopWatching();
            end.complete(new Retry(
                    cut != null
                            ? cut.error()
                            : ApiError.of(
                                    ErrorKind.BAD_GATEWAY,
                                    "the upstream provider ended the stream before it was complete"),
                    "incomplete stream"));
            return;
        }
        for (StreamEvent event : events) {
            if (event == cut) {
                // What the upstream sent last was not a whole event and is dropped.
                breakOff(cut, false);
                return;
            }
            onEvent(event);
        }
        if (passthrough && unfinished.length() > 0) {
            write(Buffer.buffer(filtered(unfinished.getBytes()))); // a last event without its closing empty line
            unfinished = Buffer.buffer();
        }
        finish();
    }

    private void onBroken(Throwable cause) {
        if (done) {
            return;
        }
        if (!committed) {
            stopWatching();
            end.complete(new Retry(
                    ApiError.of(ErrorKind.TIMEOUT, "the upstream provider stopped answering"),
                    "stream broke: " + cause.getClass().getSimpleName()));
            return;
        }
        breakOff(
                new StreamEvent.Error(
                        ApiError.of(ErrorKind.BAD_GATEWAY, "the upstream provider stopped answering mid-stream")),
                true);
    }

    /** After bytes went out there is no retry: end with the client protocol's error event. */
    private void breakOff(StreamEvent.Error error, boolean resetUpstream) {
        tell(error);
        unfinished = Buffer.buffer();
        if (resetUpstream) {
            upstream.reset();
        }
        finish();
    }

    /** Ends the client's stream with {@code error} as its protocol's error event, unless it ended already. */
    private void tell(StreamEvent.Error error) {
        if (!sawEnd && !sawError) {
            if (passthrough) {
                write(Buffer.buffer(encoder.encode(error)));
            } else {
                onEvent(error);
            }
            sawError = true;
        }
    }

    private void finish() {
        if (done) {
            return;
        }
        if (heldBack != null) {
            finishHeld = true;
            return;
        }
        stopWatching();
        if (!committed) {
            write(Buffer.buffer());
        }
        client.end();
        boolean whole = sawEnd && !sawError;
        end.complete(new Ended(whole ? Ending.ANSWERED : Ending.PROVIDER_FAULT, whole ? null : "stream error"));
    }

    /**
     * The exchange was ended from outside the provider: nothing more is relayed. With a {@code notice} (the
     * node drains), a stream already begun ends with it as the client protocol's error event.
     *
     * @return true when the client's response was ended here
     */
    boolean cut(@Nullable ApiError notice) {
        boolean wasDone = done;
        stopWatching();
        if (wasDone || notice == null || !committed) {
            return false;
        }
        tell(new StreamEvent.Error(notice));
        client.end();
        return true;
    }

    /** This relay is over: nothing more is relayed, and the idle timer goes (it holds the relay). */
    private void stopWatching() {
        done = true;
        vertx.cancelTimer(idleTimer);
    }

    private static StreamEvent.Error malformed() {
        return new StreamEvent.Error(
                ApiError.of(ErrorKind.BAD_GATEWAY, "the upstream provider sent a malformed stream"));
    }

    private static StreamEvent.@Nullable Error firstError(List<StreamEvent> events) {
        for (StreamEvent e : events) {
            if (e instanceof StreamEvent.Error error) {
                return error;
            }
        }
        return null;
    }
}
