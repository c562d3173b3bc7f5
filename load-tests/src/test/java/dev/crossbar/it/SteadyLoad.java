package dev.crossbar.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Open-loop load until stopped, unlike {@link LoadDriver}'s fixed run: plain and streamed chat requests at
 * fixed rates to one URL, each outcome kept with its send and end times, so a test can tell which phase a
 * request belonged to and whether it was in flight at a given moment. A stream counts as complete only
 * when its {@code [DONE]} arrived; a plain reply only with its {@code choices}. Bounded: at most
 * {@code maxInFlight} requests at once (beyond that a tick is counted as skipped, not sent).
 */
public final class SteadyLoad implements AutoCloseable {

    /** One request's fate. {@code upstream} is nginx's X-Upstream-Addr: the node(s) it went to. */
    public record Outcome(
            long sentNanos,
            long endNanos,
            boolean stream,
            int status,
            boolean complete,
            String upstream,
            String error) {
        public boolean ok() {
            return status == 200 && complete && error == null;
        }

        public boolean inFlightAt(long nanos) {
            return sentNanos <= nanos && endNanos >= nanos;
        }

        /** nginx moved it to another node before any byte reached the client. */
        public boolean retried() {
            return upstream != null && upstream.contains(",");
        }

        @Override
        public String toString() {
            return (stream ? "stream" : "plain") + " status " + status + (complete ? " complete" : " INCOMPLETE")
                    + " via " + upstream + (error == null ? "" : " error " + error);
        }
    }

    private final HttpClient client;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong ticks = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final String url;
    private final String clientKey;
    private final String model;
    private final int perSecond;
    private final int streamEvery;
    private final int maxInFlight;

    /**
     * @param perSecond   requests per second in all
     * @param streamEvery every n-th request is streamed (0 = none)
     */
    public SteadyLoad(String url, String clientKey, String model, int perSecond, int streamEvery, int maxInFlight) {
        this.url = url;
        this.clientKey = clientKey;
        this.model = model;
        this.perSecond = perSecond;
        this.streamEvery = streamEvery;
        this.maxInFlight = maxInFlight;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(executor)
                .build();
    }

    public SteadyLoad start() {
        var unused = timer.scheduleAtFixedRate(this::tick, 0, 1_000_000L / perSecond, TimeUnit.MICROSECONDS);
        return this;
    }

    private void tick() {
        long n = ticks.incrementAndGet();
        if (inFlight.get() >= maxInFlight) {
            skipped.incrementAndGet();
            return;
        }
        boolean stream = streamEvery > 0 && n % streamEvery == 0;
        String body = "{\"model\":\"" + model + "\",\"max_tokens\":20,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"request " + n + "\"}]}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(45))
                .header("content-type", "application/json")
                .header("authorization", "Bearer " + clientKey)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        long sent = System.nanoTime();
        String[] upstream = new String[1];
        int[] status = new int[1];
        inFlight.incrementAndGet();
        var unused = client.sendAsync(request, info -> {
                    status[0] = info.statusCode();
                    upstream[0] = info.headers().firstValue("x-upstream-addr").orElse(null);
                    return HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8);
                })
                .whenComplete((r, err) -> {
                    long end = System.nanoTime();
                    inFlight.decrementAndGet();
                    if (err != null) {
                        outcomes.add(new Outcome(sent, end, stream, status[0], false, upstream[0], err.toString()));
                        return;
                    }
                    String b = r.body();
                    boolean complete = stream ? b.contains("data: [DONE]") : b.contains("\"choices\"");
                    outcomes.add(new Outcome(
                            sent,
                            end,
                            stream,
                            r.statusCode(),
                            complete,
                            upstream[0],
                            r.statusCode() == 200 ? null : b.length() > 300 ? b.substring(0, 300) : b));
                });
    }

    /** Stops sending and waits for the answers still out; returns every outcome. */
    public List<Outcome> stop(Duration wait) throws InterruptedException {
        timer.shutdownNow();
        long deadline = System.nanoTime() + wait.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (inFlight.get() > 0) {
            throw new AssertionError(inFlight.get() + " requests still unanswered " + wait + " after the load stopped");
        }
        return new ArrayList<>(outcomes);
    }

    public long skipped() {
        return skipped.get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        executor.shutdownNow();
    }
}
