package dev.crossbar.gateway.admin;

import com.hazelcast.core.HazelcastInstance;
import dev.crossbar.gateway.proxy.Traffic;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/** Liveness (the process answers) and readiness (joined, configured, not draining). */
public final class Health {

    private final Traffic traffic;
    private final HazelcastInstance hazelcast;

    public Health(Traffic traffic, HazelcastInstance hazelcast) {
        this.traffic = traffic;
        this.hazelcast = hazelcast;
    }

    public void live(HttpServerResponse response) {
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end("{\"status\":\"UP\"}");
    }

    public void ready(HttpServerResponse response) {
        String problem = null;
        if (traffic.draining()) {
            problem = "draining";
        } else if (!hazelcast.getLifecycleService().isRunning()) {
            problem = "cluster member not running";
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (problem == null) {
            response.end("{\"status\":\"UP\",\"members\":"
                    + hazelcast.getCluster().getMembers().size() + "}");
        } else {
            response.setStatusCode(503).end("{\"status\":\"DOWN\",\"reason\":\"" + problem + "\"}");
        }
    }
}
