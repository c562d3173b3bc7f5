package dev.crossbar.bench;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A node's garbage-collector pauses over a run, from its /metrics: how many and how long in all
 * ({@code jvm_gc_pause_seconds_count} and {@code _sum} before and after), and the longest, from
 * {@code jvm_gc_pause_seconds_max} polled while the run lasts. Micrometer keeps a pause in that gauge for
 * about two minutes, so polling every few seconds misses none, but a pause up to two minutes before the
 * start can show too.
 */
final class GcPauses {

    private static final String PAUSE = "jvm_gc_pause_seconds";

    private final String metricsUrl;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-gc-poller");
        t.setDaemon(true);
        return t;
    });
    private final double count0;
    private final double sum0;
    private final ScheduledFuture<?> polling;
    private volatile double longestSeconds;
    private double count1 = Double.NaN;
    private double sum1 = Double.NaN;

    /** Starts watching the node at {@code metricsUrl}, polling its longest pause every {@code every}. */
    GcPauses(String metricsUrl, Duration every) throws Exception {
        this.metricsUrl = metricsUrl;
        String text = Scrape.get(metricsUrl);
        count0 = Scrape.sum(text, PAUSE + "_count");
        sum0 = Scrape.sum(text, PAUSE + "_sum");
        longestSeconds = Scrape.max(text, PAUSE + "_max");
        polling = poller.scheduleWithFixedDelay(this::poll, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            longestSeconds = Math.max(longestSeconds, Scrape.max(Scrape.get(metricsUrl), PAUSE + "_max"));
        } catch (Exception e) {
            System.err.println("bench: reading GC pauses: " + e);
        }
    }

    /** Stops polling and reads the counters a last time. */
    void stop() throws Exception {
        polling.cancel(false);
        poller.shutdownNow();
        String text = Scrape.get(metricsUrl);
        count1 = Scrape.sum(text, PAUSE + "_count");
        sum1 = Scrape.sum(text, PAUSE + "_sum");
        longestSeconds = Math.max(longestSeconds, Scrape.max(text, PAUSE + "_max"));
    }

    long pauses() {
        return Math.round(count1 - count0);
    }

    double totalMillis() {
        return (sum1 - sum0) * 1_000;
    }

    double longestMillis() {
        return longestSeconds * 1_000;
    }
}
