package dev.crossbar.gateway.node;

import dev.crossbar.cluster.lease.LocalLeases;
import dev.crossbar.cluster.ledger.Ledger;
import dev.crossbar.gateway.auth.ClientKeyDirectory;
import dev.crossbar.gateway.auth.ClientKeys;
import dev.crossbar.gateway.config.GatewayConfig;
import dev.crossbar.gateway.keys.KeyDirectory;
import dev.crossbar.gateway.keys.KeyPool;
import dev.crossbar.gateway.pricing.PriceDirectory;
import dev.crossbar.gateway.pricing.Prices;
import dev.crossbar.gateway.proxy.RequestObserver;
import dev.crossbar.gateway.responses.ResponsesState;
import dev.crossbar.gateway.routing.ModelRoutes;
import dev.crossbar.gateway.upstream.Codecs;
import dev.crossbar.gateway.upstream.Upstream;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every event loop of a node shares: configuration, routes, client keys, the key pool and its
 * ledger, codecs, prices, the Responses state and the request observer. Immutable apart from the counters.
 */
public final class NodeServices {

    private final GatewayConfig config;
    private final Map<String, Upstream> upstreams;
    private final ModelRoutes routes;
    private final ClientKeyDirectory clientKeyDirectory;
    private final Ledger ledger;
    private final LocalLeases leases;
    private final KeyPool pool;
    private final KeyDirectory keyDirectory;
    private final Codecs codecs;
    private final RequestObserver observer;
    private final ResponsesState responsesState;
    private final String nodeId;
    private final PriceDirectory prices;
    private final long startedAtMillis = System.currentTimeMillis();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;

    public NodeServices(
            GatewayConfig config,
            Map<String, Upstream> upstreams,
            ModelRoutes routes,
            ClientKeyDirectory clientKeyDirectory,
            Ledger ledger,
            LocalLeases leases,
            KeyPool pool,
            KeyDirectory keyDirectory,
            Codecs codecs,
            RequestObserver observer,
            ResponsesState responsesState,
            String nodeId,
            PriceDirectory prices) {
        this.config = config;
        this.upstreams = Map.copyOf(upstreams);
        this.routes = routes;
        this.clientKeyDirectory = clientKeyDirectory;
        this.ledger = ledger;
        this.leases = leases;
        this.pool = pool;
        this.keyDirectory = keyDirectory;
        this.codecs = codecs;
        this.observer = observer;
        this.responsesState = responsesState;
        this.nodeId = nodeId;
        this.prices = prices;
    }

    public GatewayConfig config() {
        return config;
    }

    public Map<String, Upstream> upstreams() {
        return upstreams;
    }

    public ModelRoutes routes() {
        return routes;
    }

    public ClientKeys clientKeys() {
        return clientKeyDirectory.current();
    }

    public ClientKeyDirectory clientKeyDirectory() {
        return clientKeyDirectory;
    }

    public Ledger ledger() {
        return ledger;
    }

    public LocalLeases leases() {
        return leases;
    }

    public KeyPool pool() {
        return pool;
    }

    public KeyDirectory keyDirectory() {
        return keyDirectory;
    }

    public Codecs codecs() {
        return codecs;
    }

    /** The Responses API state kept for providers that keep none. */
    public ResponsesState responsesState() {
        return responsesState;
    }

    public RequestObserver observer() {
        return observer;
    }

    public String nodeId() {
        return nodeId;
    }

    /** The price of each model target now: an admin's override, the config's, the shipped table's, or none. */
    public Prices prices() {
        return prices.current();
    }

    public PriceDirectory priceDirectory() {
        return prices;
    }

    public long startedAtMillis() {
        return startedAtMillis;
    }

    /** Requests this node is serving now (graceful shutdown waits for zero). */
    public AtomicInteger inFlight() {
        return inFlight;
    }

    public boolean draining() {
        return draining;
    }

    public void startDraining() {
        draining = true;
    }
}
