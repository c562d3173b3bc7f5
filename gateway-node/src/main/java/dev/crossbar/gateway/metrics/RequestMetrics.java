package dev.crossbar.gateway.metrics;

import dev.crossbar.gateway.config.MetricsConfig;
import dev.crossbar.gateway.pricing.Cost;
import dev.crossbar.gateway.proxy.RequestObserver;
import dev.crossbar.gateway.proxy.RequestRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Request metrics: what every finished request did, by client protocol, provider, model and outcome, and
 * what it cost by client key, team, model and provider. Labels come only from bounded sets (protocol labels,
 * configured providers and models, fixed outcome and reason words, client keys and teams up to the bounds of
 * {@link MetricsConfig}), and each combination's meters are built once and cached, so recording a request
 * costs map lookups and atomic adds.
 */
public final class RequestMetrics implements RequestObserver {

    /** The label value for "not known" (an unknown model, a request that never reached a provider). */
    static final String NONE = "none";

    /** Upstream and end-to-end latency buckets: LLM calls take from milliseconds to minutes. */
    private static final Duration[] SLOW_BUCKETS =
            millis(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 120_000);
    /** The gateway's own overhead should be far below a millisecond; buckets from 100 µs. */
    private static final Duration[] FAST_BUCKETS =
            micros(100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 1_000_000);

    private final LongAdder completed = new LongAdder();
    private final LabelCache<Counter> requests;
    private final LabelCache<Counter> tokens;
    private final LabelCache<Timer> duration;
    private final LabelCache<Timer> added;
    private final LabelCache<Timer> firstByte;
    private final LabelCache<Timer> upstream;
    private final LabelCache<Counter> retries;
    private final LabelCache<Counter> failovers;
    private final LabelCache<Timer> queueWait;
    private final LabelCache<Counter> queueRejections;
    private final LabelCache<Counter> cost;
    private final LabelCache<Counter> unpriced;
    private final BoundedLabels clients;
    private final BoundedLabels teams;

    /** Metrics with the default bounds on client and team labels. */
    public RequestMetrics(MeterRegistry registry) {
        this(registry, MetricsConfig.defaults());
    }

    public RequestMetrics(MeterRegistry registry, MetricsConfig bounds) {
        clients = new BoundedLabels(bounds.clientLabels());
        teams = new BoundedLabels(bounds.teamLabels());
        cost = new LabelCache<>(l -> Counter.builder("crossbar.cost.usd")
                .description("What requests cost in US dollars at their targets' prices (unpriced requests apart)")
                .tags("client", l[0], "team", l[1], "model", l[2], "provider", l[3])
                .register(registry));
        unpriced = new LabelCache<>(l -> Counter.builder("crossbar.requests.unpriced")
                .description("Requests a provider answered on a target with no price: their cost is unknown")
                .tags("client", l[0], "team", l[1], "model", l[2], "provider", l[3])
                .register(registry));
        requests = new LabelCache<>(l -> Counter.builder("crossbar.requests")
                .description("Requests finished, by client protocol, provider, model and outcome")
                .tags("protocol", l[0], "provider", l[1], "model", l[2], "outcome", l[3])
                .register(registry));
        tokens = new LabelCache<>(l -> Counter.builder("crossbar.tokens")
                .description("Tokens the providers counted: in (prompt) and out (completion)")
                .tags("provider", l[0], "model", l[1], "direction", l[2])
                .register(registry));
        duration = new LabelCache<>(l -> Timer.builder("crossbar.request.duration")
                .description("Whole request as the client sees it, from first byte in to last byte out")
                .tags("protocol", l[0], "provider", l[1])
                .serviceLevelObjectives(SLOW_BUCKETS)
                .register(registry));
        added = new LabelCache<>(l -> Timer.builder("crossbar.added.latency")
                .description("Time the gateway itself added: total minus upstream time and queue wait")
                .tags("protocol", l[0], "provider", l[1])
                .serviceLevelObjectives(FAST_BUCKETS)
                .register(registry));
        firstByte = new LabelCache<>(l -> Timer.builder("crossbar.upstream.first.byte")
                .description("Upstream time to the first byte of the answer (successful attempt)")
                .tags("provider", l[0])
                .serviceLevelObjectives(SLOW_BUCKETS)
                .register(registry));
        upstream = new LabelCache<>(l -> Timer.builder("crossbar.upstream.duration")
                .description("Time spent on upstream calls per request, every attempt included")
                .tags("provider", l[0])
                .serviceLevelObjectives(SLOW_BUCKETS)
                .register(registry));
        retries = new LabelCache<>(l -> Counter.builder("crossbar.retries")
                .description("Attempts that failed before any byte reached the client and were retried on another key")
                .tags("provider", l[0], "reason", l[1])
                .register(registry));
        failovers = new LabelCache<>(l -> Counter.builder("crossbar.failovers")
                .description("Requests moved to the model's next target because a provider had no capacity")
                .tags("provider", l[0])
                .register(registry));
        queueWait = new LabelCache<>(l -> Timer.builder("crossbar.queue.wait")
                .description("Time requests waited for key capacity before they were admitted")
                .tags("model", l[0])
                .serviceLevelObjectives(SLOW_BUCKETS)
                .register(registry));
        queueRejections = new LabelCache<>(l -> Counter.builder("crossbar.queue.rejections")
                .description("Requests refused because the wait queue was full or the wait timed out")
                .tags("model", l[0])
                .register(registry));
    }

