package dev.crossbar.bench;

import dev.crossbar.launcher.LocalCluster;
import dev.crossbar.launcher.NginxProcess;
import dev.crossbar.launcher.NodeProcess;
import dev.crossbar.launcher.Ports;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import dev.crossbar.mock.MockProviders;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * How throughput grows with node processes behind nginx: the mock providers (in this JVM), 1, 2 and 3
 * gateway node processes (one Hazelcast cluster) and nginx in front, each measured with a closed loop of
 * N connections sending small plain chat requests through nginx, keys without limits. Prints requests/s,
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
        StringBuilder yaml = new StringBuilder("""
                clientKeys:
                  - { name: bench, key: %s }
                providers:
                  - id: mock-openai
                    type: openai
                    baseUrl: ${MOCK}/v1
                    keys:
                """.formatted(CLIENT_KEY));
        for (int i = 1; i <= 4; i++) {
            keys.add(new MockKey("sk-bench-" + i, "openai", null, null, 100_000, null));
            yaml.append("      - { id: bench-")
                    .append(i)
                    .append(", secret: sk-bench-")
                    .append(i)
                    .append(" }\n");
        }
        yaml.append("""
                models:
                  - name: bench-model
                    targets: [ { provider: mock-openai, model: gpt-bench } ]
                """);
        Path source = dir.resolve("source.yaml");
        Files.writeString(source, yaml.toString(), StandardCharsets.UTF_8);

        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        MockProviders mock = MockProviders.start(
                        vertx, MockConfig.of(keys.toArray(MockKey[]::new)).withEventLoops(1))
                .await(30, TimeUnit.SECONDS);
        String mockUrl = "http://127.0.0.1:" + mock.port();
        System.out.printf(
                "Scaling benchmark: %d cores, %d connections, %d s measured after %d s warm-up, mock on %s%n",
                Runtime.getRuntime().availableProcessors(), connections, seconds, warmup, mockUrl);
        List<Result> results = new ArrayList<>();
        try {
            for (int n : counts) {
                results.add(measure(n, source, dir, nginx.get(), mockUrl, vertx, connections, seconds, warmup));
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

    private static Result measure(
            int nodes,
            Path source,
            Path dir,
            Path nginxBinary,
            String mockUrl,
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
        List<Path> configs =
                LocalCluster.writeNodeConfigs(source, layout, dir, name -> "MOCK".equals(name) ? mockUrl : null);
        Path conf = LocalCluster.writeNginxConfig(
                LocalCluster.repoRoot().resolve(LocalCluster.NGINX_TEMPLATE), layout, dir);
        List<NodeProcess> processes = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            Path log = dir.resolve("node-" + (i + 1) + ".log");
            Files.deleteIfExists(log);
            processes.add(new NodeProcess(
                    "node " + (i + 1),
                    configs.get(i),
                    layout.nodeUrl(i),
                    log,
                    List.of("-Xmx1g"),
                    Map.of("MOCK", mockUrl)));
        }
        NginxProcess nginx = null;
        try {
            processes.forEach(NodeProcess::start);
            for (NodeProcess p : processes) {
                p.awaitReady(nodes, Duration.ofMinutes(2));
            }
            nginx = NginxProcess.start(nginxBinary, conf, layout.host(), layout.balancerPort(), Duration.ofSeconds(20));
            System.out.printf("%d node(s) up; warming up...%n", nodes);
            run(vertx, layout.balancerPort(), connections, warmup, new ConcurrentHistogram(3));

            double[] nodeCpu0 = cpu(processes.stream().map(NodeProcess::pid).toList());
            double nginxCpu0 = cpuTree(nginx.pid());
            double bench0 = ownCpu();
            ConcurrentHistogram latency = new ConcurrentHistogram(3);
            long started = System.nanoTime();
            long[] counts = run(vertx, layout.balancerPort(), connections, seconds, latency);
            double elapsed = (System.nanoTime() - started) / 1e9;
            double nodeCpu = sum(cpu(processes.stream().map(NodeProcess::pid).toList())) - sum(nodeCpu0);
            double nginxCpu = cpuTree(nginx.pid()) - nginxCpu0;
            double benchCpu = ownCpu() - bench0;
            Result r = new Result(
                    nodes,
                    counts[0] / elapsed,
                    counts[1],
                    latency.getValueAtPercentile(50) / 1000.0,
                    latency.getValueAtPercentile(99) / 1000.0,
                    nodeCpu,
                    nginxCpu,
                    benchCpu,
                    elapsed);
            System.out.printf(
                    "%d node(s): %.0f requests/s, p50 %.1f ms, p99 %.1f ms, %d errors; CPU s: nodes %.1f, nginx %.1f,"
                            + " mock+load %.1f over %.1f s%n",
                    nodes, r.perSecond(), r.p50Ms(), r.p99Ms(), r.errors(), nodeCpu, nginxCpu, benchCpu, elapsed);
            return r;
        } finally {
            if (nginx != null) {
                nginx.close();
            }
            for (NodeProcess p : processes) {
                if (p.alive()) {
                    p.stop(Duration.ofSeconds(45));
                }
            }
        }
    }

    /** Closed loop: each connection sends its next request when the last answer ended. Returns {ok, errors}. */
    private static long[] run(Vertx vertx, int port, int connections, int seconds, Histogram latency) throws Exception {
        HttpClient client = vertx.createHttpClient(
                new HttpClientOptions()
                        .setKeepAlive(true)
                        .setTcpNoDelay(true)
                        .setDefaultHost("127.0.0.1")
                        .setDefaultPort(port),
                new PoolOptions().setHttp1MaxSize(connections));
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong outstanding = new AtomicLong(connections);
        Buffer body = Buffer.buffer(BODY);
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setURI("/v1/chat/completions")
                .putHeader("content-type", "application/json")
                .putHeader("authorization", "Bearer " + CLIENT_KEY);
        for (int c = 0; c < connections; c++) {
            loop(client, options, body, running, ok, errors, outstanding, latency);
        }
        Thread.sleep(seconds * 1000L);
        running.set(false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (outstanding.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        client.close().await(10, TimeUnit.SECONDS);
        return new long[] {ok.get(), errors.get()};
    }

    private static void loop(
            HttpClient client,
            RequestOptions options,
            Buffer body,
            AtomicBoolean running,
            AtomicLong ok,
            AtomicLong errors,
            AtomicLong outstanding,
            Histogram latency) {
        if (!running.get()) {
            outstanding.decrementAndGet();
            return;
        }
        long start = System.nanoTime();
        client.request(options)
                .compose(req -> req.send(body))
                .compose(resp -> resp.body().map(b -> resp.statusCode()))
                .onComplete(ar -> {
                    if (ar.succeeded() && ar.result() == 200) {
                        ok.incrementAndGet();
                        latency.recordValue(Math.max(1, (System.nanoTime() - start) / 1_000));
                    } else {
                        errors.incrementAndGet();
                    }
                    loop(client, options, body, running, ok, errors, outstanding, latency);
                });
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
