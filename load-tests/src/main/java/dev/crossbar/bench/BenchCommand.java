package dev.crossbar.bench;

import dev.crossbar.gateway.cli.Args;
import dev.crossbar.launcher.NginxProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./crossbar bench [scenario]}: runs the scenarios against separate processes on this box (the
 * fixed nginx upstream, nginx as a proxy, Crossbar nodes, the mock providers, the peer gateway), prints
 * the tables and writes them into their marked sections of docs/benchmarks.md.
 */
public final class BenchCommand {

    public static final List<String> SCENARIOS = List.of("plain", "stream", "matrix", "pool", "churn", "wrk");
    /** Scenarios run only when named: the soak alone takes longer than half the full run. */
    static final List<String> NAMED_ONLY = List.of("soak", "compare");

    static final String USAGE = """
            Usage: ./crossbar bench [all|plain|stream|matrix|pool|churn|wrk|soak|compare] [options]
              (all = every scenario but soak and compare; soak: closed loop on one node for --soak-duration,
              longest time a request spent in the node and GC pauses)
              compare: A/B of a baseline node and this build's in alternating closed-loop rounds, each round's
              ratio of req/s and CPU per request; prints only (rounds 5, duration 5, quiet-wait 0 unless given)
              --baseline DIR        compare: the baseline's class path, every jar in DIR (another build's
                                    gateway-node/target/lib); default this build
              --baseline-jvm "OPTS" compare: the baseline's extra JVM options (--node-jvm: the candidate's)
              --streams             compare: streams (chat passed through to the mock, 50 chunks 2 ms apart)
                                    instead of the plain request; req/s and CPU are per stream
              --pairs P             compare: start a fresh baseline and candidate P times, each for all the
                                    rounds (default 1); two processes of one build differ by up to 9%
              --rounds N            rounds per scenario; figures are medians (default 3); churn: exits
              --duration S          seconds measured per run (default 3); churn: seconds per burst
              --warmup S            seconds before measuring, per run (default 1)
              --rate R              fixed offered load for latency, requests/s (default 1000)
              --connections C       connections of the closed-loop runs (default 32)
              --jit-warmup S        seconds of load on each Crossbar target before the first round (default 30)
              --stream-rate R       streams/s of the stream scenario (default 40)
              --matrix-rate R       requests/s of the protocol matrix (default 500)
              --saturation S        seconds of each saturation run (default 15)
              --soak-duration S     seconds of the soak scenario (default 300)
              --skip LIST           targets to leave out: crossbar-3, portkey, bare-netty, bare-vertx
              --quiet-cores X       wait before a round while other processes use more cores (default 0.5)
              --quiet-wait S        at most this long, per round (default 900)
              --node-jvm "OPTS"     extra JVM options for the nodes ({name} and {dir} are replaced), e.g. JFR
              --out FILE            the markdown file to update (default docs/benchmarks.md; "-" for none)
              --min-ratio X         plain: exit 3 when one node's requests/s are below X times the nginx proxy's
                                    (4 when below it on a busy box or before the JIT settled: no verdict)
            """;

    private BenchCommand() {}

