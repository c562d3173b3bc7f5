package dev.crossbar.bench;

import static dev.crossbar.bench.Report.bytes;
import static dev.crossbar.bench.Report.f0;
import static dev.crossbar.bench.Report.f1;
import static dev.crossbar.bench.Report.f3;
import static dev.crossbar.bench.Report.median;
import static dev.crossbar.bench.Report.plus;
import static dev.crossbar.bench.Report.ratio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crossbar.bench.load.LoadGenerator;
import dev.crossbar.bench.load.LoadOptions;
import dev.crossbar.bench.load.LoadRequest;
import dev.crossbar.bench.load.LoadResult;
import dev.crossbar.launcher.ChildProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * The scenarios of {@code ./crossbar bench}. Each alternates its targets inside every round and
 * repeats the rounds, so slow drift on a shared box (other builds, thermal) lands on every target
 * alike; figures are medians over the rounds. Before each round it waits for other people's processes
 * to quiet down (bounded) and notes how busy they kept the box.
 */
final class Bench {

    /** What the command line chose. */
    record Settings(
            int rounds,
            Duration duration,
            Duration warmup,
            double rate,
            int connections,
            Set<String> skip,
            Duration jitWarmup,
            double quietCores,
            Duration quietWait,
            double streamRate,
            double matrixRate,
            Duration saturation) {}

    /** How a target wants its plain request. */
    enum Style {
        RAW,
        CROSSBAR,
        PEER
    }

    /** Something to drive: its port, the processes whose CPU it costs, the JVMs (nodes, bare proxies) whose /metrics it has. */
    record Target(
            String name, int port, List<ChildProcess> processes, List<? extends BenchStack.Jvm> nodes, Style style) {}

    /** One measured run with the target's CPU, allocation and cluster round trips over it. */
    record Sample(LoadResult load, double cpuSeconds, double allocBytes, double roundTrips, double foreignCores) {
        double cpuPer1k() {
            return load.total() == 0 ? Double.NaN : cpuSeconds * 1_000 / load.total();
        }

        /** The target's CPU time per answer, microseconds. */
        double cpuMicrosPerRequest() {
            return load.total() == 0 ? Double.NaN : cpuSeconds * 1e6 / load.total();
        }

        double allocPerRequest() {
            return load.total() == 0 ? Double.NaN : allocBytes / load.total();
        }

        double roundTripsPerRequest() {
            return load.total() == 0 ? Double.NaN : roundTrips / load.total();
        }