    @Override
    public void completed(RequestRecord r) {
        completed.increment();
        String protocol = label(r.clientProtocol());
        String provider = label(r.provider());
        String model = label(r.model());
        requests.get(protocol, provider, model, label(r.outcome())).increment();
        if (r.inputTokens() > 0) {
            tokens.get(provider, model, "in").increment((double) r.inputTokens());
        }
        if (r.outputTokens() > 0) {
            tokens.get(provider, model, "out").increment((double) r.outputTokens());
        }
        duration.get(protocol, provider).record(r.totalNanos(), TimeUnit.NANOSECONDS);
        if (r.upstreamNanos() > 0) {
            long own = r.totalNanos() - r.upstreamNanos() - r.queueNanos();
            added.get(protocol, provider).record(Math.max(0, own), TimeUnit.NANOSECONDS);
            upstream.get(provider).record(r.upstreamNanos(), TimeUnit.NANOSECONDS);
        }
        if (r.firstByteNanos() >= 0) {
            firstByte.get(provider).record(r.firstByteNanos(), TimeUnit.NANOSECONDS);
        }
        spent(r, provider, model);
    }

    private void spent(RequestRecord r, String provider, String model) {
        if (r.cost() == Cost.NONE) {
            return; // no provider answered: nothing was spent
        }
        String client = clients.label(r.clientKey());
        String team = teams.label(r.team());
        if (r.cost() instanceof Cost.Known k) {
            cost.get(client, team, model, provider).increment(k.usd().doubleValue());
        } else {
            unpriced.get(client, team, model, provider).increment();
        }
    }

    @Override
    public void retried(String provider, @Nullable String keyId, @Nullable String reason, boolean fallback) {
        if (fallback) {
            failovers.get(label(provider)).increment();
        } else {
            retries.get(label(provider), reasonLabel(reason)).increment();
        }
    }

    @Override
    public void queued(String model, long waitedNanos, boolean admitted) {
        if (admitted) {
            queueWait.get(label(model)).record(waitedNanos, TimeUnit.NANOSECONDS);
        } else {
            queueRejections.get(label(model)).increment();
        }
    }

    /** Requests this node has finished since it started (for the requests-per-second figure). */
    public long completedCount() {
        return completed.sum();
    }

    private static String label(@Nullable String value) {
        return value == null ? NONE : value;
    }

    /** The free-text reason of a failed attempt, as one of a few fixed words (bounded label values). */
    static String reasonLabel(@Nullable String reason) {
        if (reason == null || reason.isEmpty()) {
            return "other";
        }
        char c = reason.charAt(0);
        if (c >= '1' && c <= '9' && reason.length() >= 3) {
            if (reason.startsWith("429")) {
                return "rate_limited";
            }
            if (reason.startsWith("401") || reason.startsWith("403")) {
                return "unauthorized";
            }
            if (reason.startsWith("408")) {
                return "timeout";
            }
            return c == '5' ? "upstream_5xx" : "upstream_error";
        }
        if (reason.startsWith("key refused")) {
            return "unauthorized";
        }
        if (reason.startsWith("out of credit")) {
            return "out_of_credit";
        }
        if (reason.startsWith("no capacity")) {
            return "no_capacity";
        }
        if (reason.startsWith("malformed")) {
            return "malformed_answer";
        }
        if (reason.startsWith("empty stream") || reason.startsWith("stream broke")) {
            return "stream_broken";
        }
        if (reason.contains("Timeout")) {
            return "timeout";
        }
        if (reason.contains("Exception")) {
            return "connection";
        }
        return "other";
    }

    private static Duration[] millis(long... values) {
        Duration[] d = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = Duration.ofMillis(values[i]);
        }
        return d;
    }

    private static Duration[] micros(long... values) {
        Duration[] d = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = Duration.ofNanos(values[i] * 1_000);
        }
        return d;
    }
}
