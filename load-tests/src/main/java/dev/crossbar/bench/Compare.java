package dev.crossbar.bench;

import static dev.crossbar.bench.Report.bytes;
import static dev.crossbar.bench.Report.f0;
import static dev.crossbar.bench.Report.f1;
import static dev.crossbar.bench.Report.f3;
import static dev.crossbar.bench.Report.median;
import static dev.crossbar.bench.Report.ratio;

import dev.crossbar.bench.load.LoadRequest;
import dev.crossbar.gateway.cli.Args;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * The compare scenario of {@code ./crossbar bench} (issue 18, point 5: what each change bought): an A/B of
 * two nodes in one run. On this box two runs of the same code minutes apart differ by up to 30%, so a
 * change is judged by running the old and the new node side by side: the fixed nginx upstream, a node
 * "baseline" on another build's class path (or this build with other JVM options) and a node "candidate"
 * of this build, each its own one-member cluster, then short closed-loop rounds alternating between them
 * (the order alternating per round too), and each round's candidate/baseline ratio. Two processes of the same
 * build differ too (by up to 9% in req/s here: where the JIT and the heap put things), so {@code --pairs} starts a
 * fresh baseline and candidate for each group of rounds and a change's figure is the median over all of them.
 */
final class Compare {

    static final String CANDIDATE = "candidate";
    static final String BASELINE = "baseline";
    /** With {@code --streams}: each stream's chunks, and the mock's pause between two, as in the stream scenario. */
    static final int STREAM_CHUNKS = 50;

    static final int STREAM_CHUNK_DELAY_MS = 2;

    /**
     * What the command line chose.
     *
     * @param baselineLib every jar of the baseline's class path ({@code null}: this build's)
     * @param baselineJvm the baseline's JVM options after {@code deploy/jvm.options} ({@code --baseline-jvm})
     * @param candidateJvm the candidate's ({@code --node-jvm})
     * @param streams     closed-loop streams ({@code --streams}: a Chat Completions stream of {@value #STREAM_CHUNKS}
     *     chunks from the mock, passed through) instead of the plain request
     * @param pairs       how many times a fresh baseline and candidate are started, each for all the rounds
     *     ({@code --pairs})
     */
    record Options(Path baselineLib, List<String> baselineJvm, List<String> candidateJvm, boolean streams, int pairs) {

        static Options parse(Args args) {
            String dir = args.get("baseline");
            Path lib = null;
            if (dir != null) {
                lib = Path.of(dir).toAbsolutePath().normalize();
                if (!Files.isDirectory(lib)) {
                    throw new Args.UsageException("--baseline " + dir + " is not a directory (give another build's "
                            + "gateway-node/target/lib)");
                }
                if (!hasNodeJar(lib)) {
                    throw new Args.UsageException("--baseline " + dir + " holds no gateway-node jar (give another "
                            + "build's gateway-node/target/lib, made by `mvn -B -o -q package -pl gateway-node -am"
                            + " -DskipTests` in that build)");
                }
            }
            return new Options(
                    lib,
                    jvm(args.get("baseline-jvm")),
                    jvm(args.get("node-jvm")),
                    args.flag("streams"),
                    pairs(args.get("pairs", "1")));
        }

        private static int pairs(String value) {
            try {
                int pairs = Integer.parseInt(value);
                if (pairs > 0) {
                    return pairs;
                }
            } catch (NumberFormatException notANumber) {
                // worded below
            }
            throw new Args.UsageException("--pairs " + value + " is not a whole number above 0");
        }

        private static boolean hasNodeJar(Path lib) {
            try (Stream<Path> files = Files.list(lib)) {
                return files.map(f -> f.getFileName().toString())
                        .anyMatch(n -> n.startsWith("gateway-node-") && n.endsWith(".jar"));
            } catch (IOException e) {
                return false;
            }
        }

        private static List<String> jvm(String options) {
            return options == null || options.isBlank()
                    ? List.of()
                    : Arrays.asList(options.trim().split("\\s+", -1));
        }
    }