        /**
         * The target's CPU per SSE event its clients received, microseconds. The generator counts events in the
         * measured window only and CPU covers the whole run, so the run's events are its answers times the
         * window's events per stream.
         */
        double cpuMicrosPerEvent() {
            double events = load.total() * load.eventsPerStream();
            return events == 0 ? Double.NaN : cpuSeconds * 1e6 / events;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The plain scenario's one-node target, whose ratio to nginx the CI floor judges. */
    private static final String ONE_NODE = "Crossbar, 1 node";

    /** The pause after each warm-up step: longer than a key lease, like the gaps between measured runs. */
    private static final Duration IDLE_BETWEEN_WARM_STEPS = Duration.ofSeconds(3);

    static final String PLAIN_USER = "hello";

    private final Settings s;
    private final BenchStack stack;
    private final List<String> notes = new ArrayList<>();
    private String scenario = "";
    private final List<String> foreignPerRound = new ArrayList<>();
    private double oneNodeToNginx = Double.NaN;
    /** Rounds that began with other processes still above the quiet threshold, and JVMs whose JIT never settled. */
    private int unquiet;

    Bench(Settings settings, BenchStack stack) {
        this.s = settings;
        this.stack = stack;
    }

    List<String> foreignLoad() {
        return foreignPerRound;
    }

    /** Notes of one scenario (the JIT state of its targets, what was left out). */
    List<String> notes(String of) {
        return notes.stream()
                .filter(n -> n.startsWith(of + "|"))
                .map(n -> n.substring(of.length() + 1))
                .toList();
    }

    /** Other processes' load noted before each round of one scenario. */
    List<String> foreignLoad(String of) {
        return foreignPerRound.stream()
                .filter(l -> l.startsWith(of) || l.startsWith("before starting"))
                .toList();
    }

    void scenario(String name) {
        scenario = name;
    }

    private void note(String text) {
        notes.add(scenario + "|" + text);
    }

    // ---------------------------------------------------------------- requests

    static String chatBody(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + PLAIN_USER
                + "\"}],\"max_tokens\":" + (stream ? 512 : 16) + (stream ? ",\"stream\":true" : "") + "}";
    }

    LoadRequest plainRequest(Style style) {
        String path = "/v1/chat/completions";
        return switch (style) {
            case RAW ->
                LoadRequest.postJson(
                        path, chatBody("gpt-4o-mini", false), "authorization", "Bearer " + BenchStack.UPSTREAM_SECRET);
            case CROSSBAR ->
                LoadRequest.postJson(
                        path, chatBody("bench-fast", false), "authorization", "Bearer " + BenchStack.CLIENT_KEY);
            case PEER ->
                LoadRequest.postJson(
                        path,
                        chatBody("gpt-4o-mini", false),
                        "authorization",
                        "Bearer " + BenchStack.UPSTREAM_SECRET,
                        "x-portkey-provider",
                        "openai",
                        "x-portkey-custom-host",
                        "http://127.0.0.1:" + stack.upstreamPort + "/v1");
        };
    }

    static LoadRequest clientRequest(String protocol, String model, String key, boolean stream) {
        int max = stream ? 512 : 16;
        return switch (protocol) {
            case "chat" ->
                LoadRequest.postJson("/v1/chat/completions", chatBody(model, stream), "authorization", "Bearer " + key);
            case "responses" ->
                LoadRequest.postJson(
                        "/v1/responses",
                        "{\"model\":\"" + model + "\",\"input\":\"" + PLAIN_USER + "\",\"max_output_tokens\":" + max
                                + (stream ? ",\"stream\":true" : "") + "}",
                        "authorization",
                        "Bearer " + key);
            case "anthropic" ->
                LoadRequest.postJson(
                        "/v1/messages",
                        "{\"model\":\"" + model + "\",\"max_tokens\":" + max
                                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + PLAIN_USER + "\"}]"
                                + (stream ? ",\"stream\":true" : "") + "}",
                        "x-api-key",
                        key,
                        "anthropic-version",
                        "2023-06-01");
            case "gemini" ->
                LoadRequest.postJson(
                        "/v1beta/models/" + model + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent"),
                        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"" + PLAIN_USER
                                + "\"}]}],\"generationConfig\":{\"maxOutputTokens\":" + max + "}}",
                        "x-goog-api-key",
                        key);
            default -> throw new IllegalArgumentException("unknown client protocol " + protocol);
        };
    }

    // ---------------------------------------------------------------- measuring

    Sample measure(Target t, LoadOptions options) throws Exception {
        List<String> before = scrape(t.nodes());
        double cpu0 = cpu(t.processes());
        Machine.CpuSnapshot m0 = Machine.CpuSnapshot.now();
        LoadResult r = LoadGenerator.run(options);
        Machine.CpuSnapshot m1 = Machine.CpuSnapshot.now();
        double cpu1 = cpu(t.processes());
        List<String> after = scrape(t.nodes());
        double alloc = 0;
        double trips = 0;
        for (int i = 0; i < after.size(); i++) {
            alloc += allocated(after.get(i)) - allocated(before.get(i));
            trips += Scrape.sum(after.get(i), "crossbar_cluster_round_trips_total")
                    - Scrape.sum(before.get(i), "crossbar_cluster_round_trips_total");
        }
        Sample sample = new Sample(
                r,
                cpu1 - cpu0,
                t.nodes().isEmpty() ? Double.NaN : alloc,
                t.nodes().isEmpty() ? Double.NaN : trips,
                m1.foreignCoresSince(m0));
        System.out.printf(
                Locale.ROOT,
                "  %-28s %s; cpu %.2f s, other processes %.2f cores%n",
                t.name(),
                r.summary(),
                sample.cpuSeconds(),
                sample.foreignCores());
        return sample;
    }

    /**
     * Bytes the JVM allocated so far: Micrometer's counter (young-generation growth between collections,
     * updated at each GC) plus what eden holds now (allocated since the last collection).
     */
    static double allocated(String metrics) {
        return Scrape.sum(metrics, "jvm_gc_memory_allocated_bytes_total")
                + Scrape.sum(metrics, "jvm_memory_used_bytes", "id=\"G1 Eden Space\"");
    }

    private static List<String> scrape(List<? extends BenchStack.Jvm> nodes) throws Exception {
        List<String> texts = new ArrayList<>();
        for (BenchStack.Jvm n : nodes) {
            texts.add(Scrape.get(n.url() + "/metrics"));
        }
        return texts;
    }

    private static double cpu(List<ChildProcess> processes) {
        double total = 0;
        for (ChildProcess p : processes) {
            total += p.cpuSeconds();
        }
        return total;
    }

    LoadOptions closed(int port, LoadRequest request) {
        return LoadOptions.closed(port, List.of(request), s.connections(), s.warmup(), s.duration());
    }

    LoadOptions open(int port, LoadRequest request, double rate, int connections) {
        return LoadOptions.open(port, List.of(request), connections, rate, s.warmup(), s.duration())
                .withEventLoops(1);
    }

    /** Waits (bounded) until other processes leave the box mostly idle; notes what it found. */
    void awaitQuiet(String round) throws InterruptedException {
        long deadline = System.nanoTime() + s.quietWait().toNanos();
        long sample = s.quietWait().isZero() ? 300 : 1_500;
        double foreign = Machine.foreignCores(sample);
        boolean waited = false;
        while (foreign > s.quietCores() && System.nanoTime() < deadline) {
            System.out.printf(
                    Locale.ROOT,
                    "  other processes use %.2f cores (load average %s); waiting for a quieter box%n",
                    foreign,
                    Machine.loadavgLine());
            waited = true;
            Thread.sleep(30_000);
            foreign = Machine.foreignCores(sample);
        }
        if (foreign > s.quietCores()) {
            unquiet++;
        }
        String line = String.format(
                Locale.ROOT,
                "%s: %.2f cores used by other processes before the round, load average %s%s",
                round,
                foreign,
                Machine.loadavgLine(),
                waited && foreign > s.quietCores() ? " (waited, still busy)" : "");
        System.out.println("  " + line);
        foreignPerRound.add(line);
    }

    /**
     * Closed-loop load until the target's JIT has settled: in 5-second steps until its compiler threads
     * used under 5% of a core per node in the last step, at least {@code time}/3 and at most
     * {@code time} x 3 (a JVM on a shared 2-core box compiles for minutes; measuring before it is done
     * measures the compiler). Returns the compiler share of the last step.
     *
     * <p>Each step is followed by what comes between the measured runs: a read of the nodes' /metrics and
     * a few idle seconds (the keys' leases lapse, the loops' timers go quiet). Without them the JIT compiles
     * the request path for uninterrupted load only, and the first round's /metrics read and restart after
     * idling hit dozens of never-taken branches at once (JFR: 73 C2 deoptimisations in 0.12 s), so that
     * round ran on the interpreter and C1 while C2 recompiled under load.
     */
    double warm(Target t, Duration time) throws Exception {
        return warm(t, time, List.of(plainRequest(t.style())));
    }

    /** {@link #warm(Target, Duration)} with {@code requests} in turn (a scenario's own paths). */
    double warm(Target t, Duration time, List<LoadRequest> requests) throws Exception {
        if (time.isZero()) {
            return Double.NaN;
        }
        boolean jvm = !t.nodes().isEmpty();
        long min = jvm ? Math.max(5, time.toSeconds() / 3) : time.toSeconds();
        long max = jvm ? time.toSeconds() * 3 : time.toSeconds();
        long spent = 0;
        double share = Double.NaN;
        while (spent < max) {
            long step = Math.min(5, max - spent);
            double before = compilerSeconds(t);
            LoadGenerator.run(
                    LoadOptions.closed(t.port(), requests, s.connections(), Duration.ZERO, Duration.ofSeconds(step)));
            spent += step;
            share = (compilerSeconds(t) - before) / step / Math.max(1, t.nodes().size());
            if (!jvm || (spent >= min && share < 0.05)) {
                break;
            }
            scrape(t.nodes());
            Thread.sleep(IDLE_BETWEEN_WARM_STEPS.toMillis());
        }
        System.out.printf(
                Locale.ROOT,
                "  warmed up %s for %d s%s%n",
                t.name(),
                spent,
                jvm
                        ? String.format(
                                Locale.ROOT,
                                " (JIT compilers at %.0f%% of a core per node in the last 5 s)",
                                100 * share)
                        : "");
        if (jvm && !(share < 0.05)) {
            unquiet++;
        }
        if (jvm) {
            note(String.format(
                    Locale.ROOT,
                    "%s warmed up %d s under load; its JIT compilers then used %.0f%% " + "of a core per node.",
                    t.name(),
                    spent,
                    100 * share));
        }
        return share;
    }

    private static double compilerSeconds(Target t) {
        double total = 0;
        for (ChildProcess p : t.processes()) {
            total += p.compilerSeconds();
        }
        return total;
    }

    /** A few seconds of closed-loop load on one path, so its code is compiled before the rounds. */
    private void warmPath(String name, int port, LoadRequest request) throws Exception {
        Duration time = Duration.ofSeconds(Math.min(3, s.jitWarmup().toSeconds()));
        if (time.isZero()) {
            return;
        }
        System.out.printf(Locale.ROOT, "  warming up %s for %d s%n", name, time.toSeconds());
        LoadGenerator.run(LoadOptions.closed(port, List.of(request), 8, Duration.ZERO, time));
    }

    private static <T> List<T> rotate(List<T> list, int by) {
        List<T> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(list.get((i + by) % list.size()));
        }
        return out;
    }

