package dev.crossbar.gateway.metrics;

import dev.crossbar.cluster.ledger.KeyState;
import dev.crossbar.cluster.ledger.Ledger;
import dev.crossbar.gateway.upstream.ProviderKey;
import dev.crossbar.gateway.upstream.Upstream;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Per-key gauges read from the node's ledger snapshot at scrape time: utilisation (1 - headroom),
 * requests in flight cluster-wide, and the state as one 0/1 series per state word. Keys come and go
 * at run time (admin API), so the set of gauges is brought up to date before every scrape.
 */
final class KeyMetrics {

    private final MeterRegistry registry;
    private final Ledger ledger;
    private final Iterable<Upstream> upstreams;
    private final Map<String, Registered> registered = new HashMap<>();

    private record Registered(String provider, List<Meter> meters) {}

    KeyMetrics(MeterRegistry registry, Ledger ledger, Iterable<Upstream> upstreams) {
        this.registry = registry;
        this.ledger = ledger;
        this.upstreams = upstreams;
    }

    /** Adds gauges for new keys and removes those of deleted ones. */
    synchronized void sync() {
        Map<String, String> current = new HashMap<>();
        for (Upstream upstream : upstreams) {
            for (ProviderKey key : upstream.keys()) {
                if (key.secret() != null) {
                    current.put(key.id(), key.providerId());
                }
            }
        }
        for (Iterator<Map.Entry<String, Registered>> it = registered.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Registered> e = it.next();
            if (!e.getValue().provider().equals(current.get(e.getKey()))) {
                e.getValue().meters().forEach(registry::remove);
                it.remove();
            }
        }
        current.forEach((id, provider) -> registered.computeIfAbsent(id, k -> register(k, provider)));
    }

    private Registered register(String id, String provider) {
        List<Meter> meters = new ArrayList<>();
        meters.add(Gauge.builder("crossbar.key.utilisation.ratio", this, m -> m.utilisation(id))
                .description("Share of the key's tightest limit in use now (1 - headroom), cluster-wide")
                .tags("key", id, "provider", provider)
                .register(registry));
        meters.add(Gauge.builder("crossbar.key.in.flight", this, m -> m.inFlight(id))
                .description("Requests in flight on the key across the cluster")
                .tags("key", id, "provider", provider)
                .register(registry));
        for (KeyUse.State state : KeyUse.State.values()) {
            meters.add(Gauge.builder("crossbar.key.state", this, m -> m.is(id, state))
                    .description("1 for the key's current state (active, cooling_down, disabled, probing), else 0")
                    .tags("key", id, "provider", provider, "state", state.word())
                    .register(registry));
        }
        return new Registered(provider, meters);
    }

    private double utilisation(String id) {
        KeyState s = ledger.snapshot().get(id);
        return s == null ? Double.NaN : KeyUse.utilisation(s, ledger.now());
    }

    private double inFlight(String id) {
        KeyState s = ledger.snapshot().get(id);
        return s == null ? Double.NaN : s.inFlight();
    }

    private double is(String id, KeyUse.State state) {
        KeyState s = ledger.snapshot().get(id);
        return s == null ? Double.NaN : KeyUse.state(s, ledger.now()) == state ? 1 : 0;
    }
}
