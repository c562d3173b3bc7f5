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

    /** What came back: count per status. */
    public record Result(Map<Integer, Long> byStatus, long sent) {
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
                    String url = urls.get((int) (n % urls.size())) + path;
                    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(30))
                            .header("content-type", "application/json")
                            .header("authorization", "Bearer " + clientKey)
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build();
                    var unusedSend = CLIENT.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                            .whenComplete((r, err) -> {
                                byStatus.merge(err == null ? r.statusCode() : 0, 1L, Long::sum);
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
        return new Result(Map.copyOf(byStatus), Math.min(sent.get(), total));
    }
}