    private static double med(List<Sample> samples, ToDoubleFunction<Sample> f) {
        List<Double> v = new ArrayList<>();
        for (Sample x : samples) {
            v.add(f.applyAsDouble(x));
        }
        return median(v);
    }

    /** Median over rounds of (target's figure - baseline's figure in the same round). */
    private static double medDiff(List<Sample> target, List<Sample> base, ToDoubleFunction<Sample> f) {
        List<Double> v = new ArrayList<>();
        for (int i = 0; i < Math.min(target.size(), base.size()); i++) {
            v.add(f.applyAsDouble(target.get(i)) - f.applyAsDouble(base.get(i)));
        }
        return median(v);
    }

    private static String errors(List<Sample> samples) {
        Map<String, Long> all = new LinkedHashMap<>();
        for (Sample x : samples) {
            x.load().outcomes().forEach((k, n) -> {
                if (!(k.length() == 3 && k.charAt(0) == '2')) {
                    all.merge(k, n, Long::sum);
                }
            });
        }
        return all.isEmpty()
                ? "0"
                : all.toString().replace("{", "").replace("}", "").replace("=", ": ");
    }

    // ---------------------------------------------------------------- plain

    /** True when every round began on a quiet box and every JVM's JIT settled before the rounds. */
    boolean quiet() {
        return unquiet == 0;
    }

    /** One node's median closed-loop throughput over the nginx proxy's in the last plain scenario; NaN before it. */
    double oneNodeToNginx() {
        return oneNodeToNginx;
    }

