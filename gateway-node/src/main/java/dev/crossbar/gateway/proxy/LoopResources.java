package dev.crossbar.gateway.proxy;

import dev.crossbar.gateway.keys.AdmissionQueue;
import dev.crossbar.gateway.upstream.UpstreamClients;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * What one event loop owns: its upstream HTTP clients (connections stay on this loop), its queues, and the
 * exchanges it is running (a drain that runs out of time ends them).
 */
public final class LoopResources {

    private final Vertx vertx;
    private final Context context;
    private final UpstreamClients clients;
    private final int queueSize;
    private final ToIntFunction<String> weights;
    private final Map<String, AdmissionQueue> queues = new HashMap<>();
    private final Set<Exchange> exchanges = new HashSet<>();
    private final LoopDeadlines bodyDeadlines;
    /** One list per distinct provider timeout (a handful): looked up without boxing the duration. */
    private final List<TimedDeadlines> callDeadlines = new ArrayList<>();

    public LoopResources(Vertx vertx, Context context, UpstreamClients clients, int queueSize) {
        this(vertx, context, clients, queueSize, flow -> 1);
    }

    /** @param weights each flow's share of a saturated model's queue ({@code keys.FlowWeights}) */
    public LoopResources(
            Vertx vertx, Context context, UpstreamClients clients, int queueSize, ToIntFunction<String> weights) {
        this.vertx = vertx;
        this.context = context;
        this.clients = clients;
        this.queueSize = queueSize;
        this.weights = weights;
        this.bodyDeadlines = new LoopDeadlines(vertx);
    }

    public Vertx vertx() {
        return vertx;
    }

    public Context context() {
        return context;
    }

    public UpstreamClients clients() {
        return clients;
    }

    /** The exchanges under way on this loop; touched only on it. */
    public Set<Exchange> exchanges() {
        return exchanges;
    }

    /** The deadlines of the request bodies this loop reads. */
    LoopDeadlines bodyDeadlines() {
        return bodyDeadlines;
    }

    /**
     * The deadlines of the upstream calls this loop makes with the timeout {@code timeoutMillis}: one list per
     * duration, so a new deadline always goes at its list's tail.
     */
    LoopDeadlines callDeadlines(long timeoutMillis) {
        for (TimedDeadlines timed : callDeadlines) {
            if (timed.timeoutMillis() == timeoutMillis) {
                return timed.deadlines();
            }
        }
        LoopDeadlines deadlines = new LoopDeadlines(vertx);
        callDeadlines.add(new TimedDeadlines(timeoutMillis, deadlines));
        return deadlines;
    }

    private record TimedDeadlines(long timeoutMillis, LoopDeadlines deadlines) {}

    public AdmissionQueue queue(String model) {
        return queues.computeIfAbsent(model, m -> new AdmissionQueue(vertx, queueSize, weights));
    }
}