    /** One round: each node's closed-loop run, which of them ran first, and which pair of processes ran it (from 1). */
    record Round(Bench.Sample candidate, Bench.Sample baseline, boolean candidateFirst, int pair) {
        double throughputRatio() {
            return candidate.load().throughput() / baseline.load().throughput();
        }

        double cpuRatio() {
            return candidate.cpuMicrosPerRequest() / baseline.cpuMicrosPerRequest();
        }
    }

    /** The order of round {@code round} (from 0): candidate first in even rounds, baseline first in odd ones. */
    static <T> List<T> order(int round, T candidate, T baseline) {
        return round % 2 == 0 ? List.of(candidate, baseline) : List.of(baseline, candidate);
    }

    private final Bench.Settings s;
    private final BenchStack stack;
    private final Bench bench;
    private final Options options;

    Compare(Bench.Settings settings, BenchStack stack, Bench bench, Options options) {
        this.s = settings;
        this.stack = stack;
        this.bench = bench;
        this.options = options;
    }

    String run() throws Exception {
        System.out.println("compare: starting the nginx upstream, the baseline and the candidate...");
        stack.startUpstream();
        if (options.streams()) {
            stack.startMock();
            Scrape.post(
                    stack.mockUrl() + "/_mock/config",
                    "{\"faults\":{\"streamChunks\":" + STREAM_CHUNKS + ",\"chunkDelayMs\":" + STREAM_CHUNK_DELAY_MS
                            + "}}");
        }
        LoadRequest request = options.streams()
                ? Bench.clientRequest("chat", "bench-openai", BenchStack.CLIENT_KEY, true)
                : bench.plainRequest(Bench.Style.CROSSBAR);
        List<Round> rounds = new ArrayList<>();
        List<String> described = new ArrayList<>();
        for (int pair = 1; pair <= options.pairs(); pair++) {
            String suffix = pair == 1 ? "" : "-" + pair;
            BenchStack.Node baseline = stack.startSolo(BASELINE + suffix, options.baselineLib(), options.baselineJvm());
            BenchStack.Node candidate = stack.startSolo(CANDIDATE + suffix, null, options.candidateJvm());
            BenchStack.awaitReady(List.of(baseline, candidate));
            Bench.Target c = target(CANDIDATE, candidate);
            Bench.Target b = target(BASELINE, baseline);
            System.out.println("compare: warm-up" + (options.pairs() == 1 ? "" : ", pair " + pair));
            bench.warm(c, s.jitWarmup(), List.of(request));
            bench.warm(b, s.jitWarmup(), List.of(request));
            for (int round = 0; round < s.rounds(); round++) {
                rounds.add(round(pair, round, c, b, request));
            }
            described.add(logs(candidate, baseline));
            // The next pair runs alone: an idle node still takes its share of the box (timers, the cluster).
            stack.stop(candidate);
            stack.stop(baseline);
        }
        return describe(described) + "\n" + report(rounds, s, options.streams());
    }

    private Round round(int pair, int round, Bench.Target c, Bench.Target b, LoadRequest request) throws Exception {
        bench.awaitQuiet("compare " + (options.pairs() == 1 ? "" : "pair " + pair + " ") + "round " + (round + 1));
        Bench.Sample cs = null;
        Bench.Sample bs = null;
        for (Bench.Target t : order(round, c, b)) {
            Bench.Sample sample = bench.measure(t, bench.closed(t.port(), request));
            if (t.name().equals(CANDIDATE)) {
                cs = sample;
            } else {
                bs = sample;
            }
        }
        Round r = new Round(Objects.requireNonNull(cs), Objects.requireNonNull(bs), round % 2 == 0, pair);
        System.out.printf(
                Locale.ROOT,
                "  pair %d round %d: candidate/baseline req/s %s, CPU per request %s%n",
                pair,
                round + 1,
                ratio(r.throughputRatio()),
                ratio(r.cpuRatio()));
        return r;
    }

