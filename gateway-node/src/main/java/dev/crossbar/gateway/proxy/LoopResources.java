package dev.crossbar.gateway.proxy;

import dev.crossbar.gateway.keys.AdmissionQueue;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;

/** What one event loop owns: its upstream HTTP clients (connections stay on this loop) and its queues. */
public final class LoopResources {

    private final Vertx vertx;
    private final Context context;
    private final UpstreamClients clients;
    private final int queueSize;
    private final Map<String, AdmissionQueue> queues = new HashMap<>();

    public LoopResources(Vertx vertx, Context context, UpstreamClients clients, int queueSize) {
        this.vertx = vertx;
        this.context = context;
        this.clients = clients;
        this.queueSize = queueSize;
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

    public AdmissionQueue queue(String model) {
        return queues.computeIfAbsent(model, m -> new AdmissionQueue(vertx, queueSize));
    }
}
