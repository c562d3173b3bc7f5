package dev.crossbar.codecs.spi;

/** Rewrites whole events of an upstream's stream that is otherwise relayed as its own bytes. Stateless. */
public interface StreamFilter {

    /** The events of {@code bytes[from, to)} as the client must see them. */
    byte[] filter(byte[] bytes, int from, int to);
}
