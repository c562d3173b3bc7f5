package dev.crossbar.bench;

import static dev.crossbar.bench.Report.f0;
import static dev.crossbar.bench.Report.f1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crossbar.bench.load.LoadGenerator;
import dev.crossbar.bench.load.LoadOptions;
import dev.crossbar.bench.load.LoadRequest;
import dev.crossbar.bench.load.LoadResult;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The churn scenario of {@code ./crossbar bench}: bursts of load, clients that vanish with requests in
 * flight, and idle periods, against one node whose only key has no limits (issue 12, point 5: a load
 * generator that closed its 32 connections at the end of a warm-up put the pool's only key into a
 * doubling cooldown, and every later request waited in the admission queue). Reports the longest any
 * request waited for the key, from the node's access log; the target for a key with room is 10 ms.
 */
final class Churn {

    static final double TARGET_QUEUE_MILLIS = 10;
    private static final String MODEL = "bench-churn";
    private static final Duration IDLE = Duration.ofSeconds(2);
    /** Load on the scenario's own requests before the first burst (the slow provider answers 160 a second). */
    private static final Duration CHURN_WARMUP = Duration.ofSeconds(10);

    private static final Pattern QUEUE_MS = Pattern.compile("\\bqueue_ms=([0-9.]+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Bench.Settings s;
    private final BenchStack stack;
    private final Bench bench;

    /** One cycle: a burst, then the clients that left, then the idle period. */
    private record Cycle(
            LoadResult burst,
            long leftInFlight,
            double maxQueueMillis,
            long queued,
            long lines,
            InNodeTime inNode,
            String keyState) {}

    Churn(Bench.Settings settings, BenchStack stack, Bench bench) {
        this.s = settings;
        this.stack = stack;
        this.bench = bench;
    }

    String run() throws Exception {
        BenchStack.Node node = stack.nodeA;
        Path log = node.process().log();
        List<LoadRequest> requests = List.of(
                Bench.clientRequest("chat", MODEL, BenchStack.CLIENT_KEY, false),
                Bench.clientRequest("chat", MODEL, BenchStack.CLIENT_KEY, true));
        List<Cycle> cycles = new ArrayList<>();
        // An idle node, not a cold one: what the JIT does the first time it meets a path is a start-up cost, not
        // what an idle period leaves behind. So the warm-up covers plain requests and then this scenario's own
        // (the slow provider, streams, one exit): a cold first burst spent 536.6 ms in the node, one warmed on plain
        // requests only 57.2 ms (7.3-44.9 ms in the later bursts of that run).
        Bench.Target target = new Bench.Target(
                "Crossbar, 1 node", node.port(), List.of(node.process()), List.of(node), Bench.Style.CROSSBAR);
        bench.warm(target, s.jitWarmup());
        if (!s.jitWarmup().isZero()) {
            bench.warm(target, CHURN_WARMUP, requests);
            leaveWithRequestsInFlight(node, requests.size());
            Thread.sleep(IDLE.toMillis());
        }
        bench.awaitQuiet("churn");
        // One more burst than exits: the last burst shows what the last exits left behind.
        for (int cycle = 0; cycle <= s.rounds(); cycle++) {
            long from = log.toFile().length();
            LoadResult burst = LoadGenerator.run(
                    LoadOptions.closed(node.port(), requests, s.connections(), Duration.ZERO, s.duration()));
            String state = "-";
            long leftInFlight = 0;
            if (cycle < s.rounds()) {
                leftInFlight = leaveWithRequestsInFlight(node, requests.size());
                state = keyState(node);
                Thread.sleep(IDLE.toMillis());
            }
            Thread.sleep(500); // the access log is flushed every 200 ms
            double[] queue = queueWaits(log, from);
            InNodeTime inNode = InNodeTime.read(log, from, MODEL, InNodeTime.STALL_MILLIS);
            cycles.add(new Cycle(burst, leftInFlight, queue[0], (long) queue[1], (long) queue[2], inNode, state));
            System.out.printf(
                    Locale.ROOT,
                    "  churn cycle %d: %s; longest queue wait %.1f ms; longest in the node %.1f ms; key after the exits:"
                            + " %s%n",
                    cycle + 1,
                    burst.summary(),
                    queue[0],
                    inNode.maxMillis(),
                    state);
        }
        return report(cycles);
    }

    /**
     * Opens as many connections as the bursts use, sends a request on each (unary and streamed in turn),
     * waits until the provider holds them all, and closes every connection at once, as a load generator
     * that stops does. Returns the most calls the provider held at once before they left.
     */
    private long leaveWithRequestsInFlight(BenchStack.Node node, int kinds) throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < s.connections(); i++) {
                Socket socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), node.port()), 5_000);
                sockets.add(socket);
                boolean stream = i % kinds == 1;
                String body = Bench.chatBody(MODEL, stream);
                String request = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Authorization: Bearer " + BenchStack.CLIENT_KEY + "\r\n"
                        + "Content-Type: application/json\r\nContent-Length: "
                        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
                // One write, as a load generator sends a request: with the head and body written apart under Nagle's
                // algorithm, the body waits for the node's delayed ACK of the head (about 40 ms), which the in-node
                // time counts.
                socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            long held = churnKeyInFlight();
            while (held < s.connections() && System.nanoTime() < deadline) {
                Thread.sleep(2);
                held = Math.max(held, churnKeyInFlight());
            }
            return held;
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    private long churnKeyInFlight() throws Exception {
        JsonNode stats = JSON.readTree(Scrape.get(stack.mockUrl() + "/_mock/stats"));
        return stats.path("keys").path(BenchStack.CHURN_SECRET).path("inFlight").asLong();
    }

    /** The key's state as the admin API shows it a moment after the exits (active, cooling_down, ...). */
    private static String keyState(BenchStack.Node node) throws Exception {
        Thread.sleep(100);
        String body = Scrape.getWithToken(node.url() + "/admin/api/keys/churn-1", BenchStack.ADMIN_TOKEN);
        return JSON.readTree(body).path("state").asText("?");
    }

    /** The longest queue wait, how many requests waited at all, and how many lines, in the log since {@code from}. */
    private static double[] queueWaits(Path log, long from) throws IOException {
        double max = 0;
        long queued = 0;
        long lines = 0;
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            file.seek(from);
            String line;
            while ((line = file.readLine()) != null) {
                if (!line.contains(" ACCESS ") || !line.contains("model=" + MODEL)) {
                    continue;
                }
                Matcher m = QUEUE_MS.matcher(line);
                if (m.find()) {
                    double ms = Double.parseDouble(m.group(1));
                    max = Math.max(max, ms);
                    queued += ms > 0 ? 1 : 0;
                    lines++;
                }
            }
        }
        return new double[] {max, queued, lines};
    }

    private String report(List<Cycle> cycles) {
        Report.Table table = new Report.Table(
                "Burst",
                "req/s",
                "p99 ms",
                "errors",
                "then left in flight",
                "requests logged",
                "waited for the key",
                "longest queue wait ms",
                "longest in node ms",
                "in node > 50 ms",
                "key after the exits");
        double worst = 0;
        double worstInNode = 0;
        long over = 0;
        for (int i = 0; i < cycles.size(); i++) {
            Cycle c = cycles.get(i);
            worst = Math.max(worst, c.maxQueueMillis());
            worstInNode = Math.max(worstInNode, c.inNode().maxMillis());
            over += c.inNode().over();
            table.row(
                    i + 1,
                    f0(c.burst().throughput()),
                    f1(c.burst().latencyMillis(99)),
                    c.burst().errors(),
                    i < s.rounds() ? Long.toString(c.leftInFlight()) : "-",
                    c.lines(),
                    c.queued(),
                    f1(c.maxQueueMillis()),
                    f1(c.inNode().maxMillis()),
                    c.inNode().over(),
                    c.keyState());
        }
        return table.markdown()
                + String.format(
                        Locale.ROOT,
                        "%nOne node, %s, one key with no limits (the mock answers after 200 ms; streams of "
                                + "20 chunks 20 ms apart). Each burst is %d s of closed-loop load on %d connections, unary and streamed "
                                + "requests in turn; after it, %d connections send a request each and close the moment "
                                + "the provider holds them all; then %d s idle. The longest queue wait is the largest "
                                + "`queue_ms` in the node's access log over the burst and what followed it; time in the "
                                + "node is `latency_ms - upstream_ms` of each line (queue, ledger, GC and the node's own "
                                + "work). **Longest queue wait over the run: %s ms** (target: at most %s ms for a key with "
                                + "room); **longest time in the node: %s ms, %d requests over %s ms** (target: none).%n",
                        s.jitWarmup().isZero()
                                ? "not warmed up (`--jit-warmup 0`)"
                                : "warmed up first (on plain requests, then on this scenario's own, with one unmeasured exit)",
                        s.duration().toSeconds(),
                        s.connections(),
                        s.connections(),
                        IDLE.toSeconds(),
                        f1(worst),
                        f0(TARGET_QUEUE_MILLIS),
                        f1(worstInNode),
                        over,
                        f0(InNodeTime.STALL_MILLIS));
    }
}
