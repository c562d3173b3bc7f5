package dev.crossbar.gateway.admin;

import dev.crossbar.cluster.members.MemberStats;
import dev.crossbar.cluster.members.MemberStatsBoard;
import dev.crossbar.gateway.config.NodeConfig;
import dev.crossbar.gateway.metrics.BuildInfo;
import dev.crossbar.gateway.metrics.RequestMetrics;
import dev.crossbar.gateway.proxy.Traffic;
import io.vertx.core.Vertx;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this node's {@link MemberStats} once a second on a Vert.x timer (cancelled when Vert.x closes), off the
 * event loops.
 */
final class MemberStatsPublisher {

    static final long PERIOD_MILLIS = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(MemberStatsPublisher.class);

    /** Samples of the finished-request count, one per period, for a rate over a few seconds. */
    private static final int SAMPLES = 5;

    private final MemberStatsBoard board;
    private final String nodeId;
    private final long startedAtMillis;
    private final Traffic traffic;
    private final RequestMetrics requests;
    private final String clusterKey;
    private final String http;
    private final long[] counts = new long[SAMPLES + 1];
    private final long[] times = new long[SAMPLES + 1];
    private int taken;
    private volatile @Nullable MemberStats latest;

    MemberStatsPublisher(
            MemberStatsBoard board,
            String clusterKey,
            NodeConfig node,
            String nodeId,
            long startedAtMillis,
            Traffic traffic,
            RequestMetrics requests) {
        this.board = board;
        this.clusterKey = clusterKey;
        this.nodeId = nodeId;
        this.startedAtMillis = startedAtMillis;
        this.traffic = traffic;
        this.requests = requests;
        this.http = (node.tls() != null ? "https://" : "http://") + node.host() + ":" + node.port();
    }

    /**
     * Publishes now and then every period on a worker: Hazelcast prepares the write on the calling thread (the
     * record's serialization, the partition's operation and its invocation), about 0.6 ms once a second that an
     * event loop spent away from its connections (1.2% of the loops' samples in a profile of the plain bench).
     */
    void start(Vertx vertx) {
        publish();
        vertx.setPeriodic(PERIOD_MILLIS, id -> vertx.executeBlocking(this::publish, false));
    }

    /** This node's latest record (also when the cluster map cannot be reached). */
    MemberStats latest() {
        MemberStats s = latest;
        return s != null ? s : sample();
    }

    private synchronized MemberStats sample() {
        long now = System.currentTimeMillis();
        long count = requests.completedCount();
        int slot = taken % counts.length;
        counts[slot] = count;
        times[slot] = System.nanoTime();
        taken++;
        int oldest = taken <= counts.length ? 0 : taken % counts.length;
        double seconds = (times[slot] - times[oldest]) / 1e9;
        double rate = seconds <= 0 ? 0 : (count - counts[oldest]) / seconds;
        return new MemberStats(
                nodeId,
                http,
                BuildInfo.version(),
                startedAtMillis,
                now,
                Math.round(rate * 100) / 100.0,
                traffic.inFlight(),
                count,
                traffic.draining(),
                clusterKey);
    }

    private MemberStats publish() {
        MemberStats stats = sample();
        latest = stats;
        // The member may be shutting down; the record expires by itself.
        board.publish(stats).whenComplete((ok, err) -> {
            if (err != null) {
                LOG.debug("could not publish member stats: {}", err.toString());
            }
        });
        return stats;
    }
}
