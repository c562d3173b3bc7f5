package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.mock.FaultPlan;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Steady traffic, streams included, for a bounded time: heap after GC, threads and file descriptors must
 * not grow. A short soak for every build; run it longer with -Dcrossbar.soak.seconds=600.
 */
class SoakIT {

    private static final String PLAIN = """
            {"model":"test-model","messages":[{"role":"user","content":"steady as she goes"}]}""";
    private static final String STREAMED = """
            {"model":"test-model","stream":true,"messages":[{"role":"user","content":"steady as she goes"}]}""";

    @Test
    void shouldHoldSteadyUnderSustainedTraffic() throws Exception {
        int seconds = Integer.getInteger("crossbar.soak.seconds", 20);
        MockConfig mock = MockConfig.of(MockKey.unlimited("sk-a", "openai"), MockKey.unlimited("sk-b", "openai"))
                .withFaults(FaultPlan.builder().streamChunks(20).build());
        try (GatewayHarness gateway = new GatewayHarness(mock, TestConfig.openAi("sk-a", "sk-b"), 1)) {
            List<String> urls = List.of(gateway.url());
            SpreadLoad.run(urls, "/v1/chat/completions", PLAIN, GatewayHarness.CLIENT_KEY, 100, Duration.ofSeconds(3));
            Snapshot before = Snapshot.take();
            int rounds = Math.max(1, seconds / 5);
            long served = 0;
            for (int i = 0; i < rounds; i++) {
                SpreadLoad.Result plain = SpreadLoad.run(
                        urls, "/v1/chat/completions", PLAIN, GatewayHarness.CLIENT_KEY, 80, Duration.ofMillis(2_500));
                SpreadLoad.Result streamed = SpreadLoad.run(
                        urls,
                        "/v1/chat/completions",
                        STREAMED,
                        GatewayHarness.CLIENT_KEY,
                        40,
                        Duration.ofMillis(2_500));
                assertEquals(plain.sent(), plain.count(200), "plain: " + plain.byStatus());
                assertEquals(streamed.sent(), streamed.count(200), "streamed: " + streamed.byStatus());
                served += plain.sent() + streamed.sent();
            }
            Snapshot after = Snapshot.take();
            System.out.printf(
                    "soak: %d requests in %d s; heap after GC %d -> %d KiB, threads %d -> %d, fds %d -> %d%n",
                    served,
                    rounds * 5,
                    before.heap / 1024,
                    after.heap / 1024,
                    before.threads,
                    after.threads,
                    before.fds,
                    after.fds);
            assertTrue(
                    after.heap - before.heap < 24L * 1024 * 1024,
                    "heap grew " + (after.heap - before.heap) / 1024 + " KiB");
            assertTrue(
                    after.threads - before.threads <= 8,
                    "threads grew " + before.threads + " -> " + after.threads + ", new: " + after.newSince(before));
            assertTrue(after.fds - before.fds <= 32, "file descriptors grew " + before.fds + " -> " + after.fds);
        }
    }

    /**
     * Threads of pools with a fixed bound, which are no leak: Vert.x starts a worker thread for each blocking task
     * until its pool (20) is full, so how many there are depends on how long the node has run (the stats record is
     * published from a worker every second), not on the traffic.
     */
    private static final List<String> BOUNDED_POOLS = List.of("vert.x-worker-thread-", "vert.x-internal-blocking-");

    private record Snapshot(long heap, int threads, int fds, Set<String> threadNames) {
        /** The names of the threads started since {@code before} that are still running. */
        Set<String> newSince(Snapshot before) {
            Set<String> started = new TreeSet<>(threadNames);
            started.removeAll(before.threadNames);
            return started;
        }

        static Snapshot take() throws InterruptedException {
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(200);
            }
            String[] open = new File("/proc/self/fd").list();
            // Names repeat (each Vert.x instance has its vert.x-eventloop-thread-0): count the threads, not the names.
            List<String> threads = Thread.getAllStackTraces().keySet().stream()
                    .map(Thread::getName)
                    .filter(name -> BOUNDED_POOLS.stream().noneMatch(name::startsWith))
                    .toList();
            return new Snapshot(
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
                    threads.size(),
                    open == null ? -1 : open.length,
                    Set.copyOf(threads));
        }
    }
}
