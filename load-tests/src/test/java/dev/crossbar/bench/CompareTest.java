package dev.crossbar.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.bench.load.LoadOptions;
import dev.crossbar.bench.load.LoadResult;
import dev.crossbar.gateway.cli.Args;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure parts of {@code ./crossbar bench compare}: its order of runs, its ratios, its report, its options. */
class CompareTest {

    private static final Bench.Settings SETTINGS = new Bench.Settings(
            3,
            Duration.ofSeconds(5),
            Duration.ofSeconds(1),
            1000,
            32,
            Set.of(),
            Duration.ZERO,
            0.5,
            Duration.ZERO,
            40,
            500,
            Duration.ofSeconds(15));

    /** A closed-loop run of 5 s answering {@code rps} a second (plus one warm-up second) for {@code cpuSeconds}. */
    private static Bench.Sample run(double rps, double cpuSeconds, double allocBytes) {
        long completed = Math.round(rps * 5);
        long total = Math.round(rps * 6);
        Histogram latency = new Histogram(3);
        latency.recordValue(2_000);
        LoadResult load = new LoadResult(
                LoadOptions.Mode.CLOSED,
                0,
                32,
                5,
                completed,
                total,
                Map.of("200", total),
                latency,
                new Histogram(3),
                new Histogram(3),
                0,
                0,
                new Histogram(3));
        return new Bench.Sample(load, cpuSeconds, allocBytes, 0, 0);
    }

