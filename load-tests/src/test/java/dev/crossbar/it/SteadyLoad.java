package dev.crossbar.it;

import dev.crossbar.bench.load.LoadGenerator;
import dev.crossbar.bench.load.LoadOptions;
import dev.crossbar.bench.load.LoadRequest;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Chat traffic until stopped, driven by the bench's {@link LoadGenerator} (open loop, one URL): plain and
 * streamed chat requests at a fixed rate, each outcome kept with its send and end times, so a test can tell
 * which phase a request belonged to and whether it was in flight at a given moment. A stream counts as
 * complete only when its {@code [DONE]} arrived; a plain reply only with its {@code choices}. Bounded: at most
 * {@code maxInFlight} requests at once (a request due while all are out is skipped, not sent), each given 45 s
 * without a byte before it counts as failed.
 */
public final class SteadyLoad implements AutoCloseable {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(45);
    private static final String UPSTREAM = "x-upstream-addr";

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

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final AtomicLong skipped = new AtomicLong();
    /** Which of the requests (sent in turn) is the streamed one; -1 for none. */
    private final int streamed;

    private final LoadGenerator.Run run;

    /**
     * Starts the load.
     *
     * @param perSecond requests per second in all
     * @param streamEvery every n-th request is streamed (0 = none)
     */
    public SteadyLoad(String url, String clientKey, String model, int perSecond, int streamEvery, int maxInFlight) {
        URI uri = URI.create(url);
        if (!"127.0.0.1".equals(uri.getHost())) {
            throw new IllegalArgumentException("a loopback URL: " + url);
        }
        this.streamed = streamEvery - 1;
        List<LoadRequest> requests = new ArrayList<>();
        for (int i = 0; i < Math.max(1, streamEvery); i++) {
            requests.add(chat(clientKey, model, i == streamed));
        }
        LoadOptions options = LoadOptions.open(
                        uri.getPort(), requests, maxInFlight, perSecond, Duration.ZERO, Duration.ofMinutes(30))
                .withTimeout(CALL_TIMEOUT)
                .withMaxBacklog(0)
                .withAnswerHeaders(UPSTREAM);
        this.run = LoadGenerator.start(vertx, options, List.of(uri.getPort()), this::count);
    }

    private static LoadRequest chat(String clientKey, String model, boolean stream) {
        String body = "{\"model\":\"" + model + "\",\"max_tokens\":20,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"steady load\"}]}";
        return LoadRequest.postJson("/v1/chat/completions", body, "authorization", "Bearer " + clientKey)
                .expecting(stream ? "data: [DONE]" : "\"choices\"");
    }

    private void count(LoadGenerator.Answer a) {
        if (a.outcome().equals("unsent")) {
            skipped.incrementAndGet();
            return;
        }
        boolean answered = a.outcome().chars().allMatch(Character::isDigit);
        int status = answered ? Integer.parseInt(a.outcome()) : 0;
        String error = status == 200 ? null : answered ? a.detail() : a.outcome() + ": " + a.detail();
        outcomes.add(new Outcome(
                a.intendedNanos(),
                a.endNanos(),
                a.request() == streamed,
                status,
                a.complete(),
                a.headers().get(UPSTREAM),
                error));
    }

    /** Stops sending and waits for the answers still out (what has none after 45 s failed); every outcome. */
    public List<Outcome> stop() throws Exception {
        run.stop();
        return new ArrayList<>(outcomes);
    }

    /** Requests skipped because {@code maxInFlight} were out. */
    public long skipped() {
        return skipped.get();
    }

    @Override
    public void close() throws TimeoutException {
        run.close();
        vertx.close().await(10, TimeUnit.SECONDS);
    }
}
