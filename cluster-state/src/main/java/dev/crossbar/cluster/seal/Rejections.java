package dev.crossbar.cluster.seal;

import dev.crossbar.cluster.seal.UnreadableValue.Reason;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the values in cluster state this node refused, by map and reason, and logs them: the first of
 * each map and reason at once, then at most one line per ten seconds with the number since, so a flood of
 * forged writes cannot flood the log.
 */
public final class Rejections {

    private static final Logger LOG = LoggerFactory.getLogger(Rejections.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    private static final class Counter {
        final LongAdder total = new LongAdder();
        final AtomicLong unlogged = new AtomicLong();
        final AtomicLong loggedAt = new AtomicLong(Long.MIN_VALUE);
    }

    /** Records one refused value of {@code map} under {@code id}. */
    public void refused(String map, String id, UnreadableValue why) {
        Counter c = counters.computeIfAbsent(key(map, why.reason()), k -> new Counter());
        c.total.increment();
        long since = c.unlogged.incrementAndGet();
        long now = System.nanoTime();
        long last = c.loggedAt.get();
        if ((last == Long.MIN_VALUE || now - last >= LOG_EVERY_NANOS) && c.loggedAt.compareAndSet(last, now)) {
            c.unlogged.addAndGet(-since);
            LOG.warn(
                    "ignored {} in cluster map {} under '{}' ({}: {}){}",
                    since == 1 ? "a value" : since + " values",
                    map,
                    printable(id),
                    why.reason().label(),
                    why.getMessage(),
                    since == 1 ? "" : "; the last one shown");
        }
    }

    /** Values of {@code map} refused for {@code reason} since this node started. */
    public long count(String map, Reason reason) {
        Counter c = counters.get(key(map, reason));
        return c == null ? 0 : c.total.sum();
    }

    /** Every value refused since this node started, whatever the map. */
    public long total() {
        long sum = 0;
        for (Counter c : counters.values()) {
            sum += c.total.sum();
        }
        return sum;
    }

    private static String key(String map, Reason reason) {
        return map + '\u0000' + reason.name();
    }

    /** An id from a forger is shown short and without control characters. */
    private static String printable(String id) {
        if (id == null) {
            return "?";
        }
        String clean = id.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 80 ? clean.substring(0, 80) + "..." : clean;
    }
}
