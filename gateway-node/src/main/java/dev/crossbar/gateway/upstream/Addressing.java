package dev.crossbar.gateway.upstream;

/**
 * Where a provider serves what a codec writes: the codecs speak the vendors' own APIs ({@code /chat/completions},
 * {@code /models/M:generateContent}, {@code /messages}); clouds serve the same bodies at URLs of their own, and
 * sometimes want the model out of the body and in the URL.
 */
public interface Addressing {

    /** The vendor's own URLs and bodies. */
    Addressing DIRECT = new Addressing() {};

    /** The model name to write in the request for the upstream model a route names. */
    default String model(String upstreamModel) {
        return upstreamModel;
    }

    /** The path and query, relative to the base URL, for a codec's {@code path} to {@code model}. */
    default String path(String path, String model, boolean stream) {
        return path;
    }

    /** The body to send for a codec's {@code body} to {@code path}. */
    default byte[] body(String path, byte[] body) {
        return body;
    }
}
