package dev.crossbar.gateway.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.crossbar.cluster.hazelcast.HazelcastFutures;
import dev.crossbar.gateway.config.NodeConfig;
import dev.crossbar.gateway.metrics.BuildInfo;
import dev.crossbar.gateway.metrics.RequestMetrics;
import dev.crossbar.gateway.proxy.Traffic;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one node says about itself for the cluster view, published about once a second into the
 * {@value #MAP} map (keyed by member id, with a time to live so a dead member's record vanishes).
 *
 * @param http              the node's client-facing base URL
 * @param requestsPerSecond requests finished per second over the last few seconds
 */
public record NodeStats(
        String id,
        String http,
        String version,
        long startedAt,
        long reportedAt,
        double requestsPerSecond,
        int inFlight,
        long requestsTotal,
        boolean draining) {

    public static final String MAP = "crossbar.nodes";
    static final long PERIOD_MILLIS = 1_000;
    static final long TTL_MILLIS = 5_000;

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final Logger LOG = LoggerFactory.getLogger(NodeStats.class);

    String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static NodeStats fromJson(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, NodeStats.class);
        } catch (JsonProcessingException e) {
            LOG.debug("ignoring an unreadable node record: {}", e.toString());
            return null;
        }
    }

    /** Publishes this node's record once a second on a Vert.x timer (cancelled when Vert.x closes). */
    static final class Publisher {

        /** Samples of the finished-request count, one per period, for a rate over a few seconds. */
        private static final int SAMPLES = 5;

        private final IMap<String, String> map;
        private final String nodeId;
        private final long startedAtMillis;
        private final Traffic traffic;
        private final RequestMetrics requests;
        private final String http;
        private final long[] counts = new long[SAMPLES + 1];
        private final long[] times = new long[SAMPLES + 1];
        private int taken;
        private volatile NodeStats latest;

        Publisher(
                HazelcastInstance hazelcast,
                NodeConfig node,
                String nodeId,
                long startedAtMillis,
                Traffic traffic,
                RequestMetrics requests) {
            this.map = hazelcast.getMap(MAP);
            this.nodeId = nodeId;
            this.startedAtMillis = startedAtMillis;
            this.traffic = traffic;
            this.requests = requests;
            this.http = (node.tls() != null ? "https://" : "http://") + node.host() + ":" + node.port();
        }

        void start(Vertx vertx) {
            publish();
            vertx.setPeriodic(PERIOD_MILLIS, id -> publish());
        }

        /** This node's latest record (also when the cluster map cannot be reached). */
        NodeStats latest() {
            NodeStats s = latest;
            return s != null ? s : sample();
        }

        private synchronized NodeStats sample() {
            long now = System.currentTimeMillis();
            long count = requests.completedCount();
            int slot = taken % counts.length;
            counts[slot] = count;
            times[slot] = System.nanoTime();
            taken++;
            int oldest = taken <= counts.length ? 0 : taken % counts.length;
            double seconds = (times[slot] - times[oldest]) / 1e9;
            double rate = seconds <= 0 ? 0 : (count - counts[oldest]) / seconds;
            return new NodeStats(
                    nodeId,
                    http,
                    BuildInfo.version(),
                    startedAtMillis,
                    now,
                    Math.round(rate * 100) / 100.0,
                    traffic.inFlight(),
                    count,
                    traffic.draining());
        }

        private void publish() {
            NodeStats stats = sample();
            latest = stats;
            try {
                CompletionStage<String> put = HazelcastFutures.completedOnPool(
                        map.putAsync(stats.id(), stats.toJson(), TTL_MILLIS, TimeUnit.MILLISECONDS));
                put.whenComplete((old, err) -> {
                    if (err != null) {
                        LOG.debug("could not publish node stats: {}", err.toString());
                    }
                });
            } catch (RuntimeException stopping) {
                // the member is shutting down; the record expires by itself
                LOG.debug("could not publish node stats: {}", stopping.toString());
            }
        }
    }
}
