package dev.crossbar.gateway.http;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's cap on client connections held at once ({@code node.maxConnections}), shared by its event
 * loops. Connections past it are refused; a burst of refusals is logged once, with its count.
 */
public final class ConnectionCap {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionCap.class);
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lastLogNanos = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
    private final AtomicLong refusedAtLastLog = new AtomicLong();

    public ConnectionCap(int max) {
        this.max = max;
    }

    /** Takes a place for a new connection; false when the node holds its cap already. */
    boolean tryOpen() {
        if (open.incrementAndGet() <= max) {
            return true;
        }
        open.decrementAndGet();
        long total = refused.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLogNanos.get();
        if (now - last >= LOG_EVERY_NANOS && lastLogNanos.compareAndSet(last, now)) {
            long since = total - refusedAtLastLog.getAndSet(total);
            LOG.warn("refused {} client connection(s): the node holds node.maxConnections={} already", since, max);
        }
        return false;
    }

    void closed() {
        open.decrementAndGet();
    }

    /** Client connections open now. */
    public int open() {
        return open.get();
    }

    /** Connections refused since the node started. */
    public long refused() {
        return refused.get();
    }
}
