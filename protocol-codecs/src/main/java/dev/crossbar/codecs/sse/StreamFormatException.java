package dev.crossbar.codecs.sse;

/** A byte stream that breaks its framing (an event over the size cap, for one). */
public final class StreamFormatException extends RuntimeException {
    public StreamFormatException(String message) {
        super(message, null, false, false);
    }
}
