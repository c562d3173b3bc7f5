package dev.crossbar.codecs.spi;

import org.jspecify.annotations.Nullable;

/**
 * A path a client of a protocol POSTs to, and what it asks there.
 *
 * @param path     the whole path, or (with a {@code method}) the prefix that the model and the method follow,
 *                 as Gemini's {@code /v1beta/models/{model}:generateContent}
 * @param endpoint what the call asks of a provider
 * @param method   the method after the model's colon, or null for a whole path
 * @param stream   true when the path itself asks for a stream
 */
public record ClientRoute(
        String path, Endpoint endpoint, @Nullable String method, boolean stream) {

    /** A fixed path; the body names the model and the stream flag. */
    public static ClientRoute at(String path, Endpoint endpoint) {
        return new ClientRoute(path, endpoint, null, false);
    }

    /** {@code prefix + {model} + ":" + method}: the path names the model, and the method says whether to stream. */
    public static ClientRoute modelInPath(String prefix, String method, boolean stream) {
        return new ClientRoute(prefix, Endpoint.CHAT, method, stream);
    }

    public boolean modelInPath() {
        return method != null;
    }
}
