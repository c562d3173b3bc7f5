package dev.crossbar.codecs.spi;

import org.jspecify.annotations.Nullable;

/**
 * A client's body on its way to a provider of the client's own protocol (DESIGN.md 3): the bytes as sent but
 * for the model, and what the relay must take back out of the answer.
 *
 * @param request      the upstream call
 * @param streamFilter for a stream whose usage the gateway asked for on its own account: takes it back out
 *                     of the events, so the client reads the stream it asked for; null when nothing was added
 */
public record Forwarded(UpstreamRequest request, @Nullable StreamFilter streamFilter) {

    public Forwarded(UpstreamRequest request) {
        this(request, null);
    }
}
