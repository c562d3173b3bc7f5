package dev.crossbar.bench.load;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What a load run measured. Histograms hold microseconds (event rates: events per second).
 *
 * @param windowSeconds how long the measurement window lasted: the duration, or less if the run was stopped
 * @param completed answers that arrived inside the measurement window (after the warm-up)
 * @param total answers over the whole run, warm-up included (what CPU and allocation are divided by)
 * @param outcomes count per outcome over the whole run: the HTTP status ({@code "200"}, {@code "429"}),
 *     {@code "timeout"}, {@code "io"} (no HTTP answer) or {@code "unsent"} (scheduled, never sent: the
 *     target was too far behind)
 * @param latency open loop: from the time each request was SCHEDULED to its last byte (coordinated
 *     omission safe); closed loop: from its send
 * @param serviceTime from the actual send to the last byte (what a naive generator would report)
 * @param firstByte time to the first body byte, counted like {@code latency}
 * @param eventRate per stream, SSE events per second between its first and last event
 */
public record LoadResult(
        LoadOptions.Mode mode,
        double offeredRate,
        int connections,
        double windowSeconds,
        long completed,
        long total,
        Map<String, Long> outcomes,
        Histogram latency,
        Histogram serviceTime,
        Histogram firstByte,
        long events,
        long streams,
        Histogram eventRate) {

    public LoadResult {
        outcomes = Map.copyOf(new TreeMap<>(outcomes));
    }

    /** Answers per second inside the measurement window (0 for a run stopped before its window began). */
    public double throughput() {
        return windowSeconds > 0 ? completed / windowSeconds : 0;
    }

    public long ok() {
        long ok = 0;
        for (Map.Entry<String, Long> e : outcomes.entrySet()) {
            if (e.getKey().length() == 3 && e.getKey().charAt(0) == '2') {
                ok += e.getValue();
            }
        }
        return ok;
    }

    public long count(String outcome) {
        return outcomes.getOrDefault(outcome, 0L);
    }

    /** Everything that was not a 2xx answer. */
    public long errors() {
        long all = 0;
        for (long v : outcomes.values()) {
            all += v;
        }
        return all - ok();
    }

    /** A latency percentile in milliseconds (0 when nothing was recorded). */
    public double latencyMillis(double percentile) {
        return millis(latency, percentile);
    }

    public double firstByteMillis(double percentile) {
        return millis(firstByte, percentile);
    }

    public double serviceMillis(double percentile) {
        return millis(serviceTime, percentile);
    }

    /** Median of the per-stream event rates (events per second), 0 without streams. */
    public double medianEventRate() {
        return eventRate.getTotalCount() == 0 ? 0 : eventRate.getValueAtPercentile(50);
    }

    public double eventsPerStream() {
        return streams == 0 ? 0 : (double) events / streams;
    }

    static double millis(Histogram h, double percentile) {
        if (h.getTotalCount() == 0) {
            return 0;
        }
        long micros = percentile >= 100 ? h.getMaxValue() : h.getValueAtPercentile(percentile);
        return micros / 1_000.0;
    }

    /** One line: rate, percentiles, outcomes. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                "%s %d conns%s: %.0f req/s, latency p50 %.3f p90 %.3f p99 %.3f p99.9 %.3f max %.3f ms",
                mode == LoadOptions.Mode.OPEN ? "open" : "closed",
                connections,
                mode == LoadOptions.Mode.OPEN ? String.format(" @ %.0f/s", offeredRate) : "",
                throughput(),
                latencyMillis(50),
                latencyMillis(90),
                latencyMillis(99),
                latencyMillis(99.9),
                latencyMillis(100)));
        if (streams > 0) {
            b.append(String.format(
                    ", first byte p50 %.3f p99 %.3f ms, %.1f events/stream at %.0f events/s",
                    firstByteMillis(50), firstByteMillis(99), eventsPerStream(), medianEventRate()));
        }
        b.append(", outcomes ").append(outcomes);
        return b.toString();
    }
}
