package dev.crossbar.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Time in the node read from access-log lines: latency_ms - upstream_ms, per model, from an offset. */
class InNodeTimeTest {

    private static String line(String model, String latency, String upstream, String queue) {
        return "05:01:02.345 ACCESS req_1a-n openai-chat status=200 outcome=success client=bench model=" + model
                + " provider=fast key=fast-1 fp=sk-...fast attempts=1 stream=false tokens_in=9 tokens_out=12"
                + " cost_usd=0.000001200 latency_ms=" + latency + " upstream_ms=" + upstream + " queue_ms=" + queue
                + "\n";
    }

    @Test
    void shouldTakeTheUpstreamWaitOutOfEachRequestsLatency(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("node.log");
        Files.writeString(
                log,
                line("bench-fast", "1.4", "0.9", "0.0")
                        + "05:01:02.400 INFO  some other line latency_ms=900.0 upstream_ms=0.0\n"
                        + line("bench-fast", "260.0", "200.0", "55.0")
                        + line("bench-other", "500.0", "0.0", "0.0")
                        + line("bench-fast", "0.3", "0.4", "0.0"),
                StandardCharsets.UTF_8);

        InNodeTime t = InNodeTime.read(log, 0, "bench-fast", 50);

        assertEquals(3, t.lines(), "only this model's access-log lines");
        assertEquals(60.0, t.maxMillis(), 1e-9, "260 ms in all, 200 of them waiting on the upstream");
        assertEquals(1, t.over());
        assertEquals(60.0, t.millisAt(100), 0.1);
        assertEquals(0L, t.micros().getMinValue(), "rounding that makes upstream exceed latency counts as zero");
    }

    @Test
    void shouldReadOnlyWhatFollowsTheOffsetAndEveryModelWhenNoneIsNamed(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("node.log");
        String first = line("bench-fast", "99.0", "0.0", "0.0");
        Files.writeString(log, first + line("a", "10.5", "0.5", "0.0") + line("b", "2.0", "1.0", "0.0"));

        InNodeTime t = InNodeTime.read(log, first.getBytes(StandardCharsets.UTF_8).length, null, 50);

        assertEquals(2, t.lines());
        assertEquals(10.0, t.maxMillis(), 1e-9);
        assertEquals(0, t.over());
    }

    @Test
    void shouldSkipLinesWithoutBothTimings() {
        InNodeTime.Tally tally = new InNodeTime.Tally(null, 50);
        tally.add("05:00:00.000 ACCESS req_1 openai-chat status=400 model=x latency_ms=3.0");
        tally.add("05:00:00.000 ACCESS req_2 openai-chat status=200 model=x latency_ms=abc upstream_ms=1.0");
        assertEquals(0, tally.result().lines());
        assertEquals(0, tally.result().millisAt(99.9));
    }

    @Test
    void shouldReadANumberUpToTheNextWord() {
        assertEquals(12.5, InNodeTime.field("a latency_ms=12.5 upstream_ms=3.0", " latency_ms="));
        assertEquals(3.0, InNodeTime.field("a latency_ms=12.5 upstream_ms=3.0", " upstream_ms="));
        assertEquals(Double.NaN, InNodeTime.field("a latency_ms=12.5", " upstream_ms="));
    }
}