    /**
     * Small plain requests: direct, nginx proxy, the bare Netty and Vert.x proxies, Crossbar 1 node, Crossbar 3 nodes
     * behind nginx, the peer.
     */
    String plain() throws Exception {
        List<Target> targets = new ArrayList<>();
        targets.add(new Target(
                "direct (nginx upstream)", stack.upstreamPort, List.of(stack.upstream), List.of(), Style.RAW));
        targets.add(new Target("nginx reverse proxy", stack.proxyPort, List.of(stack.front), List.of(), Style.RAW));
        addBare(targets, "bare Netty proxy", stack.bareNetty);
        addBare(targets, "bare Vert.x proxy", stack.bareVertx);
        targets.add(new Target(
                ONE_NODE, stack.nodeA.port(), List.of(stack.nodeA.process()), List.of(stack.nodeA), Style.CROSSBAR));
        if (!s.skip().contains("crossbar-3")) {
            List<ChildProcess> procs = new ArrayList<>(List.of(stack.front));
            stack.clusterB.subList(0, 3).forEach(n -> procs.add(n.process()));
            targets.add(new Target(
                    "Crossbar, 3 nodes + nginx",
                    stack.lb3Port,
                    procs,
                    List.copyOf(stack.clusterB.subList(0, 3)),
                    Style.CROSSBAR));
        }
        if (stack.peer != null) {
            targets.add(new Target("Portkey gateway", stack.peerPort, List.of(stack.peer), List.of(), Style.PEER));
        } else if (!s.skip().contains("portkey")) {
            note("Portkey was not run: `cd load-tests/bench-tools && npm ci` installs it.");
        }
        System.out.println("plain: warm-up");
        for (Target t : targets) {
            warm(
                    t,
                    !t.nodes().isEmpty()
                            ? s.jitWarmup()
                            : t.style() == Style.PEER
                                    ? Duration.ofSeconds(
                                            Math.min(3, s.jitWarmup().toSeconds()))
                                    : Duration.ZERO);
        }
        Map<String, List<Sample>> tp = new LinkedHashMap<>();
        Map<String, List<Sample>> lat = new LinkedHashMap<>();
        for (Target t : targets) {
            tp.put(t.name(), new ArrayList<>());
            lat.put(t.name(), new ArrayList<>());
        }
        for (int round = 0; round < s.rounds(); round++) {
            awaitQuiet("plain round " + (round + 1));
            for (Target t : rotate(targets, round)) {
                LoadRequest req = plainRequest(t.style());
                tp.get(t.name()).add(measure(t, closed(t.port(), req)));
                lat.get(t.name()).add(measure(t, open(t.port(), req, s.rate(), 16)));
            }
        }
        String direct = targets.get(0).name();
        String nginx = targets.get(1).name();
        String peer = stack.peer != null ? targets.get(targets.size() - 1).name() : null;
        double directTp = med(tp.get(direct), x -> x.load().throughput());
        double nginxTp = med(tp.get(nginx), x -> x.load().throughput());
        oneNodeToNginx = med(tp.get(ONE_NODE), x -> x.load().throughput()) / nginxTp;
        double peerTp =
                peer == null ? Double.NaN : med(tp.get(peer), x -> x.load().throughput());
        Report.Table table = new Report.Table(
                "Target",
                "req/s",
                "x direct",
                "x nginx",
                "x Portkey",
                "p50 ms @" + f0(s.rate()) + "/s",
                "p99 ms",
                "added p50 ms",
                "added p99 ms",
                "CPU s / 1k req",
                "heap / req",
                "round trips / req",
                "errors");
        for (Target t : targets) {
            List<Sample> a = tp.get(t.name());
            List<Sample> l = lat.get(t.name());
            double rps = med(a, x -> x.load().throughput());
            boolean isDirect = t.name().equals(direct);
            boolean overloaded = med(l, x -> x.load().throughput()) < 0.95 * s.rate()
                    || l.stream()
                            .anyMatch(x ->
                                    x.load().count("unsent") > 0 || x.load().count("timeout") > 0);
            table.row(
                    t.name(),
                    f0(rps),
                    ratio(rps / directTp),
                    ratio(rps / nginxTp),
                    ratio(rps / peerTp),
                    f3(med(l, x -> x.load().latencyMillis(50))) + (overloaded ? " (overloaded)" : ""),
                    f3(med(l, x -> x.load().latencyMillis(99))),
                    isDirect
                            ? "-"
                            : plus(medDiff(l, lat.get(direct), x -> x.load().latencyMillis(50))),
                    isDirect
                            ? "-"
                            : plus(medDiff(l, lat.get(direct), x -> x.load().latencyMillis(99))),
                    isDirect ? "-" : f3(med(a, Sample::cpuPer1k)),
                    t.nodes().isEmpty() ? "-" : bytes(med(a, Sample::allocPerRequest)),
                    t.style() != Style.CROSSBAR ? "-" : f3(med(a, Sample::roundTripsPerRequest)),
                    errors(concat(a, l)));
        }
        StringBuilder out = new StringBuilder();
        out.append(table.markdown()).append('\n');
        out.append(String.format(
                Locale.ROOT,
                "req/s: closed loop, %d connections, %d s per run after %d s warm-up. "
                        + "Latency: open loop at %s requests/s, 16 connections, counted from each request's scheduled send. "
                        + "Figures are medians of %d rounds; added latency is the median of each round's difference to direct. "
                        + "CPU and heap per request come from the closed-loop runs; CPU counts every process of the target "
                        + "(nodes and, for 3 nodes, the nginx in front); heap is `jvm_gc_memory_allocated_bytes_total` plus "
                        + "eden in use, from the nodes' /metrics.%n%n",
                s.connections(),
                s.duration().toSeconds(),
                s.warmup().toSeconds(),
                f0(s.rate()),
                s.rounds()));
        out.append(closedLatency(targets, tp, nginx));
        out.append("Per round (req/s, closed loop):\n\n");
        Report.Table rounds = new Report.Table(roundHeader("Target"));
        for (Target t : targets) {
            List<Object> cells = new ArrayList<>(List.of(t.name()));
            tp.get(t.name()).forEach(x -> cells.add(f0(x.load().throughput())));
            rounds.row(cells.toArray());
        }
        out.append(rounds.markdown());
        return out.toString();
    }

    /** A bare proxy's target, when it runs: a JVM measured like a node, driven with the upstream's own request. */
    private static void addBare(List<Target> targets, String name, BenchStack.@Nullable Bare bare) {
        if (bare != null) {
            targets.add(new Target(name, bare.port(), List.of(bare.process()), List.of(bare), Style.RAW));
        }
    }

    /** The closed-loop runs' latencies (service times at full load), and p99 against nginx's in the same round. */
    private String closedLatency(List<Target> targets, Map<String, List<Sample>> tp, String nginx) {
        Report.Table table = new Report.Table(
                "Target (closed loop)", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "p99 x nginx's (same round)");
        for (Target t : targets) {
            List<Sample> a = tp.get(t.name());
            table.row(
                    t.name(),
                    f3(med(a, x -> x.load().latencyMillis(50))),
                    f3(med(a, x -> x.load().latencyMillis(99))),
                    f3(med(a, x -> x.load().latencyMillis(99.9))),
                    f1(a.stream()
                            .mapToDouble(x -> x.load().latencyMillis(100))
                            .max()
                            .orElse(Double.NaN)),
                    ratio(medRatio(a, tp.get(nginx), x -> x.load().latencyMillis(99))));
        }
        return String.format(
                Locale.ROOT,
                "Closed loop, %d connections: latency from each send to the last byte at full load (medians of %d rounds; "
                        + "max is the largest of any round; the p99 ratio is the median of each round's ratio to the nginx "
                        + "proxy's).%n%n%s%n",
                s.connections(),
                s.rounds(),
                table.markdown());
    }

    /** Median over rounds of (target's figure / baseline's figure in the same round). */
    static double medRatio(List<Sample> target, List<Sample> base, ToDoubleFunction<Sample> f) {
        List<Double> v = new ArrayList<>();
        for (int i = 0; i < Math.min(target.size(), base.size()); i++) {
            v.add(f.applyAsDouble(target.get(i)) / f.applyAsDouble(base.get(i)));
        }
        return median(v);
    }

    private String[] roundHeader(String first) {
        String[] h = new String[s.rounds() + 1];
        h[0] = first;
        for (int i = 1; i <= s.rounds(); i++) {
            h[i] = "round " + i;
        }
        return h;
    }

