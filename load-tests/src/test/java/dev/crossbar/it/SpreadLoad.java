package dev.crossbar.it;

import dev.crossbar.bench.load.LoadGenerator;
import dev.crossbar.bench.load.LoadOptions;
import dev.crossbar.bench.load.LoadRequest;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fixed rate of chat calls for a fixed time, spread evenly over the given nodes and client keys, driven by
 * the bench's {@link LoadGenerator} (open loop, each node its share of the rate) and counted by status, node
 * and client key. Bounded: every call gets 30 s to be answered.
 */
public final class SpreadLoad {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    /** Connections per node: enough for the calls a node holds in its queue for a few seconds. */
    private static final int MAX_CONNECTIONS = 256;
    /** One client for every run of the JVM, as a test's own HTTP client would be: no threads or files per run. */
    private static final Vertx VERTX = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));

    /**
     * What came back: count per status (0 = no HTTP answer), and the 200s per node URL and per client key.
     *
     * @param okByUrl successful answers per node URL
     * @param okByClientKey successful answers per client key
     * @param okByClientKeyWhileOffered successful answers per client key that came while calls were still
     *     being offered (what comes after only drains what was queued)
     * @param span from the first call's due time to the last answer: the time calls were being made
     */
    public record Result(
            Map<Integer, Long> byStatus,
            long sent,
            Map<String, Long> okByUrl,
            Map<String, Long> okByClientKey,
            Map<String, Long> okByClientKeyWhileOffered,
            Duration span) {
        public long count(int status) {
            return byStatus.getOrDefault(status, 0L);
        }

        public long failures() {
            return sent - count(200) - count(429);
        }
    }

    private SpreadLoad() {}

    public static Result run(
            List<String> urls, String path, String body, String clientKey, int perSecond, Duration duration)
            throws Exception {
        return run(urls, List.of(clientKey), path, body, perSecond, duration);
    }

    /** Each node gets {@code perSecond / urls} calls a second, each client key an equal part of them. */
    public static Result run(
            List<String> urls, List<String> clientKeys, String path, String body, int perSecond, Duration duration)
            throws Exception {
        List<LoadRequest> requests = new ArrayList<>();
        for (String key : clientKeys) {
            requests.add(LoadRequest.postJson(path, body, "authorization", "Bearer " + key));
        }
        double perNode = (double) perSecond / urls.size();
        int connections = (int) Math.min(MAX_CONNECTIONS, Math.max(4, Math.ceil(perNode * 4)));
        LoadOptions options = LoadOptions.open(
                        port(urls.get(0)), requests, connections, perNode, Duration.ZERO, duration)
                .withTimeout(CALL_TIMEOUT);
        Map<Integer, String> urlByPort = new HashMap<>();
        List<Integer> ports = new ArrayList<>();
        for (String url : urls) {
            urlByPort.put(port(url), url);
            ports.add(port(url));
        }
        Map<Integer, Long> byStatus = new ConcurrentHashMap<>();
        Map<String, Long> okByUrl = new ConcurrentHashMap<>();
        Map<String, Long> okByClientKey = new ConcurrentHashMap<>();
        Map<String, Long> okByClientKeyWhileOffered = new ConcurrentHashMap<>();
        AtomicLong sent = new AtomicLong();
        AtomicLong firstDue = new AtomicLong(Long.MAX_VALUE);
        AtomicLong lastEnd = new AtomicLong(Long.MIN_VALUE);
        LoadGenerator.run(VERTX, options, ports, answer -> {
            sent.incrementAndGet();
            firstDue.accumulateAndGet(answer.intendedNanos(), Math::min);
            lastEnd.accumulateAndGet(answer.endNanos(), Math::max);
            int status = answer.outcome().chars().allMatch(Character::isDigit) ? Integer.parseInt(answer.outcome()) : 0;
            byStatus.merge(status, 1L, Long::sum);
            if (status == 200) {
                String clientKey = clientKeys.get(answer.request());
                okByUrl.merge(urlByPort.get(answer.port()), 1L, Long::sum);
                okByClientKey.merge(clientKey, 1L, Long::sum);
                if (answer.whileOffered()) {
                    okByClientKeyWhileOffered.merge(clientKey, 1L, Long::sum);
                }
            }
        });
        return new Result(
                Map.copyOf(byStatus),
                sent.get(),
                Map.copyOf(okByUrl),
                Map.copyOf(okByClientKey),
                Map.copyOf(okByClientKeyWhileOffered),
                Duration.ofNanos(sent.get() == 0 ? 0 : lastEnd.get() - firstDue.get()));
    }

    private static int port(String url) {
        URI uri = URI.create(url);
        if (!"127.0.0.1".equals(uri.getHost())) {
            throw new IllegalArgumentException("loopback nodes only: " + url);
        }
        return uri.getPort();
    }
}
