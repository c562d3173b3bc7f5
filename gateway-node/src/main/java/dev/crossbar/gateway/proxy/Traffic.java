package dev.crossbar.gateway.proxy;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The requests a node is serving now, and whether it is draining: counted by the exchanges, read by health,
 * the node's stats and metrics. Thread-safe.
 */
public final class Traffic {

    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;

    /** Requests this node is serving now (a graceful stop waits for none). */
    public int inFlight() {
        return inFlight.get();
    }

    public boolean draining() {
        return draining;
    }

    public void startDraining() {
        draining = true;
    }

    void entered() {
        inFlight.incrementAndGet();
    }

    void left() {
        inFlight.decrementAndGet();
    }
}
