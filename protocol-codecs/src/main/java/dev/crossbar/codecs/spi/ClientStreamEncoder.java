package dev.crossbar.codecs.spi;

import dev.crossbar.codecs.model.StreamEvent;

/**
 * Turns canonical stream events into the client's wire events, one stream at a time (not thread-safe).
 * Each call returns the bytes to write now, possibly empty; the encoder holds whatever block state its
 * protocol needs and synthesises the protocol's terminator on {@link StreamEvent.End} or
 * {@link StreamEvent.Error}.
 */
public interface ClientStreamEncoder {

    /** The Content-Type of the stream, e.g. {@code text/event-stream}. */
    default String contentType() {
        return "text/event-stream";
    }

    String encode(StreamEvent event);
}