    public static int run(String[] argv, int from) throws Exception {
        Args args = new Args(argv, from, List.of("help", "streams"));
        if (args.flag("help")) {
            System.out.print(USAGE);
            return 0;
        }
        args.allow(List.of(
                "rounds",
                "duration",
                "warmup",
                "rate",
                "connections",
                "jit-warmup",
                "stream-rate",
                "matrix-rate",
                "saturation",
                "soak-duration",
                "skip",
                "quiet-cores",
                "quiet-wait",
                "node-jvm",
                "min-ratio",
                "out",
                "baseline",
                "baseline-jvm",
                "streams",
                "pairs",
                "help"));
        String scenario =
                args.positional().isEmpty() ? "all" : args.positional().get(0);
        List<String> chosen = scenario.equals("all") ? SCENARIOS : List.of(scenario);
        if (!scenario.equals("all") && !SCENARIOS.contains(scenario) && !NAMED_ONLY.contains(scenario)) {
            throw new Args.UsageException("unknown scenario '" + scenario + "' (all, " + String.join(", ", SCENARIOS)
                    + ", " + String.join(", ", NAMED_ONLY) + ")");
        }
        boolean compare = scenario.equals("compare");
        if (!compare
                && (args.get("baseline") != null
                        || args.get("baseline-jvm") != null
                        || args.flag("streams")
                        || args.get("pairs") != null)) {
            throw new Args.UsageException(
                    "--baseline, --baseline-jvm, --streams and --pairs are options of the compare scenario");
        }
        Compare.Options compareOptions = compare ? Compare.Options.parse(args) : null;
        Duration soak = Duration.ofSeconds(positive(args, "soak-duration", 300));
        // A compare's rounds are its figure, and both nodes share whatever else the box is doing.
        Bench.Settings settings = new Bench.Settings(
                positive(args, "rounds", compare ? 5 : 3),
                Duration.ofMillis((long) (decimal(args, "duration", compare ? 5 : 3) * 1000)),
                Duration.ofMillis((long) (decimal(args, "warmup", 1) * 1000)),
                decimal(args, "rate", 1000),
                positive(args, "connections", 32),
                Set.of(args.get("skip", "").split(",")),
                Duration.ofMillis((long) (decimal(args, "jit-warmup", 30) * 1000)),
                decimal(args, "quiet-cores", 0.5),
                Duration.ofSeconds((long) decimal(args, "quiet-wait", compare ? 0 : 900)),
                decimal(args, "stream-rate", 40),
                decimal(args, "matrix-rate", 500),
                Duration.ofSeconds(positive(args, "saturation", 15)));
        double minRatio = decimal(args, "min-ratio", 0);
        if (minRatio > 0 && !chosen.contains("plain")) {
            throw new Args.UsageException("--min-ratio needs the plain scenario");
        }
        if (NginxProcess.find().isEmpty()) {
            System.err.println("crossbar: bench needs nginx (apt-get install nginx); not found");
            return 1;
        }
        Path root = repositoryRoot();
        String out = args.get(
                "out", compare ? "-" : root.resolve("docs/benchmarks.md").toString());
        List<String> nodeJvm = compare || args.get("node-jvm") == null
                ? List.of()
                : Arrays.asList(args.get("node-jvm").trim().split("\\s+"));
        String command = "./crossbar bench " + String.join(" ", Arrays.copyOfRange(argv, from, argv.length));
        Path work = Files.createTempDirectory("crossbar-bench-");
        System.out.println("crossbar bench: " + String.join(", ", chosen) + "; processes log to " + work);

        Map<String, String> sections = new LinkedHashMap<>();
        long started = System.nanoTime();
        String startedAt =
                ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        String loadBefore = Machine.loadavgLine();
        String commit = Machine.gitCommit(root);
        Bench bench;
        try (BenchStack stack = new BenchStack(work, root, nodeJvm)) {
            bench = new Bench(settings, stack);
            bench.awaitQuiet("before starting");
            startStack(stack, chosen, settings);
            for (String sc : chosen) {
                System.out.println("scenario " + sc);
                bench.scenario(sc);
                String table = switch (sc) {
                    case "plain" -> bench.plain();
                    case "stream" -> bench.stream();
                    case "matrix" -> bench.matrix();
                    case "pool" -> bench.pool();
                    case "churn" -> new Churn(settings, stack, bench).run();
                    case "soak" -> new Soak(settings, stack, bench, soak).run();
                    case "wrk" -> bench.wrk();
                    case "compare" -> new Compare(settings, stack, bench, compareOptions).run();
                    default -> throw new IllegalStateException(sc);
                };
                sections.put(sc, table);
                System.out.println();
                System.out.println(table);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.println(header(startedAt, commit, command, loadBefore, bench, seconds, compare ? "compare" : ""));
        if (!"-".equals(out)) {
            Path file = Path.of(out);
            for (Map.Entry<String, String> e : sections.entrySet()) {
                String sc = e.getKey();
                Report.replaceSection(
                        file,
                        sc,
                        "### " + TITLES.get(sc) + "\n\n"
                                + header(startedAt, commit, command, loadBefore, bench, seconds, sc) + "\n"
                                + e.getValue());
            }
            System.out.println("crossbar bench: wrote " + String.join(", ", sections.keySet()) + " into " + file);
        }
        return floor(bench.oneNodeToNginx(), minRatio, bench.quiet());
    }

    /** Starts what the chosen scenarios share; compare starts its own upstream and nodes. */
    private static void startStack(BenchStack stack, List<String> chosen, Bench.Settings settings) throws Exception {
        if (chosen.equals(List.of("compare"))) {
            return;
        }
        boolean cluster = !settings.skip().contains("crossbar-3")
                && (chosen.contains("plain") || chosen.contains("stream") || chosen.contains("pool"));
        System.out.println("starting nginx, the mock providers and the nodes...");
        stack.startNginx();
        if (chosen.contains("stream")
                || chosen.contains("matrix")
                || chosen.contains("pool")
                || chosen.contains("churn")) {
            stack.startMock();
        }
        stack.startNodes(true, cluster ? 3 : 0);
        if (chosen.contains("plain") && !settings.skip().contains("bare-netty")) {
            stack.bareNetty = stack.startBare("bare-netty", BareNettyProxy.class);
        }
        if (chosen.contains("plain") && !settings.skip().contains("bare-vertx")) {
            stack.bareVertx = stack.startBare("bare-vertx", BareProxy.class);
        }
        if (chosen.contains("plain") && !settings.skip().contains("portkey")) {
            stack.startPeer();
        }
    }

    /** Exit status of a run below the floor on a busy box (or before the JIT settled): no verdict. */
    static final int NOT_JUDGED = 4;

    /**
     * Exit status 3 when one node's throughput over the nginx proxy's fell below the floor (none when 0), or
     * {@link #NOT_JUDGED} when it fell below on a box too busy to tell.
     */
    static int floor(double oneNodeToNginx, double minRatio, boolean quiet) {
        if (minRatio <= 0) {
            return 0;
        }
        if (!(oneNodeToNginx >= minRatio) && !quiet) {
            System.err.printf(
                    Locale.ROOT,
                    "crossbar bench: one node made %.2fx the nginx proxy's requests/s, below the floor of %.2fx, but"
                            + " other processes were busy or the node's JIT had not settled: not judged%n",
                    oneNodeToNginx,
                    minRatio);
            return NOT_JUDGED;
        }
        if (!(oneNodeToNginx >= minRatio)) {
            System.err.printf(
                    Locale.ROOT,
                    "crossbar bench: one node made %.2fx the nginx proxy's requests/s, below the floor of %.2fx"
                            + " (--min-ratio)%n",
                    oneNodeToNginx,
                    minRatio);
            return 3;
        }
        System.out.printf(
                Locale.ROOT,
                "crossbar bench: one node made %.2fx the nginx proxy's requests/s (floor %.2fx)%n",
                oneNodeToNginx,
                minRatio);
        return 0;
    }

    private static final Map<String, String> TITLES = Map.of(
            "plain", "Small plain requests: Crossbar against direct, nginx and Portkey",
            "stream", "Streamed answers (50 chunks)",
            "matrix", "Client protocol against upstream protocol",
            "pool", "Key pool: 1, 3 and 5 nodes behind nginx, and saturation",
            "churn", "Bursts, clients that leave with requests in flight, idle periods: queue waits on a key with room",
            "wrk", "Cross-check with wrk",
            "soak", "No stall: minutes of closed-loop load on one node, time spent inside it",
            "compare", "A/B: a baseline node against this build's, in alternating rounds");

    private static String header(
            String startedAt,
            String commit,
            String command,
            String loadBefore,
            Bench bench,
            double seconds,
            String scenario) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT, "- %s, commit %s, `%s` (%.0f s in all)%n", startedAt, commit, command.trim(), seconds));
        b.append(String.format(
                Locale.ROOT,
                "- %s cores (`nproc`), %s, %s; %s; node %s%n",
                Machine.run("nproc").trim(),
                Machine.cpuModel(),
                Machine.javaVersion(),
                Machine.run(NginxProcess.require().toString(), "-v").trim().replace("nginx version: ", ""),
                Machine.run("node", "--version").trim()));
        b.append("- Load generator, upstreams and gateways share these cores. Load average before: ")
                .append(loadBefore)
                .append('\n');
        b.append("- Other processes during the run:\n");
        for (String line : bench.foreignLoad(scenario)) {
            b.append("  - ").append(line).append('\n');
        }
        for (String note : bench.notes(scenario)) {
            b.append("- ").append(note).append('\n');
        }
        return b.toString();
    }

    private static int positive(Args args, String name, int fallback) {
        int v = args.integer(name, fallback);
        if (v < 1) {
            throw new Args.UsageException("--" + name + " must be >= 1, was " + v);
        }
        return v;
    }

    private static double decimal(Args args, String name, double fallback) {
        String v = args.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v.endsWith("s") ? v.substring(0, v.length() - 1) : v);
            if (d < 0 || !Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new Args.UsageException("--" + name + " must be a number >= 0, was '" + v + "'");
        }
    }

    /** The repository root: the first directory upwards holding load-tests/bench-tools. */
    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("load-tests/bench-tools"))) {
                return dir;
            }
        }
        return Path.of("").toAbsolutePath();
    }
}