    private static List<Sample> concat(List<Sample> a, List<Sample> b) {
        List<Sample> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    // ---------------------------------------------------------------- streams

    /**
     * Streamed answers of 50 chunks from the mock, directly and through Crossbar: each protocol passed
     * through, and translated pairs, with the node's CPU per relayed event against the pass-through of the
     * same upstream protocol.
     */
    String stream() throws Exception {
        int chunkDelay = 2;
        Scrape.post(
                stack.mockUrl() + "/_mock/config",
                "{\"faults\":{\"streamChunks\":50,\"chunkDelayMs\":" + chunkDelay + "}}");
        try {
            Target mock = new Target("mock", stack.mockPort, List.of(), List.of(), Style.RAW);
            Target viaNginx = new Target("nginx", stack.mockProxyPort, List.of(stack.front), List.of(), Style.RAW);
            Target a = new Target(
                    "node", stack.nodeA.port(), List.of(stack.nodeA.process()), List.of(stack.nodeA), Style.CROSSBAR);
            List<StreamRoute> paths = new ArrayList<>();
            for (StreamRoute.Upstream u : StreamRoute.UPSTREAMS) {
                paths.add(StreamRoute.direct(u, mock));
                if (u.protocol().equals("chat")) {
                    paths.add(StreamRoute.nginx(u, viaNginx));
                }
                paths.add(StreamRoute.through(u.protocol(), u, a));
                if (u.protocol().equals("chat") && !s.skip().contains("crossbar-3")) {
                    List<ChildProcess> procs = new ArrayList<>(List.of(stack.front));
                    stack.clusterB.subList(0, 3).forEach(n -> procs.add(n.process()));
                    Target b = new Target(
                            "lb3", stack.lb3Port, procs, List.copyOf(stack.clusterB.subList(0, 3)), Style.CROSSBAR);
                    paths.add(new StreamRoute(
                            "Crossbar 3 nodes + nginx, chat -> openai",
                            b,
                            clientRequest("chat", "bench-openai", BenchStack.CLIENT_KEY, true),
                            u.direct(),
                            null));
                }
            }
            for (String[] pair : StreamRoute.TRANSLATED) {
                paths.add(StreamRoute.through(pair[0], StreamRoute.upstream(pair[1]), a));
            }
            Map<String, List<Sample>> results = new LinkedHashMap<>();
            paths.forEach(p -> results.put(p.name(), new ArrayList<>()));
            // Every stream path of the node in turn until its JIT settles: a few seconds per path leave the
            // per-stream code (intake, codecs, the relay's setup) interpreted, and the first byte measured the
            // compiler.
            warm(
                    a,
                    s.jitWarmup(),
                    paths.stream()
                            .filter(p -> p.target().style() == Style.CROSSBAR)
                            .map(StreamRoute::request)
                            .toList());
            for (StreamRoute p : paths) {
                if (p.baseline() != null) {
                    warmPath(p.name(), p.target().port(), p.request());
                }
            }
            for (int round = 0; round < s.rounds(); round++) {
                awaitQuiet("stream round " + (round + 1));
                for (StreamRoute p : rotate(paths, round)) {
                    results.get(p.name())
                            .add(measure(
                                    new Target(
                                            p.name(),
                                            p.target().port(),
                                            p.target().processes(),
                                            p.target().nodes(),
                                            p.target().style()),
                                    open(p.target().port(), p.request(), s.streamRate(), 32)));
                }
            }
            Report.Table table = new Report.Table(
                    "Path",
                    "first byte p50 ms",
                    "p99 ms",
                    "added p50 ms",
                    "added p99 ms",
                    "events / stream",
                    "events/s per stream",
                    "x mock rate",
                    "stream p50 ms",
                    "CPU s / 1k streams",
                    "CPU µs / event",
                    "per event x pass-through",
                    "errors");
            for (StreamRoute p : paths) {
                List<Sample> r = results.get(p.name());
                List<Sample> base = p.baseline() == null ? null : results.get(p.baseline());
                double rate = med(r, x -> x.load().medianEventRate());
                boolean node = !p.target().processes().isEmpty();
                table.row(
                        p.name(),
                        f3(med(r, x -> x.load().firstByteMillis(50))),
                        f3(med(r, x -> x.load().firstByteMillis(99))),
                        base == null ? "-" : plus(medDiff(r, base, x -> x.load().firstByteMillis(50))),
                        base == null ? "-" : plus(medDiff(r, base, x -> x.load().firstByteMillis(99))),
                        f1(med(r, x -> x.load().eventsPerStream())),
                        f0(rate),
                        base == null
                                ? "-"
                                : ratio(rate / med(base, x -> x.load().medianEventRate())),
                        f1(med(r, x -> x.load().latencyMillis(50))),
                        node ? f3(med(r, Sample::cpuPer1k)) : "-",
                        node ? f1(med(r, Sample::cpuMicrosPerEvent)) : "-",
                        p.passThrough() == null
                                ? "-"
                                : ratio(medRatio(r, results.get(p.passThrough()), Sample::cpuMicrosPerEvent)),
                        errors(r));
            }
            return table.markdown()
                    + String.format(
                            Locale.ROOT,
                            "%nThe mock streams 50 content chunks %d ms apart "
                                    + "(`streamChunks: 50, chunkDelayMs: %d`); open loop at %s streams/s, 32 connections, %d s per run, "
                                    + "medians of %d rounds. First byte is the first body byte after the scheduled send; added is "
                                    + "against the mock called directly in the upstream's protocol (target for one node: at most "
                                    + "+0.3 ms p50); nginx proxy is nginx unbuffered in front of the mock, what a hop that only relays adds. "
                                    + "Events are SSE events as the client receives them (framing events included, "
                                    + "so protocols differ); events/s is each stream's rate between its first and last event. "
                                    + "CPU per event is the target's CPU (the node's, or nginx's on its row) over the run (idle work included) over the events its "
                                    + "clients received; a translated pair is set against the pass-through of the same upstream "
                                    + "protocol in the same round (target: at most 2x).%n",
                            chunkDelay,
                            chunkDelay,
                            f0(s.streamRate()),
                            s.duration().toSeconds(),
                            s.rounds());
        } finally {
            Scrape.post(stack.mockUrl() + "/_mock/config", "{\"faults\":{}}");
        }
    }

    // ---------------------------------------------------------------- protocol matrix

    /** Each client protocol against an upstream protocol (reduced matrix) through one node, against the mock. */
    String matrix() throws Exception {
        record Pair(String name, int port, LoadRequest request, String baseline, boolean node) {}
        String key = BenchStack.CLIENT_KEY;
        int node = stack.nodeA.port();
        List<Pair> pairs = List.of(
                new Pair(
                        "mock direct, openai",
                        stack.mockPort,
                        clientRequest("chat", "gpt-4o-mini", "sk-bench-openai", false),
                        null,
                        false),
                new Pair(
                        "mock direct, anthropic",
                        stack.mockPort,
                        clientRequest("anthropic", "claude-sonnet-4-5", "sk-bench-anthropic", false),
                        null,
                        false),
                new Pair(
                        "mock direct, gemini",
                        stack.mockPort,
                        clientRequest("gemini", "gemini-2.5-flash", "sk-bench-gemini", false),
                        null,
                        false),
                new Pair(
                        "chat -> openai",
                        node,
                        clientRequest("chat", "bench-openai", key, false),
                        "mock direct, openai",
                        true),
                new Pair(
                        "chat -> anthropic",
                        node,
                        clientRequest("chat", "bench-anthropic", key, false),
                        "mock direct, anthropic",
                        true),
                new Pair(
                        "anthropic -> gemini",
                        node,
                        clientRequest("anthropic", "bench-gemini", key, false),
                        "mock direct, gemini",
                        true),
                new Pair(
                        "gemini -> openai",
                        node,
                        clientRequest("gemini", "bench-openai", key, false),
                        "mock direct, openai",
                        true),
                new Pair(
                        "responses -> anthropic",
                        node,
                        clientRequest("responses", "bench-anthropic", key, false),
                        "mock direct, anthropic",
                        true));
        Map<String, List<Sample>> results = new LinkedHashMap<>();
        pairs.forEach(p -> results.put(p.name(), new ArrayList<>()));
        for (Pair p : pairs) {
            if (p.node()) {
                warmPath(p.name(), p.port(), p.request());
            }
        }
        for (int round = 0; round < s.rounds(); round++) {
            awaitQuiet("matrix round " + (round + 1));
            for (Pair p : rotate(pairs, round)) {
                Target t = new Target(
                        p.name(),
                        p.port(),
                        p.node() ? List.of(stack.nodeA.process()) : List.of(),
                        p.node() ? List.of(stack.nodeA) : List.of(),
                        Style.CROSSBAR);
                results.get(p.name()).add(measure(t, open(p.port(), p.request(), s.matrixRate(), 16)));
            }
        }
        Report.Table table = new Report.Table(
                "Client -> upstream",
                "p50 ms",
                "p99 ms",
                "added p50 ms",
                "added p99 ms",
                "CPU s / 1k req",
                "heap / req",
                "errors");
        for (Pair p : pairs) {
            List<Sample> r = results.get(p.name());
            List<Sample> base = p.baseline() == null ? null : results.get(p.baseline());
            table.row(
                    p.name(),
                    f3(med(r, x -> x.load().latencyMillis(50))),
                    f3(med(r, x -> x.load().latencyMillis(99))),
                    base == null ? "-" : plus(medDiff(r, base, x -> x.load().latencyMillis(50))),
                    base == null ? "-" : plus(medDiff(r, base, x -> x.load().latencyMillis(99))),
                    p.node() ? f3(med(r, Sample::cpuPer1k)) : "-",
                    p.node() ? bytes(med(r, Sample::allocPerRequest)) : "-",
                    errors(r));
        }
        return table.markdown()
                + String.format(
                        Locale.ROOT,
                        "%nOne node, the mock providers upstream; open loop at %s "
                                + "requests/s, 16 connections, %d s per run, medians of %d rounds. Added latency is against the mock "
                                + "called directly in the upstream's protocol. CPU and heap per request are at that rate (idle work "
                                + "included).%n",
                        f0(s.matrixRate()),
                        s.duration().toSeconds(),
                        s.rounds());
    }

    // ---------------------------------------------------------------- key pool

    /** 1, 3 and 5 nodes behind nginx: throughput, added latency, round trips; and the pool under saturation. */
    String pool() throws Exception {
        Target direct = new Target(
                "direct (nginx upstream)", stack.upstreamPort, List.of(stack.upstream), List.of(), Style.RAW);
        Map<Integer, List<Sample>> tp = new LinkedHashMap<>();
        Map<Integer, List<Sample>> lat = new LinkedHashMap<>();
        Map<Integer, List<Sample>> directLat = new LinkedHashMap<>();
        Map<Integer, String> saturation = new LinkedHashMap<>();
        Map<Integer, Sample> saturationSamples = new LinkedHashMap<>();
        List<List<Integer>> phases = List.of(List.of(1, 3), List.of(5));
        for (List<Integer> phase : phases) {
            if (phase.contains(5)) {
                while (stack.clusterB.size() < 5) {
                    System.out.println("pool: starting node " + (stack.clusterB.size() + 1) + " of cluster B");
                    stack.growClusterB();
                }
                awaitMembers(stack.clusterB.get(0), 5);
            }
            List<Target> targets = new ArrayList<>();
            for (int n : phase) {
                Target t = lbTarget(n);
                targets.add(t);
                warm(
                        t,
                        n == 5
                                ? s.jitWarmup()
                                : Duration.ofSeconds(Math.min(3, s.jitWarmup().toSeconds())));
                tp.put(n, new ArrayList<>());
                lat.put(n, new ArrayList<>());
                directLat.put(n, new ArrayList<>());
            }
            for (int round = 0; round < s.rounds(); round++) {
                awaitQuiet("pool " + phase + " round " + (round + 1));
                Sample d = measure(direct, open(direct.port(), plainRequest(Style.RAW), s.rate(), 16));
                for (Target t : rotate(targets, round)) {
                    int n = t.nodes().size();
                    directLat.get(n).add(d);
                    LoadRequest req = plainRequest(Style.CROSSBAR);
                    tp.get(n).add(measure(t, closed(t.port(), req)));
                    lat.get(n).add(measure(t, open(t.port(), req, s.rate(), 16)));
                }
            }
            for (Target t : targets) {
                int n = t.nodes().size();
                saturationSamples.put(n, saturate(t, saturation));
            }
        }
        Report.Table table = new Report.Table(
                "Nodes (behind nginx)",
                "req/s",
                "added p50 ms",
                "added p99 ms",
                "round trips / req",
                "CPU s / 1k req",
                "saturation: offered/s",
                "served/s (window)",
                "pool utilisation",
                "gateway 429s",
                "provider over-limit 429s",
                "round trips / req (saturated)");
        for (int n : tp.keySet()) {
            List<Sample> a = tp.get(n);
            String[] sat = saturation.get(n).split("\\|", -1);
            table.row(
                    n,
                    f0(med(a, x -> x.load().throughput())),
                    plus(medDiff(lat.get(n), directLat.get(n), x -> x.load().latencyMillis(50))),
                    plus(medDiff(lat.get(n), directLat.get(n), x -> x.load().latencyMillis(99))),
                    f3(med(a, Sample::roundTripsPerRequest)),
                    f3(med(a, Sample::cpuPer1k)),
                    sat[0],
                    sat[1],
                    sat[2],
                    sat[3],
                    sat[4],
                    f3(saturationSamples.get(n).roundTripsPerRequest()));
        }
        double capacity = capacityPerSecond();
        return table.markdown()
                + String.format(
                        Locale.ROOT,
                        "%nThroughput rows: the fixed nginx upstream, one unlimited "
                                + "key, closed loop with %d connections, latency open loop at %s requests/s against direct in the same "
                                + "round; round trips are `crossbar_cluster_round_trips_total` summed over the nodes per request "
                                + "answered (medians of %d rounds). 5 nodes is cluster B grown from 3 by two more members. "
                                + "Saturation: %d keys of %d requests per %d s (%s requests/s together) at the mock and in the "
                                + "gateway, offered %s requests/s open loop for %d s; utilisation is what the mock served from "
                                + "second %d to %d over %s x that window; over-limit 429s are the mock's own refusals over the whole run.%n",
                        s.connections(),
                        f0(s.rate()),
                        s.rounds(),
                        BenchStack.POOL_KEYS,
                        BenchStack.POOL_REQUESTS,
                        BenchStack.POOL_WINDOW_MS / 1000,
                        f0(capacity),
                        f0(capacity * 4),
                        s.saturation().toSeconds(),
                        windowStart(),
                        windowEnd(),
                        f0(capacity));
    }

    private Target lbTarget(int nodes) {
        List<BenchStack.Node> ns = nodes == 1 ? List.of(stack.nodeA) : List.copyOf(stack.clusterB.subList(0, nodes));
        List<ChildProcess> procs = new ArrayList<>(List.of(stack.front));
        ns.forEach(n -> procs.add(n.process()));
        int port = nodes == 1 ? stack.lb1Port : nodes == 3 ? stack.lb3Port : stack.lb5Port;
        return new Target(nodes + " node" + (nodes > 1 ? "s" : "") + " + nginx", port, procs, ns, Style.CROSSBAR);
    }

    static double capacityPerSecond() {
        return BenchStack.POOL_KEYS * BenchStack.POOL_REQUESTS * 1_000.0 / BenchStack.POOL_WINDOW_MS;
    }

    private long windowStart() {
        return Math.max(1, s.saturation().toSeconds() / 4);
    }

    private long windowEnd() {
        return Math.max(windowStart() + 1, s.saturation().toSeconds() - 1);
    }

    /** Offers 4x the pool's capacity; returns the sample, and puts "offered|served|utilisation|429s|over-limit". */
    private Sample saturate(Target t, Map<Integer, String> out) throws Exception {
        // Let every ledger and the mock's buckets refill, then start the referee from zero.
        Thread.sleep(BenchStack.POOL_WINDOW_MS + 1_000L);
        Scrape.post(stack.mockUrl() + "/_mock/reset", "{}");
        double capacity = capacityPerSecond();
        double offered = capacity * 4;
        LoadOptions options = LoadOptions.open(
                        t.port(),
                        List.of(clientRequest("chat", "bench-pool", BenchStack.CLIENT_KEY, false)),
                        256,
                        offered,
                        Duration.ZERO,
                        s.saturation())
                .withTimeout(Duration.ofSeconds(5))
                .withEventLoops(2);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        double[] served = new double[2];
        long[] at = new long[2];
        long start = System.nanoTime();
        ScheduledFuture<?> first =
                timer.schedule(() -> read(served, at, 0), windowStart() * 1000, TimeUnit.MILLISECONDS);
        ScheduledFuture<?> second =
                timer.schedule(() -> read(served, at, 1), windowEnd() * 1000, TimeUnit.MILLISECONDS);
        System.out.printf(
                Locale.ROOT,
                "pool: saturating %s at %s requests/s for %d s%n",
                t.name(),
                f0(offered),
                s.saturation().toSeconds());
        Sample sample = measure(t, options);
        first.get();
        second.get();
        timer.shutdownNow();
        JsonNode stats = JSON.readTree(Scrape.get(stack.mockUrl() + "/_mock/stats"));
        long overLimit = 0;
        for (int i = 1; i <= BenchStack.POOL_KEYS; i++) {
            overLimit +=
                    stats.path("keys").path("sk-pool-" + i).path("rateLimited").asLong();
        }
        double window = (at[1] - at[0]) / 1e9;
        double servedRate = (served[1] - served[0]) / window;
        double utilisation = servedRate / capacity;
        out.put(
                t.nodes().size(),
                f0(offered) + "|" + f1(servedRate) + "|" + String.format(Locale.ROOT, "%.1f%%", 100 * utilisation) + "|"
                        + sample.load().count("429") + "|" + overLimit);
        System.out.printf(
                Locale.ROOT,
                "  served %.1f/s in seconds %.1f-%.1f (%.1f%% of %.0f/s), over-limit 429s at the mock: %d%n",
                servedRate,
                (at[0] - start) / 1e9,
                (at[1] - start) / 1e9,
                100 * utilisation,
                capacity,
                overLimit);
        return sample;
    }

    private void read(double[] served, long[] at, int i) {
        try {
            JsonNode stats = JSON.readTree(Scrape.get(stack.mockUrl() + "/_mock/stats"));
            at[i] = System.nanoTime();
            double sum = 0;
            for (int k = 1; k <= BenchStack.POOL_KEYS; k++) {
                sum += stats.path("keys").path("sk-pool-" + k).path("served").asLong();
            }
            served[i] = sum;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitMembers(BenchStack.Node node, int members) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (Scrape.sum(Scrape.get(node.url() + "/metrics"), "crossbar_cluster_members") < members) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(node.name() + " does not see " + members + " members");
            }
            Thread.sleep(200);
        }
    }

