package dev.crossbar.gateway.admin;

import dev.crossbar.cluster.ledger.KeyState;
import dev.crossbar.cluster.ledger.Ledger;
import dev.crossbar.gateway.upstream.ProviderKey;
import dev.crossbar.gateway.upstream.Upstream;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's charts: requests and tokens per minute per provider over the last 15 minutes,
 * sampled every few seconds from the ledger's cluster-wide counters, so every node can draw the whole
 * cluster's traffic and a freshly opened page has history at once.
 */
final class Throughput {

    static final long STEP_MILLIS = 5_000;
    static final int POINTS = 180;
    private static final int SMOOTHING = 3;

    /** Per-minute rates per provider over the step that ended at {@code t}. */
    record Point(long t, Map<String, Double> requests, Map<String, Double> tokens) {}

    /** {@code GET /admin/api/history}. */
    record History(long now, long stepMillis, List<String> providers, List<Point> points) {}

    private record Sample(long t, Map<String, Long> requests, Map<String, Long> tokens) {}

    private final Ledger ledger;
    private final Map<String, Upstream> upstreams;
    private final Sample[] ring = new Sample[POINTS + 1];
    private int taken;

    Throughput(Ledger ledger, Map<String, Upstream> upstreams) {
        this.ledger = ledger;
        this.upstreams = upstreams;
    }

    void start(Vertx vertx) {
        sample();
        vertx.setPeriodic(STEP_MILLIS, id -> sample());
    }

    synchronized void sample() {
        Map<String, KeyState> snapshot = ledger.snapshot();
        Map<String, Long> requests = new LinkedHashMap<>();
        Map<String, Long> tokens = new LinkedHashMap<>();
        for (Upstream upstream : upstreams.values()) {
            long r = 0;
            long t = 0;
            for (ProviderKey key : upstream.keys()) {
                KeyState s = snapshot.get(key.id());
                if (s != null) {
                    r += s.requestsConsumed();
                    t += s.tokensConsumed();
                }
            }
            requests.put(upstream.id(), r);
            tokens.put(upstream.id(), t);
        }
        ring[taken % ring.length] = new Sample(System.currentTimeMillis(), requests, tokens);
        taken++;
    }

    synchronized History history() {
        List<String> providers = new ArrayList<>(upstreams.keySet());
        providers.sort(null);
        List<Point> points = new ArrayList<>();
        int count = Math.min(taken, ring.length);
        for (int i = 1; i < count; i++) {
            // Each point averages over up to SMOOTHING steps: nodes report use in batches (lease exchanges).
            Sample before = ring[(taken - count + Math.max(0, i - SMOOTHING)) % ring.length];
            Sample after = ring[(taken - count + i) % ring.length];
            double minutes = Math.max(1, after.t() - before.t()) / 60_000.0;
            points.add(new Point(
                    after.t(),
                    rates(before.requests(), after.requests(), minutes),
                    rates(before.tokens(), after.tokens(), minutes)));
        }
        return new History(System.currentTimeMillis(), STEP_MILLIS, providers, points);
    }

    private static Map<String, Double> rates(Map<String, Long> before, Map<String, Long> after, double minutes) {
        Map<String, Double> out = new LinkedHashMap<>();
        after.forEach((provider, total) -> {
            // A deleted key takes its counts with it: never draw a negative rate.
            long delta = Math.max(0, total - before.getOrDefault(provider, total));
            out.put(provider, Math.round(delta / minutes * 10) / 10.0);
        });
        return out;
    }
}
