package dev.crossbar.bench.load;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What one load run does: where to (loopback only), which requests (sent in turn), open or closed loop,
 * how many connections, and for how long. Everything is bounded: the run stops at {@code warmup +
 * duration}, after {@code maxRequests} or when {@linkplain LoadGenerator.Run#stop() stopped}, whichever
 * comes first, and gives outstanding requests at most {@code timeout} to finish.
 *
 * @param rate requests per second offered in {@link Mode#OPEN}; ignored in {@link Mode#CLOSED}
 * @param eventLoops event loops the generator's connections are spread over
 * @param maxBacklog scheduled requests an open-loop run may hold back while every connection is busy;
 *     beyond it a request is counted as {@code unsent} (the target is far behind); 0 bounds the requests
 *     in flight at {@code connections} and never delays one
 * @param answerHeaders response headers (lower case) each {@link LoadGenerator.Answer} carries when the
 *     target sent them
 */
public record LoadOptions(
        String host,
        int port,
        List<LoadRequest> requests,
        Mode mode,
        int connections,
        double rate,
        Duration warmup,
        Duration duration,
        long maxRequests,
        Duration timeout,
        int eventLoops,
        int maxBacklog,
        List<String> answerHeaders) {

    /** Open loop: requests leave at fixed times, latency counts from then. Closed loop: each connection sends the next when the previous is done. */
    public enum Mode {
        OPEN,
        CLOSED
    }

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_BACKLOG = 100_000;
    static final long MAX_REQUESTS_CAP = 10_000_000;

    public LoadOptions {
        if (!"127.0.0.1".equals(host) && !"localhost".equals(host) && !"::1".equals(host)) {
            throw new IllegalArgumentException("the load generator only drives loopback targets, host was " + host);
        }
        if (port <= 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port);
        }
        requests = List.copyOf(requests);
        if (requests.isEmpty()) {
            throw new IllegalArgumentException("requests must not be empty");
        }
        if (connections < 1 || connections > 4_096) {
            throw new IllegalArgumentException("connections must be 1..4096, was " + connections);
        }
        if (mode == Mode.OPEN && !(rate > 0 && rate <= 1_000_000)) {
            throw new IllegalArgumentException("rate must be within (0, 1000000] for an open loop, was " + rate);
        }
        if (warmup.isNegative() || duration.isNegative() || duration.isZero() || duration.toMinutes() > 30) {
            throw new IllegalArgumentException(
                    "duration must be within (0, 30m] and warmup >= 0, were " + duration + " and " + warmup);
        }
        if (maxRequests < 1 || maxRequests > MAX_REQUESTS_CAP) {
            throw new IllegalArgumentException("maxRequests must be 1.." + MAX_REQUESTS_CAP + ", was " + maxRequests);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be > 0, was " + timeout);
        }
        if (eventLoops < 1 || eventLoops > 16) {
            throw new IllegalArgumentException("eventLoops must be 1..16, was " + eventLoops);
        }
        if (maxBacklog < 0) {
            throw new IllegalArgumentException("maxBacklog must be >= 0, was " + maxBacklog);
        }
        answerHeaders =
                answerHeaders.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    }

    /** A fixed-rate run on 127.0.0.1. */
    public static LoadOptions open(
            int port, List<LoadRequest> requests, int connections, double rate, Duration warmup, Duration duration) {
        return new LoadOptions(
                "127.0.0.1",
                port,
                requests,
                Mode.OPEN,
                connections,
                rate,
                warmup,
                duration,
                MAX_REQUESTS_CAP,
                DEFAULT_TIMEOUT,
                Math.min(2, connections),
                DEFAULT_MAX_BACKLOG,
                List.of());
    }

    /** A max-throughput run on 127.0.0.1. */
    public static LoadOptions closed(
            int port, List<LoadRequest> requests, int connections, Duration warmup, Duration duration) {
        return new LoadOptions(
                "127.0.0.1",
                port,
                requests,
                Mode.CLOSED,
                connections,
                0,
                warmup,
                duration,
                MAX_REQUESTS_CAP,
                DEFAULT_TIMEOUT,
                Math.min(2, connections),
                DEFAULT_MAX_BACKLOG,
                List.of());
    }

    public LoadOptions withTimeout(Duration t) {
        return new LoadOptions(
                host,
                port,
                requests,
                mode,
                connections,
                rate,
                warmup,
                duration,
                maxRequests,
                t,
                eventLoops,
                maxBacklog,
                answerHeaders);
    }

    public LoadOptions withEventLoops(int n) {
        return new LoadOptions(
                host,
                port,
                requests,
                mode,
                connections,
                rate,
                warmup,
                duration,
                maxRequests,
                timeout,
                n,
                maxBacklog,
                answerHeaders);
    }

    public LoadOptions withMaxRequests(long n) {
        return new LoadOptions(
                host,
                port,
                requests,
                mode,
                connections,
                rate,
                warmup,
                duration,
                n,
                timeout,
                eventLoops,
                maxBacklog,
                answerHeaders);
    }

    public LoadOptions withPort(int p) {
        return new LoadOptions(
                host,
                p,
                requests,
                mode,
                connections,
                rate,
                warmup,
                duration,
                maxRequests,
                timeout,
                eventLoops,
                maxBacklog,
                answerHeaders);
    }

    public LoadOptions withRequests(List<LoadRequest> r) {
        return new LoadOptions(
                host,
                port,
                r,
                mode,
                connections,
                rate,
                warmup,
                duration,
                maxRequests,
                timeout,
                eventLoops,
                maxBacklog,
                answerHeaders);
    }

    public LoadOptions withMaxBacklog(int n) {
        return new LoadOptions(
                host,
                port,
                requests,
                mode,
                connections,
                rate,
                warmup,
                duration,
                maxRequests,
                timeout,
                eventLoops,
                n,
                answerHeaders);
    }

    /** Each answer carries these response headers. */
    public LoadOptions withAnswerHeaders(String... names) {
        return new LoadOptions(
                host,
                port,
                requests,
                mode,
                connections,
                rate,
                warmup,
                duration,
                maxRequests,
                timeout,
                eventLoops,
                maxBacklog,
                List.of(names));
    }
}
