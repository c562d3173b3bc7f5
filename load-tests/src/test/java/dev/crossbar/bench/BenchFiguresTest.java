package dev.crossbar.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.bench.load.LoadOptions;
import dev.crossbar.bench.load.LoadResult;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The arithmetic behind the stream and soak figures: CPU per relayed event, per-round ratios, GC gauges. */
class BenchFiguresTest {

    /** A streamed run: {@code total} answers in all, {@code streams} of them in the window with {@code events}. */
    private static Bench.Sample streamed(double cpuSeconds, long total, long streams, long events) {
        LoadResult load = new LoadResult(
                LoadOptions.Mode.OPEN,
                40,
                32,
                3,
                streams,
                total,
                Map.of("200", total),
                new Histogram(3),
                new Histogram(3),
                new Histogram(3),
                events,
                streams,
                new Histogram(3));
        return new Bench.Sample(load, cpuSeconds, Double.NaN, Double.NaN, 0);
    }

    @Test
    void shouldDivideTheWholeRunsCpuByTheWholeRunsEvents() {
        // 160 streams answered in all (warm-up included), 120 in the window with 53 events each:
        // the run relayed 160 x 53 = 8,480 events for 0.848 s of CPU, 100 µs each.
        Bench.Sample s = streamed(0.848, 160, 120, 120 * 53);
        assertEquals(100.0, s.cpuMicrosPerEvent(), 1e-9);
    }

    @Test
    void shouldHaveNoFigurePerEventWithoutEvents() {
        assertTrue(Double.isNaN(streamed(0.5, 100, 0, 0).cpuMicrosPerEvent()));
    }

    @Test
    void shouldTakeTheMedianOfEachRoundsRatio() {
        List<Bench.Sample> translated =
                List.of(streamed(3, 100, 100, 1000), streamed(1, 100, 100, 1000), streamed(5, 100, 100, 1000));
        List<Bench.Sample> passThrough =
                List.of(streamed(1, 100, 100, 1000), streamed(1, 100, 100, 1000), streamed(2, 100, 100, 1000));
        // round ratios 3, 1, 2.5: the median is 2.5, not 13/4 (the ratio of the medians would be 3).
        assertEquals(2.5, Bench.medRatio(translated, passThrough, Bench.Sample::cpuMicrosPerEvent), 1e-9);
    }

    @Test
    void shouldReadTheLongestOfSeveralSeriesAndSumTheirCounts() {
        String metrics = """
                # HELP jvm_gc_pause_seconds Time spent in GC pause
                # TYPE jvm_gc_pause_seconds summary
                jvm_gc_pause_seconds_count{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young Generation"} 41
                jvm_gc_pause_seconds_sum{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young Generation"} 0.25
                jvm_gc_pause_seconds_count{action="end of major GC",cause="G1 Compaction Pause",gc="G1 Full GC"} 1
                jvm_gc_pause_seconds_sum{action="end of major GC",cause="G1 Compaction Pause",gc="G1 Full GC"} 0.1
                # TYPE jvm_gc_pause_seconds_max gauge
                jvm_gc_pause_seconds_max{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young Generation"} 0.012
                jvm_gc_pause_seconds_max{action="end of major GC",cause="G1 Compaction Pause",gc="G1 Full GC"} 0.1
                """;
        assertEquals(0.1, Scrape.max(metrics, "jvm_gc_pause_seconds_max"), 1e-12);
        assertEquals(42, Scrape.sum(metrics, "jvm_gc_pause_seconds_count"), 1e-12);
        assertEquals(0.35, Scrape.sum(metrics, "jvm_gc_pause_seconds_sum"), 1e-12);
        assertEquals(0, Scrape.max(metrics, "jvm_gc_pause_seconds_absent"));
    }
}