    // ---------------------------------------------------------------- wrk cross-check

    /** A second opinion from wrk (closed loop, C): direct, nginx proxy, one node. */
    String wrk() throws Exception {
        if (!Machine.onPath("wrk")) {
            return "wrk is not installed (`apt-get install wrk`); no cross-check.\n";
        }
        record W(String name, int port, Style style) {}
        List<W> targets = List.of(
                new W("direct (nginx upstream)", stack.upstreamPort, Style.RAW),
                new W("nginx reverse proxy", stack.proxyPort, Style.RAW),
                new W("Crossbar, 1 node", stack.nodeA.port(), Style.CROSSBAR));
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        targets.forEach(t -> results.put(t.name(), new ArrayList<>()));
        List<String> commands = new ArrayList<>();
        for (int round = 0; round < s.rounds(); round++) {
            awaitQuiet("wrk round " + (round + 1));
            for (W t : rotate(targets, round)) {
                Path script = wrkScript(plainRequest(t.style()), stack.workDir().resolve("wrk-" + t.style() + ".lua"));
                List<String> cmd = List.of(
                        "wrk",
                        "-t1",
                        "-c" + s.connections(),
                        "-d" + s.duration().toSeconds() + "s",
                        "--latency",
                        "-s",
                        script.toString(),
                        "http://127.0.0.1:" + t.port() + "/v1/chat/completions");
                if (round == 0) {
                    commands.add(String.join(" ", cmd).replace(stack.workDir().toString(), "$WORK"));
                }
                String out = Machine.run(cmd.toArray(String[]::new));
                double[] parsed = parseWrk(out);
                System.out.printf(
                        Locale.ROOT,
                        "  wrk %-26s %.0f req/s, p50 %.3f ms, p99 %.3f ms, non-2xx %.0f%n",
                        t.name(),
                        parsed[0],
                        parsed[1],
                        parsed[2],
                        parsed[3]);
                results.get(t.name()).add(parsed);
            }
        }
        Report.Table table =
                new Report.Table("Target (wrk)", "req/s", "x direct", "x nginx", "p50 ms", "p99 ms", "non-2xx");
        double d = medianOf(results.get(targets.get(0).name()), 0);
        double n = medianOf(results.get(targets.get(1).name()), 0);
        for (W t : targets) {
            List<double[]> r = results.get(t.name());
            double rps = medianOf(r, 0);
            table.row(
                    t.name(),
                    f0(rps),
                    ratio(rps / d),
                    ratio(rps / n),
                    f3(medianOf(r, 1)),
                    f3(medianOf(r, 2)),
                    f0(r.stream().mapToDouble(x -> x[3]).sum()));
        }
        return table.markdown() + "\nwrk 4.1 (closed loop, so its latencies are service times), medians of "
                + s.rounds() + " rounds, one thread: `" + String.join("`, `", commands) + "`.\n";
    }

