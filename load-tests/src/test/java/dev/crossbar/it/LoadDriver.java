package dev.crossbar.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Offers requests at a fixed rate for a fixed time, spread round-robin over the given node URLs, and
 * counts every outcome by status (0 = the client saw no HTTP answer). Bounded in count and time.
 */
public final class LoadDriver {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(4))
            .build();

    /**
     * What came back: count per status, and the 200s per node URL and per client key.
     *
     * @param okByUrl       successful answers per node URL
     * @param okByClientKey successful answers per client key
     * @param okByClientKeyWhileOffered successful answers per client key that came while requests were still
     *                      being sent (what comes after only drains what was queued)
     */
    public record Result(
            Map<Integer, Long> byStatus,
            long sent,
            Map<String, Long> okByUrl,
            Map<String, Long> okByClientKey,
            Map<String, Long> okByClientKeyWhileOffered) {
        public long count(int status) {
            return byStatus.getOrDefault(status, 0L);
        }

        public long failures() {
            return sent - count(200) - count(429);
        }
    }

    private LoadDriver() {}

    public static Result run(
            List<String> urls, String path, String body, String clientKey, int perSecond, Duration duration)
            throws InterruptedException {
        return run(urls, List.of(clientKey), path, body, perSecond, duration);
    }

    /**
     * Request n goes to node {@code n mod urls} with client key {@code (n / urls) mod keys}: every node sees
     * every client key equally often, so each node and each client key offers the same load.
     */
    public static Result run(
            List<String> urls, List<String> clientKeys, String path, String body, int perSecond, Duration duration)
            throws InterruptedException {
        Map<String, Long> okByUrl = new ConcurrentHashMap<>();
        Map<String, Long> okByClientKey = new ConcurrentHashMap<>();
        Map<String, Long> okByClientKeyWhileOffered = new ConcurrentHashMap<>();
        Map<Integer, Long> byStatus = new ConcurrentHashMap<>();
        List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        int total = (int) (perSecond * duration.toMillis() / 1_000);
        CountDownLatch done = new CountDownLatch(total);
        AtomicLong sent = new AtomicLong();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        long periodMicros = 1_000_000L / perSecond;
        var unused = timer.scheduleAtFixedRate(
                () -> {
                    long n = sent.getAndIncrement();
                    if (n >= total) {
                        return;
                    }
                    String node = urls.get((int) (n % urls.size()));
                    String clientKey = clientKeys.get((int) ((n / urls.size()) % clientKeys.size()));
                    HttpRequest request = HttpRequest.newBuilder(URI.create(node + path))
                            .timeout(Duration.ofSeconds(30))
                            .header("content-type", "application/json")
                            .header("authorization", "Bearer " + clientKey)
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build();
                    var unusedSend = CLIENT.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                            .whenComplete((r, err) -> {
                                byStatus.merge(err == null ? r.statusCode() : 0, 1L, Long::sum);
                                if (err == null && r.statusCode() == 200) {
                                    okByUrl.merge(node, 1L, Long::sum);
                                    okByClientKey.merge(clientKey, 1L, Long::sum);
                                    if (sent.get() < total) {
                                        okByClientKeyWhileOffered.merge(clientKey, 1L, Long::sum);
                                    }
                                }
                                if (err != null && errors.size() < 5) {
                                    errors.add(err.toString());
                                }
                                done.countDown();
                            });
                },
                0,
                periodMicros,
                TimeUnit.MICROSECONDS);
        boolean finished = done.await(duration.toMillis() + 40_000, TimeUnit.MILLISECONDS);
        timer.shutdownNow();
        if (!finished) {
            throw new AssertionError("requests still unanswered 40 s after the load stopped: " + byStatus);
        }
        if (!errors.isEmpty()) {
            System.out.println("client-side errors (first 5): " + errors);
        }
        return new Result(
                Map.copyOf(byStatus),
                Math.min(sent.get(), total),
                Map.copyOf(okByUrl),
                Map.copyOf(okByClientKey),
                Map.copyOf(okByClientKeyWhileOffered));
    }
}