    /** A node measured under its role's name, whichever pair it belongs to. */
    private static Bench.Target target(String role, BenchStack.Node node) {
        return new Bench.Target(role, node.port(), List.of(node.process()), List.of(node), Bench.Style.CROSSBAR);
    }

    /** Which code and JVM options each node ran, and the logs of each pair. */
    private String describe(List<String> logs) {
        return String.format(
                        Locale.ROOT,
                        "- candidate: this build (`gateway-node/target/lib`), JVM options after `deploy/jvm.options`: `%s`%n"
                                + "- baseline: %s, JVM options after `deploy/jvm.options`: `%s`%n"
                                + "- pairs of processes: %d, each warmed up and measured for all %d rounds%n",
                        jvmLine(options.candidateJvm()),
                        options.baselineLib() == null
                                ? "this build too"
                                : "every jar in `" + options.baselineLib() + "`",
                        jvmLine(options.baselineJvm()),
                        options.pairs(),
                        s.rounds())
                + String.join("", logs);
    }

    private static String logs(BenchStack.Node candidate, BenchStack.Node baseline) {
        return String.format(
                Locale.ROOT,
                "- logs: `%s`, `%s`%n",
                candidate.process().log(),
                baseline.process().log());
    }

    private static String jvmLine(List<String> extra) {
        List<String> all = new ArrayList<>(BenchStack.NODE_HEAP);
        all.addAll(extra);
        return String.join(" ", all);
    }

    /** The two tables (each node's medians; each round and the medians of its ratios) and what they mean. */
    static String report(List<Round> rounds, Bench.Settings s, boolean streams) {
        List<Bench.Sample> cand = rounds.stream().map(Round::candidate).toList();
        List<Bench.Sample> base = rounds.stream().map(Round::baseline).toList();
        Report.Table nodes = new Report.Table(
                "Node", "req/s", "CPU µs / req", "heap / req", "p99 ms", "requests", "errors (not 2xx)");
        for (String name : List.of(CANDIDATE, BASELINE)) {
            List<Bench.Sample> samples = name.equals(CANDIDATE) ? cand : base;
            nodes.row(
                    name,
                    f0(med(samples, x -> x.load().throughput())),
                    f1(med(samples, Bench.Sample::cpuMicrosPerRequest)),
                    bytes(med(samples, Bench.Sample::allocPerRequest)),
                    f3(med(samples, x -> x.load().latencyMillis(99))),
                    f0((double)
                            samples.stream().mapToLong(x -> x.load().total()).sum()),
                    samples.stream().mapToLong(x -> x.load().errors()).sum());
        }
        Report.Table table = new Report.Table(
                "Round",
                "pair",
                "first",
                "req/s candidate",
                "req/s baseline",
                "req/s c/b",
                "CPU µs / req candidate",
                "CPU µs / req baseline",
                "CPU c/b",
                "heap / req candidate",
                "heap / req baseline",
                "p99 ms candidate",
                "p99 ms baseline",
                "other processes, cores (c / b)");
        for (int i = 0; i < rounds.size(); i++) {
            Round r = rounds.get(i);
            table.row(
                    i + 1,
                    r.pair(),
                    r.candidateFirst() ? CANDIDATE : BASELINE,
                    f0(r.candidate().load().throughput()),
                    f0(r.baseline().load().throughput()),
                    ratio(r.throughputRatio()),
                    f1(r.candidate().cpuMicrosPerRequest()),
                    f1(r.baseline().cpuMicrosPerRequest()),
                    ratio(r.cpuRatio()),
                    bytes(r.candidate().allocPerRequest()),
                    bytes(r.baseline().allocPerRequest()),
                    f3(r.candidate().load().latencyMillis(99)),
                    f3(r.baseline().load().latencyMillis(99)),
                    String.format(
                            Locale.ROOT,
                            "%.2f / %.2f",
                            r.candidate().foreignCores(),
                            r.baseline().foreignCores()));
        }
        table.row(
                "median",
                "",
                "",
                f0(med(cand, x -> x.load().throughput())),
                f0(med(base, x -> x.load().throughput())),
                ratio(medianThroughputRatio(rounds)),
                f1(med(cand, Bench.Sample::cpuMicrosPerRequest)),
                f1(med(base, Bench.Sample::cpuMicrosPerRequest)),
                ratio(medianCpuRatio(rounds)),
                bytes(med(cand, Bench.Sample::allocPerRequest)),
                bytes(med(base, Bench.Sample::allocPerRequest)),
                f3(med(cand, x -> x.load().latencyMillis(99))),
                f3(med(base, x -> x.load().latencyMillis(99))),
                "");
        return nodes.markdown()
                + "\n"
                + table.markdown()
                + String.format(
                        Locale.ROOT,
                        "%n**Candidate/baseline, median of %d rounds' ratios: req/s %s (rounds %s), CPU per request %s"
                                + " (rounds %s).** Above 1x in req/s and below 1x in CPU favours the candidate.%s%n%n"
                                + "Each round: one closed-loop run of %s on each node, %d connections, %s s"
                                + " measured after %s s of warm-up, the order alternating per round (the first column) so"
                                + " drift lands on both. CPU per request is the node process's CPU time (`/proc/<pid>/stat`"
                                + " utime + stime) over the run, warm-up included, over the run's answers; heap per request"
                                + " is `jvm_gc_memory_allocated_bytes_total` plus eden in use from the node's /metrics; the"
                                + " ratios are each round's, and their median is not the ratio of the medians. Other"
                                + " processes: the cores the rest of the box used during each node's run.%n",
                        rounds.size(),
                        ratio(medianThroughputRatio(rounds)),
                        range(rounds, Round::throughputRatio),
                        ratio(medianCpuRatio(rounds)),
                        range(rounds, Round::cpuRatio),
                        perPair(rounds),
                        streams
                                ? "a Chat Completions stream of " + STREAM_CHUNKS + " chunks " + STREAM_CHUNK_DELAY_MS
                                        + " ms apart from the mock, passed through (a request is a stream)"
                                : "the plain request",
                        s.connections(),
                        seconds(s.duration().toMillis()),
                        seconds(s.warmup().toMillis()));
    }