    @Test
    void shouldAlternateWhichNodeRunsFirstFromRoundToRound() {
        List<String> firsts = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            List<String> order = Compare.order(round, "candidate", "baseline");
            assertEquals(Set.of("candidate", "baseline"), Set.copyOf(order), "each round runs both once");
            assertEquals(2, order.size());
            firsts.add(order.get(0));
        }
        assertEquals(List.of("candidate", "baseline", "candidate", "baseline"), firsts);
    }

    @Test
    void shouldTakeTheMedianOfEachRoundsRatioNotTheRatioOfTheMedians() {
        // req/s rounds: 12,000/10,000 = 1.2, 9,000/6,000 = 1.5, 11,000/10,000 = 1.1 -> median 1.2
        // (the ratio of the medians would be 11,000/10,000 = 1.1).
        // CPU per request: candidate 60 µs in every round; baseline 80, 100, 75 µs -> ratios 0.75, 0.6, 0.8.
        List<Compare.Round> rounds = List.of(
                new Compare.Round(run(12_000, 60e-6 * 72_000, 0), run(10_000, 80e-6 * 60_000, 0), true, 1),
                new Compare.Round(run(9_000, 60e-6 * 54_000, 0), run(6_000, 100e-6 * 36_000, 0), false, 1),
                new Compare.Round(run(11_000, 60e-6 * 66_000, 0), run(10_000, 75e-6 * 60_000, 0), true, 1));
        assertEquals(1.2, Compare.medianThroughputRatio(rounds), 1e-9);
        assertEquals(0.75, Compare.medianCpuRatio(rounds), 1e-9);
        assertEquals(60.0, rounds.get(0).candidate().cpuMicrosPerRequest(), 1e-9);
    }

    @Test
    void shouldGiveEachPairOfProcessesItsOwnMediansBesideTheMedianOfAllRounds() {
        // pair 1: req/s ratios 1.2, 1.1 -> median 1.15; pair 2: 0.9, 1.0 -> 0.95; all four: 1.05.
        List<Compare.Round> rounds = List.of(
                new Compare.Round(run(12_000, 60e-6 * 72_000, 0), run(10_000, 60e-6 * 60_000, 0), true, 1),
                new Compare.Round(run(11_000, 60e-6 * 66_000, 0), run(10_000, 60e-6 * 60_000, 0), false, 1),
                new Compare.Round(run(9_000, 60e-6 * 54_000, 0), run(10_000, 60e-6 * 60_000, 0), true, 2),
                new Compare.Round(run(10_000, 60e-6 * 60_000, 0), run(10_000, 60e-6 * 60_000, 0), false, 2));
        assertEquals(1.05, Compare.medianThroughputRatio(rounds), 1e-9);
        assertEquals(
                " Each pair of processes' medians: pair 1 req/s 1.15x, CPU 1.00x; pair 2 req/s 0.95x, CPU 1.00x.",
                Compare.perPair(rounds));
        String report = Compare.report(rounds, SETTINGS, false);
        assertTrue(report.contains("req/s 1.05x (rounds 0.90x-1.20x)"), report);
        assertTrue(report.contains("pair 2 req/s 0.95x"), report);
        String third =
                report.lines().filter(l -> l.startsWith("| 3 ")).findFirst().orElseThrow();
        assertTrue(third.matches("\\| 3 +\\| 2 +\\|.*"), "round 3 ran on the second pair: " + third);
        assertEquals("", Compare.perPair(rounds.subList(0, 2)), "one pair: nothing to add");
    }

    @Test
    void shouldReportEachNodeEachRoundAndTheMedianRatios() {
        List<Compare.Round> rounds = List.of(
                new Compare.Round(run(12_000, 60e-6 * 72_000, 15_000.0 * 72_000), run(10_000, 4.8, 0), true, 1),
                new Compare.Round(run(9_000, 60e-6 * 54_000, 15_000.0 * 54_000), run(6_000, 3.6, 0), false, 1),
                new Compare.Round(run(11_000, 60e-6 * 66_000, 15_000.0 * 66_000), run(10_000, 4.5, 0), true, 1));
        String report = Compare.report(rounds, SETTINGS, false);
        assertTrue(report.contains("| candidate "), report);
        assertTrue(report.contains("| baseline "), report);
        assertTrue(report.contains("| 14.6 KB "), "the candidate's heap per request:\n" + report);
        assertTrue(report.contains("| 192,000 "), "the candidate's requests over the three rounds:\n" + report);
        String median =
                report.lines().filter(l -> l.startsWith("| median")).findFirst().orElseThrow();
        assertTrue(median.contains("| 1.20x ") && median.contains("| 0.75x "), median);
        assertTrue(
                report.contains("req/s 1.20x (rounds 1.10x-1.50x), CPU per request 0.75x (rounds 0.60x-0.80x)"),
                report);
        String second =
                report.lines().filter(l -> l.startsWith("| 2 ")).findFirst().orElseThrow();
        assertTrue(second.contains("| baseline "), "round 2 ran the baseline first: " + second);
    }

    @Test
    void shouldCompareThisBuildWithItselfWithoutABaseline() {
        Compare.Options o = Compare.Options.parse(new Args(
                new String[] {"--baseline-jvm", " -XX:+UseParallelGC  -Dx=1 ", "--node-jvm", "-Dy=2"}, 0, List.of()));
        assertNull(o.baselineLib());
        assertEquals(List.of("-XX:+UseParallelGC", "-Dx=1"), o.baselineJvm());
        assertEquals(List.of("-Dy=2"), o.candidateJvm());
        assertFalse(o.streams());
    }

    @Test
    void shouldTakeADirectoryHoldingAGatewayNodeJar(@TempDir Path dir) throws Exception {
        Files.createFile(dir.resolve("gateway-node-0.1.0-SNAPSHOT.jar"));
        Compare.Options o = Compare.Options.parse(new Args(new String[] {"--baseline", dir.toString()}, 0, List.of()));
        assertEquals(dir.toAbsolutePath().normalize(), o.baselineLib());
        assertEquals(List.of(), o.baselineJvm());
    }

    @Test
    void shouldTakeStreamsAsAFlagOfTheCompareScenarioOnly() {
        Compare.Options o =
                Compare.Options.parse(new Args(new String[] {"--streams", "--rounds", "3"}, 0, List.of("streams")));
        assertTrue(o.streams());
        Args.UsageException e = assertThrows(
                Args.UsageException.class,
                () -> BenchCommand.run(new String[] {"bench", "plain", "--streams", "--rounds", "0"}, 1));
        // Refused before the rounds (0, which would be refused too) are read, and before anything starts.
        assertTrue(e.getMessage().contains("--streams"), e.getMessage());
    }

    @Test
    void shouldRefuseABaselineWithoutAGatewayNodeJarNamingTheOption(@TempDir Path dir) throws Exception {
        Files.createFile(dir.resolve("hazelcast-5.3.8.jar"));
        Args.UsageException e = assertThrows(
                Args.UsageException.class,
                () -> BenchCommand.run(new String[] {"bench", "compare", "--baseline", dir.toString()}, 1));
        assertTrue(e.getMessage().startsWith("--baseline " + dir), e.getMessage());
        assertTrue(e.getMessage().contains("no gateway-node jar"), e.getMessage());
    }

    @Test
    void shouldRefuseABaselineThatIsNoDirectory(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-lib");
        Args.UsageException e = assertThrows(
                Args.UsageException.class,
                () -> BenchCommand.run(new String[] {"bench", "compare", "--baseline", missing.toString()}, 1));
        assertTrue(e.getMessage().contains("--baseline") && e.getMessage().contains("not a directory"), e.getMessage());
    }

    @Test
    void shouldRefuseTheBaselineOptionsOutsideTheCompareScenario() {
        Args.UsageException e = assertThrows(
                Args.UsageException.class,
                () -> BenchCommand.run(new String[] {"bench", "plain", "--baseline-jvm", "-Dx=1"}, 1));
        assertTrue(e.getMessage().contains("compare"), e.getMessage());
    }
}
