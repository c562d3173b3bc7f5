package dev.crossbar.bench;

import dev.crossbar.bench.load.LoadGenerator;
import dev.crossbar.bench.load.LoadOptions;
import dev.crossbar.bench.load.LoadRequest;
import dev.crossbar.bench.load.LoadResult;
import dev.crossbar.gateway.config.ClientKeyConfig;
import dev.crossbar.gateway.config.GatewayConfig;
import dev.crossbar.gateway.config.ModelConfig;
import dev.crossbar.gateway.config.ProviderConfig;
import dev.crossbar.gateway.config.ProviderKeyConfig;
import dev.crossbar.launcher.LocalCluster;
import dev.crossbar.launcher.NginxProcess;
import dev.crossbar.launcher.NodeCluster;
import dev.crossbar.launcher.NodeProcess;
import dev.crossbar.launcher.Ports;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import dev.crossbar.mock.MockProviders;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * How throughput grows with node processes behind nginx: the mock providers (in this JVM), 1, 2 and 3
 * gateway node processes (one Hazelcast cluster, {@link NodeCluster}) and nginx in front, each measured with
 * the load generator's closed loop of N connections sending small plain chat requests through nginx, keys
 * without limits. Prints requests/s,
 * latency, and the CPU each part used, so the figure can be read per core: on a small machine the load
 * generator, mock, nginx and nodes all share the same cores, and more nodes cannot mean more throughput.
 *
 * <p>Run from the repository root (nginx must be installed):
 * <pre>
 * mvn -B -q -DskipTests package
 * java @deploy/jvm.options -cp 'load-tests/target/classes:load-tests/target/lib/*' \
 *   dev.crossbar.bench.ScalingBenchmark [--nodes 1,2,3] [--connections 64] [--seconds 15] [--warmup 8]
 * </pre>
 */
public final class ScalingBenchmark {

    private static final String CLIENT_KEY = "bench-client-key";
    private static final String BODY = "{\"model\":\"bench-model\",\"max_tokens\":16,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

    private ScalingBenchmark() {}

    /** One measured configuration. */
    record Result(
            int nodes,
            double perSecond,
            long errors,
            double p50Ms,
            double p99Ms,
            double nodeCpu,
            double nginxCpu,
            double benchCpu,
            double seconds) {
        double totalCpu() {
            return nodeCpu + nginxCpu + benchCpu;
        }
    }

    public static void main(String[] args) throws Exception {
        List<Integer> counts = new ArrayList<>(List.of(1, 2, 3));
        int connections = 64;
        int seconds = 15;
        int warmup = 8;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--nodes" -> {
                    counts.clear();
                    for (String n : args[i + 1].split(",", -1)) {
                        counts.add(Integer.parseInt(n.strip()));
                    }
                }
                case "--connections" -> connections = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Optional<Path> nginx = NginxProcess.find();
        if (nginx.isEmpty()) {
            System.err.println("nginx is not installed (apt-get install nginx): the benchmark measures through it");
            System.exit(2);
        }
        Path dir = LocalCluster.repoRoot().resolve("load-tests/target/scaling-benchmark");
        NginxProcess.stopLeftover(dir);
        Files.createDirectories(dir);

        List<MockKey> keys = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            keys.add(new MockKey("sk-bench-" + i, "openai", null, null, 100_000, null));
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        MockProviders mock = MockProviders.start(
                        vertx, MockConfig.of(keys.toArray(MockKey[]::new)).withEventLoops(1))
                .await(30, TimeUnit.SECONDS);
        String mockUrl = "http://127.0.0.1:" + mock.port();
        GatewayConfig config = config(mockUrl, keys.size());
        System.out.printf(
                "Scaling benchmark: %d cores, %d connections, %d s measured after %d s warm-up, mock on %s%n",
                Runtime.getRuntime().availableProcessors(), connections, seconds, warmup, mockUrl);
        List<Result> results = new ArrayList<>();
        try {
            for (int n : counts) {
                results.add(measure(n, config, dir, nginx.get(), vertx, connections, seconds, warmup));
            }
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
        System.out.println();
        System.out.println(
                "| nodes | requests/s | p50 ms | p99 ms | errors | CPU cores used: nodes + nginx + mock&load | requests/s per core used |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Result r : results) {
            double cores = r.totalCpu() / r.seconds();
            System.out.printf(
                    "| %d | %.0f | %.1f | %.1f | %d | %.2f = %.2f + %.2f + %.2f | %.0f |%n",
                    r.nodes(),
                    r.perSecond(),
                    r.p50Ms(),
                    r.p99Ms(),
                    r.errors(),
                    cores,
                    r.nodeCpu() / r.seconds(),
                    r.nginxCpu() / r.seconds(),
                    r.benchCpu() / r.seconds(),
                    r.perSecond() / cores);
        }
    }

