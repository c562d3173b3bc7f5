package dev.crossbar.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.crossbar.launcher.NginxProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./crossbar bench plain} with a tiny duration, end to end: nginx as upstream and proxy, one node
 * as a separate process, the load generator, the table written into a marked section. Needs nginx;
 * skipped without it unless CROSSBAR_REQUIRE_NGINX=true (CI).
 */
class BenchSmokeIT {

    @Test
    void shouldRunThePlainScenarioEndToEndAndWriteItsSection(@TempDir Path dir) throws Exception {
        boolean required = "true".equals(System.getenv("CROSSBAR_REQUIRE_NGINX"));
        assumeTrue(required || NginxProcess.find().isPresent(), "nginx is not installed");
        Path out = dir.resolve("benchmarks.md");
        Files.writeString(out, "# Benchmarks\n\nhand-written text stays\n\n<!-- bench:sections -->\n");
        int status = BenchCommand.run(
                new String[] {
                    "bench",
                    "plain",
                    "--rounds",
                    "1",
                    "--duration",
                    "1",
                    "--warmup",
                    "0.2",
                    "--jit-warmup",
                    "0",
                    "--rate",
                    "200",
                    "--connections",
                    "4",
                    "--skip",
                    "crossbar-3,portkey",
                    "--quiet-wait",
                    "0",
                    "--out",
                    out.toString()
                },
                1);
        assertEquals(0, status);
        String doc = Files.readString(out);
        assertTrue(doc.contains("hand-written text stays"), doc);
        assertTrue(doc.contains("<!-- bench:plain:begin -->") && doc.contains("<!-- bench:plain:end -->"), doc);
        for (String row : new String[] {"| direct (nginx upstream)", "| nginx reverse proxy", "| Crossbar, 1 node"}) {
            assertTrue(doc.contains(row), "the table has a row " + row + ":\n" + doc);
        }
        String crossbar = doc.lines()
                .filter(l -> l.startsWith("| Crossbar, 1 node"))
                .findFirst()
                .orElseThrow();
        assertTrue(crossbar.matches(".*\\|\\s*0\\s*\\|\\s*$"), "no errors through the node: " + crossbar);
    }

    /**
     * Issue 18 point 6: a CI-sized throughput check. One node and the nginx proxy in alternating closed-loop
     * rounds of the same run; fails only when the node makes less than 0.3x the proxy's requests/s (0.4-0.5x
     * today on a shared 2-core box), so a 2x regression cannot land unseen. The node's JIT gets 5-45 s of load
     * to settle first (15-20 s on a quiet box): measured cold, a node makes a fraction of what it makes warm.
     * Five rounds of 3 s, not three of 2 s: a node's first round after the warm-up is often half its later ones
     * (5,809 / 15,408 / 16,197 req/s in one CI run), and with three short rounds two slow ones made the median.
     */
    @Test
    void shouldKeepOneNodeAboveAThirdOfTheNginxProxy() throws Exception {
        boolean required = "true".equals(System.getenv("CROSSBAR_REQUIRE_NGINX"));
        assumeTrue(required || NginxProcess.find().isPresent(), "nginx is not installed");
        int status = BenchCommand.run(
                new String[] {
                    "bench",
                    "plain",
                    "--rounds",
                    "5",
                    "--duration",
                    "3",
                    "--warmup",
                    "0.5",
                    "--jit-warmup",
                    "15",
                    "--rate",
                    "200",
                    "--skip",
                    "crossbar-3,portkey,bare-netty,bare-vertx",
                    "--quiet-wait",
                    "0",
                    "--min-ratio",
                    "0.3",
                    "--out",
                    "-"
                },
                1);
        assumeTrue(
                status != BenchCommand.NOT_JUDGED,
                "below the floor while other processes were busy or the JIT had not settled: no verdict");
        assertEquals(0, status, "one node below 0.3x the nginx proxy's throughput (see the output above)");
    }

