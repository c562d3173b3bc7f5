package dev.crossbar.bench;

import static dev.crossbar.bench.Report.bytes;
import static dev.crossbar.bench.Report.f0;
import static dev.crossbar.bench.Report.f1;
import static dev.crossbar.bench.Report.f3;

import dev.crossbar.bench.load.LoadOptions;
import dev.crossbar.bench.load.LoadRequest;
import dev.crossbar.bench.load.LoadResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The soak scenario of {@code ./crossbar bench} (issue 18, point 3: no stall): minutes of closed-loop load
 * on one node in front of the fixed nginx upstream, reported a minute at a time, with the longest time any
 * request spent inside the node (its access log's {@code latency_ms - upstream_ms}), how many exceeded
 * {@value InNodeTime#STALL_MILLIS} ms, and the node's GC pauses.
 */
final class Soak {

    private static final Duration STEP = Duration.ofSeconds(60);
    private static final String MODEL = "bench-fast";

    private final Bench.Settings s;
    private final BenchStack stack;
    private final Bench bench;
    private final Duration length;

    /** One minute (or what is left) of the soak. */
    private record Step(Bench.Sample sample, InNodeTime inNode, long gcPauses, double gcMillis, double gcLongest) {}

    Soak(Bench.Settings settings, BenchStack stack, Bench bench, Duration length) {
        this.s = settings;
        this.stack = stack;
        this.bench = bench;
        this.length = length;
    }

    String run() throws Exception {
        BenchStack.Node node = stack.nodeA;
        Bench.Target target = new Bench.Target(
                "Crossbar, 1 node", node.port(), List.of(node.process()), List.of(node), Bench.Style.CROSSBAR);
        bench.warm(target, s.jitWarmup());
        bench.awaitQuiet("soak");
        LoadRequest request = bench.plainRequest(Bench.Style.CROSSBAR);
        Path log = node.process().log();
        List<Step> steps = new ArrayList<>();
        for (Duration left = length; !left.isZero() && !left.isNegative(); left = left.minus(STEP)) {
            Duration step = left.compareTo(STEP) < 0 ? left : STEP;
            long from = log.toFile().length();
            Bench.Sample sample;
            GcPauses gc = new GcPauses(node.url() + "/metrics", Duration.ofSeconds(5));
            try {
                sample = bench.measure(
                        target,
                        LoadOptions.closed(node.port(), List.of(request), s.connections(), Duration.ZERO, step));
            } finally {
                gc.stop();
            }
            Thread.sleep(500); // the access log is flushed every 200 ms
            InNodeTime inNode = InNodeTime.read(log, from, MODEL, InNodeTime.STALL_MILLIS);
            steps.add(new Step(sample, inNode, gc.pauses(), gc.totalMillis(), gc.longestMillis()));
            System.out.printf(
                    Locale.ROOT,
                    "  soak minute %d: longest in the node %.1f ms, %d over %.0f ms of %d logged; GC %d pauses,"
                            + " longest %.1f ms%n",
                    steps.size(),
                    inNode.maxMillis(),
                    inNode.over(),
                    InNodeTime.STALL_MILLIS,
                    inNode.lines(),
                    gc.pauses(),
                    gc.longestMillis());
        }
        return report(steps);
    }

    private String report(List<Step> steps) {
        Report.Table table = new Report.Table(
                "Minute",
                "req/s",
                "p50 ms",
                "p99 ms",
                "p99.9 ms",
                "max ms",
                "requests logged",
                "in node p99.9 ms",
                "in node max ms",
                "in node > 50 ms",
                "GC pauses",
                "GC pause total ms",
                "longest GC pause ms",
                "CPU s / 1k req",
                "heap / req",
                "errors");
        Histogram latency = new Histogram(3);
        Histogram inNode = new Histogram(3);
        long answered = 0;
        long logged = 0;
        long over = 0;
        long pauses = 0;
        long errors = 0;
        double window = 0;
        double inNodeMax = 0;
        double gcMillis = 0;
        double gcLongest = 0;
        double cpu = 0;
        double alloc = 0;
        for (int i = 0; i < steps.size(); i++) {
            Step st = steps.get(i);
            LoadResult load = st.sample().load();
            table.row(
                    i + 1,
                    f0(load.throughput()),
                    f3(load.latencyMillis(50)),
                    f3(load.latencyMillis(99)),
                    f3(load.latencyMillis(99.9)),
                    f1(load.latencyMillis(100)),
                    st.inNode().lines(),
                    f3(st.inNode().millisAt(99.9)),
                    f1(st.inNode().maxMillis()),
                    st.inNode().over(),
                    st.gcPauses(),
                    f1(st.gcMillis()),
                    f1(st.gcLongest()),
                    f3(st.sample().cpuPer1k()),
                    bytes(st.sample().allocPerRequest()),
                    load.errors());
            latency.add(load.latency());
            inNode.add(st.inNode().micros());
            answered += load.completed();
            window += load.windowSeconds();
            logged += st.inNode().lines();
            over += st.inNode().over();
            inNodeMax = Math.max(inNodeMax, st.inNode().maxMillis());
            pauses += st.gcPauses();
            gcMillis += st.gcMillis();
            gcLongest = Math.max(gcLongest, st.gcLongest());
            cpu += st.sample().cpuSeconds();
            alloc += st.sample().allocBytes();
            errors += load.errors();
        }
        long total = steps.stream().mapToLong(x -> x.sample().load().total()).sum();
        table.row(
                "all",
                f0(answered / window),
                f3(latency.getValueAtPercentile(50) / 1_000.0),
                f3(latency.getValueAtPercentile(99) / 1_000.0),
                f3(latency.getValueAtPercentile(99.9) / 1_000.0),
                f1(latency.getMaxValue() / 1_000.0),
                logged,
                f3(inNode.getTotalCount() == 0 ? 0 : inNode.getValueAtPercentile(99.9) / 1_000.0),
                f1(inNodeMax),
                over,
                pauses,
                f1(gcMillis),
                f1(gcLongest),
                f3(total == 0 ? Double.NaN : cpu * 1_000 / total),
                bytes(total == 0 ? Double.NaN : alloc / total),
                errors);
        return table.markdown()
                + String.format(
                        Locale.ROOT,
                        "%nOne node in front of the fixed nginx upstream, small plain requests, closed loop on %d connections "
                                + "for %s in steps of at most a minute (the connections are reopened between steps), after "
                                + "the node's JIT settled. Client latency is from each send to the last byte. Time in the node "
                                + "is `latency_ms - upstream_ms` of each line of the node's access log (first byte in to last "
                                + "byte out, less the wait on the upstream: the admission queue, ledger calls, GC pauses and "
                                + "the node's own work; 0.1 ms resolution). GC pauses are `jvm_gc_pause_seconds_count` and "
                                + "`_sum` before and after each step; the longest is `jvm_gc_pause_seconds_max` polled every "
                                + "5 s (Micrometer holds a pause there for about 2 minutes, so a step can show one from "
                                + "the step before). **Longest time in the node: %s ms; requests over %s ms in the node: "
                                + "%d of %s; longest GC pause: %s ms** (target: no request waits more than %s ms inside the "
                                + "node).%n",
                        s.connections(),
                        duration(length),
                        f1(inNodeMax),
                        f0(InNodeTime.STALL_MILLIS),
                        over,
                        f0((double) logged),
                        f1(gcLongest),
                        f0(InNodeTime.STALL_MILLIS));
    }

    private static String duration(Duration d) {
        long sec = d.toSeconds();
        return sec % 60 == 0 ? sec / 60 + " min" : sec + " s";
    }
}