    /** Each pair's median ratios, when there was more than one pair: how much the processes themselves differ. */
    static String perPair(List<Round> rounds) {
        Map<Integer, List<Round>> byPair = new TreeMap<>();
        rounds.forEach(
                r -> byPair.computeIfAbsent(r.pair(), p -> new ArrayList<>()).add(r));
        if (byPair.size() < 2) {
            return "";
        }
        List<String> each = new ArrayList<>();
        byPair.forEach((pair, its) -> each.add(String.format(
                Locale.ROOT,
                "pair %d req/s %s, CPU %s",
                pair,
                ratio(medianThroughputRatio(its)),
                ratio(medianCpuRatio(its)))));
        return " Each pair of processes' medians: " + String.join("; ", each) + ".";
    }

    static double medianThroughputRatio(List<Round> rounds) {
        return median(rounds.stream().map(Round::throughputRatio).toList());
    }

    static double medianCpuRatio(List<Round> rounds) {
        return median(rounds.stream().map(Round::cpuRatio).toList());
    }

    private static String range(List<Round> rounds, ToDoubleFunction<Round> f) {
        double lo = rounds.stream().mapToDouble(f).min().orElse(Double.NaN);
        double hi = rounds.stream().mapToDouble(f).max().orElse(Double.NaN);
        return ratio(lo) + "-" + ratio(hi);
    }

    private static double med(List<Bench.Sample> samples, ToDoubleFunction<Bench.Sample> f) {
        return median(samples.stream().map(x -> f.applyAsDouble(x)).toList());
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : f1(millis / 1000.0);
    }
}
