package dev.crossbar.gateway.upstream;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connections a node's own HTTP/1.1 pools ({@link Http1Pool}) hold open, every event loop's together: the gauge
 * {@code crossbar_upstream_connections}. Those through Vert.x's client (TLS providers) are its own gauge's.
 */
public final class UpstreamConnections {

    private final AtomicInteger open = new AtomicInteger();

    void opened() {
        open.incrementAndGet();
    }

    void closed() {
        open.decrementAndGet();
    }

    public int open() {
        return open.get();
    }
}
