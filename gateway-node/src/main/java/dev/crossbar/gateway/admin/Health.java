package dev.crossbar.gateway.admin;

import dev.crossbar.cluster.members.MemberView;
import dev.crossbar.cluster.members.Members;
import dev.crossbar.gateway.proxy.Traffic;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * Liveness (the process answers) and readiness (joined, configured, not draining, and, unless the config
 * says warn, no member in the cluster that cannot prove it holds the cluster key: such a member may own
 * ledger partitions and answer them falsely, so the node leaves the load balancer until it is gone).
 */
public final class Health {

    private final Traffic traffic;
    private final Members members;
    private final boolean refuseUnproven;

    public Health(Traffic traffic, Members members, boolean refuseUnproven) {
        this.traffic = traffic;
        this.members = members;
        this.refuseUnproven = refuseUnproven;
    }

    public void live(HttpServerResponse response) {
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end("{\"status\":\"UP\"}");
    }

    public void ready(HttpServerResponse response) {
        String problem = null;
        List<MemberView> all = List.of();
        if (traffic.draining()) {
            problem = "draining";
        } else if (!members.running()) {
            problem = "cluster member not running";
        } else {
            all = members.list();
            List<MemberView> unproven = all.stream().filter(m -> !m.proven()).toList();
            if (refuseUnproven && !unproven.isEmpty()) {
                problem = "unproven cluster member " + unproven.get(0).address()
                        + (unproven.size() > 1 ? " and " + (unproven.size() - 1) + " more" : "")
                        + ": it shows no proof of the cluster key";
            }
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (problem == null) {
            response.end("{\"status\":\"UP\",\"members\":" + all.size() + "}");
        } else {
            response.setStatusCode(503).end("{\"status\":\"DOWN\",\"reason\":\"" + problem + "\"}");
        }
    }
}
