package dev.crossbar.cluster.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import dev.crossbar.cluster.ClusterState;
import dev.crossbar.cluster.ledger.LedgerSettings;
import dev.crossbar.cluster.seal.ClusterKeyring;
import dev.crossbar.cluster.seal.Rejections;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * A node's Hazelcast member: configured here ({@link MemberConfigs}), started by Vert.x through the cluster
 * manager this hands out, and once started, the node's {@link ClusterState}. The only door from the gateway
 * to Hazelcast: the gateway's composition root builds one, and everything else sees the typed state.
 */
public final class HazelcastMember {

    private final ClusterKeyring keys;
    private final Rejections rejections = new Rejections();
    private final HazelcastClusterManager manager;

    private HazelcastMember(MemberSettings settings, ClusterKeyring keys) {
        this.keys = keys;
        this.manager = new HazelcastClusterManager(MemberConfigs.build(settings, keys, rejections));
    }

    /** A member to be started by Vert.x ({@link #clusterManager()}); nothing binds until then. */
    public static HazelcastMember create(MemberSettings settings, ClusterKeyring keys) {
        return new HazelcastMember(settings, keys);
    }

    /** What Vert.x starts the member with. */
    public ClusterManager clusterManager() {
        return manager;
    }

    /**
     * The cluster state on the started member: loads the ledger's current states and checks the members'
     * proofs. Blocks: call it off any event loop, after Vert.x has started.
     */
    public ClusterState open(LedgerSettings ledgerSettings) {
        HazelcastInstance hazelcast = manager.getHazelcastInstance();
        if (hazelcast == null) {
            throw new IllegalStateException("the member has not started");
        }
        return new HazelcastClusterState(hazelcast, keys, rejections, ledgerSettings);
    }

    /** Stops the member at once, as a crash would (tests of reclaim). */
    public void terminate() {
        HazelcastInstance hazelcast = manager.getHazelcastInstance();
        if (hazelcast != null) {
            hazelcast.getLifecycleService().terminate();
        }
    }
}