    /** {@code ./crossbar bench churn}, small: clients that leave with requests in flight leave no request waiting. */
    @Test
    void shouldRunTheChurnScenarioAndFindNoRequestWaitingForTheKey(@TempDir Path dir) throws Exception {
        boolean required = "true".equals(System.getenv("CROSSBAR_REQUIRE_NGINX"));
        assumeTrue(required || NginxProcess.find().isPresent(), "nginx is not installed");
        Path out = dir.resolve("benchmarks.md");
        Files.writeString(out, "# Benchmarks\n\n<!-- bench:sections -->\n");
        int status = BenchCommand.run(
                new String[] {
                    "bench",
                    "churn",
                    "--rounds",
                    "1",
                    "--duration",
                    "1",
                    "--connections",
                    "8",
                    "--jit-warmup",
                    "0",
                    "--quiet-wait",
                    "0",
                    "--out",
                    out.toString()
                },
                1);
        assertEquals(0, status);
        String doc = Files.readString(out);
        assertTrue(doc.contains("<!-- bench:churn:begin -->") && doc.contains("<!-- bench:churn:end -->"), doc);
        Matcher worst =
                Pattern.compile("Longest queue wait over the run: ([0-9.]+) ms").matcher(doc);
        assertTrue(worst.find(), doc);
        assertTrue(Double.parseDouble(worst.group(1)) <= Churn.TARGET_QUEUE_MILLIS, doc);
        assertTrue(doc.contains("| active"), "the key stayed active after the exits:\n" + doc);
        Matcher inNode = Pattern.compile("longest time in the node: ([0-9.]+) ms, ([0-9]+) requests over 50 ms")
                .matcher(doc);
        assertTrue(inNode.find(), "the time requests spent inside the node, from its access log:\n" + doc);
    }

    /**
     * {@code ./crossbar bench compare} of this build against itself (issue 18 point 5), tiny: the upstream, two
     * pairs of nodes of their own clusters started one after the other ({@code --pairs 2}), two alternating rounds
     * each; both nodes' figures, the per-round and per-pair ratios in the report, and an explicit --out gets a
     * compare section.
     */
    @Test
    void shouldCompareTwoNodesInAlternatingRounds(@TempDir Path dir) throws Exception {
        boolean required = "true".equals(System.getenv("CROSSBAR_REQUIRE_NGINX"));
        assumeTrue(required || NginxProcess.find().isPresent(), "nginx is not installed");
        Path out = dir.resolve("compare.md");
        int status = BenchCommand.run(
                new String[] {
                    "bench",
                    "compare",
                    "--rounds",
                    "2",
                    "--duration",
                    "1",
                    "--warmup",
                    "0.2",
                    "--jit-warmup",
                    "0",
                    "--pairs",
                    "2",
                    "--baseline-jvm",
                    "-Dbench.side=baseline",
                    "--out",
                    out.toString()
                },
                1);
        assertEquals(0, status);
        String doc = Files.readString(out);
        assertTrue(doc.contains("<!-- bench:compare:begin -->"), doc);
        assertTrue(doc.contains("pairs of processes: 2"), doc);
        assertEquals(
                2,
                doc.lines().filter(l -> l.startsWith("- logs: ")).count(),
                "each pair's own processes and logs:\n" + doc);
        assertTrue(doc.contains("candidate-2.log"), "the second pair's fresh candidate:\n" + doc);
        assertTrue(doc.contains("-Xms512m -Xmx512m -Dbench.side=baseline"), "the baseline's JVM options:\n" + doc);
        for (String node : new String[] {"candidate", "baseline"}) {
            String[] cells = doc.lines()
                    .filter(l -> l.startsWith("| " + node + " "))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no row for " + node + ":\n" + doc))
                    .split("\\|", -1);
            // | Node | req/s | CPU µs / req | heap / req | p99 ms | requests | errors |
            assertTrue(Double.parseDouble(cells[2].trim().replace(",", "")) > 0, node + " req/s: " + doc);
            assertTrue(Double.parseDouble(cells[3].trim()) > 0, node + " CPU per request: " + doc);
            assertTrue(cells[4].trim().endsWith("B"), node + " heap per request: " + doc);
            assertTrue(Long.parseLong(cells[6].trim().replace(",", "")) > 0, node + " requests: " + doc);
            assertEquals("0", cells[7].trim(), node + " answered every request: " + doc);
        }
        // | Round | pair | first | ...: each pair's rounds alternate which node runs first.
        for (String row : new String[] {
            "1 +\\| 1 +\\| candidate", "2 +\\| 1 +\\| baseline", "3 +\\| 2 +\\| candidate", "4 +\\| 2 +\\| baseline"
        }) {
            assertTrue(doc.lines().anyMatch(l -> l.matches("\\| " + row + " .*")), row + "\n" + doc);
        }
        Matcher ratios = Pattern.compile("median of 4 rounds' ratios: req/s ([0-9.]+)x .*CPU per request ([0-9.]+)x")
                .matcher(doc);
        assertTrue(ratios.find(), doc);
        assertTrue(doc.contains("Each pair of processes' medians: pair 1 req/s "), "each pair's medians:\n" + doc);
        assertTrue(doc.contains("compare pair 2 round 2: "), "other processes' load per round:\n" + doc);
    }
}