    /** One client key, the mock's OpenAI side with {@code keys} keys without limits, one model. */
    private static GatewayConfig config(String mockUrl, int keys) {
        List<ProviderKeyConfig> providerKeys = new ArrayList<>();
        for (int i = 1; i <= keys; i++) {
            providerKeys.add(new ProviderKeyConfig(
                    "bench-" + i, "sk-bench-" + i, null, null, null, null, null, null, null, null));
        }
        return new GatewayConfig(
                null,
                null,
                null,
                List.of(new ClientKeyConfig("bench", CLIENT_KEY, null, null)),
                List.of(ProviderConfig.of("mock-openai", "openai", mockUrl + "/v1", providerKeys)),
                List.of(new ModelConfig(
                        "bench-model",
                        null,
                        List.of(new ModelConfig.TargetConfig("mock-openai", "gpt-bench", null)),
                        null)),
                null);
    }

    private static Result measure(
            int nodes,
            GatewayConfig config,
            Path dir,
            Path nginxBinary,
            Vertx vertx,
            int connections,
            int seconds,
            int warmup)
            throws Exception {
        List<Integer> nodePorts = new ArrayList<>();
        List<Integer> memberPorts = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            nodePorts.add(Ports.free());
            memberPorts.add(Ports.free());
        }
        LocalCluster.Layout layout = new LocalCluster.Layout(
                "127.0.0.1", Ports.free(), nodePorts, memberPorts, "crossbar-bench-" + UUID.randomUUID());
        List<Path> configs = LocalCluster.writeNodeConfigs(config, layout, dir);
        try (NodeCluster cluster = NodeCluster.of(layout, configs, dir, List.of("-Xmx1g"), Map.of())) {
            cluster.start(Duration.ofMinutes(2));
            NginxProcess nginx = cluster.startBalancer(nginxBinary, Duration.ofSeconds(20));
            System.out.printf("%d node(s) up; warming up...%n", nodes);
            run(vertx, layout.balancerPort(), connections, warmup);

            List<Long> pids = cluster.nodes().stream().map(NodeProcess::pid).toList();
            double[] nodeCpu0 = cpu(pids);
            double nginxCpu0 = cpuTree(nginx.pid());
            double bench0 = ownCpu();
            long started = System.nanoTime();
            LoadResult load = run(vertx, layout.balancerPort(), connections, seconds);
            double elapsed = (System.nanoTime() - started) / 1e9;
            double nodeCpu = sum(cpu(pids)) - sum(nodeCpu0);
            double nginxCpu = cpuTree(nginx.pid()) - nginxCpu0;
            double benchCpu = ownCpu() - bench0;
            Result r = new Result(
                    nodes,
                    load.ok() / elapsed,
                    load.errors(),
                    load.latencyMillis(50),
                    load.latencyMillis(99),
                    nodeCpu,
                    nginxCpu,
                    benchCpu,
                    elapsed);
            System.out.printf(
                    "%d node(s): %.0f requests/s, p50 %.1f ms, p99 %.1f ms, %d errors; CPU s: nodes %.1f, nginx %.1f,"
                            + " mock+load %.1f over %.1f s%n",
                    nodes, r.perSecond(), r.p50Ms(), r.p99Ms(), r.errors(), nodeCpu, nginxCpu, benchCpu, elapsed);
            return r;
        }
    }

    /** A closed loop of {@code connections} through nginx for {@code seconds}, on the given Vert.x. */
    private static LoadResult run(Vertx vertx, int port, int connections, int seconds) throws Exception {
        LoadRequest request =
                LoadRequest.postJson("/v1/chat/completions", BODY, "authorization", "Bearer " + CLIENT_KEY);
        return LoadGenerator.run(
                vertx,
                LoadOptions.closed(port, List.of(request), connections, Duration.ZERO, Duration.ofSeconds(seconds)));
    }

    private static double[] cpu(List<Long> pids) {
        double[] out = new double[pids.size()];
        for (int i = 0; i < pids.size(); i++) {
            out[i] = cpuTree(pids.get(i));
        }
        return out;
    }

    /** CPU seconds of a process and its children (nginx's work is done by its worker). */
    private static double cpuTree(long pid) {
        return ProcessHandle.of(pid)
                .map(h -> {
                    double total = seconds(h);
                    for (ProcessHandle child : h.descendants().toList()) {
                        total += seconds(child);
                    }
                    return total;
                })
                .orElse(0.0);
    }

    private static double seconds(ProcessHandle h) {
        return h.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }

    private static double ownCpu() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() / 1e9;
        }
        return 0;
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }
}