    private static double medianOf(List<double[]> rows, int i) {
        List<Double> v = new ArrayList<>();
        rows.forEach(r -> v.add(r[i]));
        return median(v);
    }

    private static Path wrkScript(LoadRequest request, Path file) throws IOException {
        StringBuilder lua = new StringBuilder("wrk.method = \"POST\"\n");
        lua.append("wrk.body = '")
                .append(new String(request.body(), java.nio.charset.StandardCharsets.UTF_8))
                .append("'\n");
        request.headers()
                .forEach((k, v) -> lua.append("wrk.headers[\"")
                        .append(k)
                        .append("\"] = \"")
                        .append(v)
                        .append("\"\n"));
        Files.writeString(file, lua);
        return file;
    }

    /** req/s, p50 ms, p99 ms, non-2xx from wrk's output. */
    static double[] parseWrk(String out) {
        double[] r = {Double.NaN, Double.NaN, Double.NaN, 0};
        for (String line : out.lines().toList()) {
            String t = line.trim();
            if (t.startsWith("Requests/sec:")) {
                r[0] = Double.parseDouble(t.substring("Requests/sec:".length()).trim());
            } else if (t.startsWith("50%")) {
                r[1] = wrkMillis(t.substring(3).trim());
            } else if (t.startsWith("99%")) {
                r[2] = wrkMillis(t.substring(3).trim());
            } else if (t.startsWith("Non-2xx or 3xx responses:")) {
                r[3] = Double.parseDouble(
                        t.substring("Non-2xx or 3xx responses:".length()).trim());
            }
        }
        return r;
    }

    static double wrkMillis(String v) {
        if (v.endsWith("us")) {
            return Double.parseDouble(v.substring(0, v.length() - 2)) / 1_000;
        }
        if (v.endsWith("ms")) {
            return Double.parseDouble(v.substring(0, v.length() - 2));
        }
        if (v.endsWith("m")) {
            return Double.parseDouble(v.substring(0, v.length() - 1)) * 60_000;
        }
        if (v.endsWith("s")) {
            return Double.parseDouble(v.substring(0, v.length() - 1)) * 1_000;
        }
        return Double.parseDouble(v);
    }
}
