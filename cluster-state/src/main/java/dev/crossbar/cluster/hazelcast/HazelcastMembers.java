package dev.crossbar.cluster.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import dev.crossbar.cluster.members.MemberView;
import dev.crossbar.cluster.members.Members;
import dev.crossbar.cluster.seal.ClusterKeyring;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Hazelcast cluster's members, each checked for its {@link MemberProof} when it joins (and those already
 * there when this node starts). A member without a valid proof is logged as an error at once.
 */
final class HazelcastMembers implements Members {

    private static final Logger LOG = LoggerFactory.getLogger(HazelcastMembers.class);

    private final HazelcastInstance hazelcast;
    private final ClusterKeyring keys;
    private final String clusterName;
    private final Map<UUID, Boolean> proven = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final UUID registration;

    HazelcastMembers(HazelcastInstance hazelcast, ClusterKeyring keys) {
        this.hazelcast = hazelcast;
        this.keys = keys;
        this.clusterName = hazelcast.getConfig().getClusterName();
        this.registration = hazelcast.getCluster().addMembershipListener(new Listener());
        for (Member m : hazelcast.getCluster().getMembers()) {
            check(m);
        }
    }

    @Override
    public String localId() {
        return hazelcast.getCluster().getLocalMember().getUuid().toString();
    }

    @Override
    public String clusterName() {
        return clusterName;
    }

    @Override
    public List<MemberView> list() {
        List<MemberView> views = new ArrayList<>();
        for (Member m : hazelcast.getCluster().getMembers()) {
            views.add(new MemberView(
                    m.getUuid().toString(),
                    m.getAddress().getHost() + ":" + m.getAddress().getPort(),
                    m.localMember(),
                    proven.computeIfAbsent(m.getUuid(), id -> MemberProof.verify(keys, clusterName, m))));
        }
        return views;
    }

    @Override
    public boolean running() {
        try {
            return hazelcast.getLifecycleService().isRunning();
        } catch (RuntimeException stopped) {
            return false;
        }
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    void close() {
        try {
            hazelcast.getCluster().removeMembershipListener(registration);
        } catch (RuntimeException e) {
            LOG.debug("membership listener already gone: {}", e.toString());
        }
        listeners.clear();
    }

    private void check(Member m) {
        boolean ok = proven.computeIfAbsent(m.getUuid(), id -> MemberProof.verify(keys, clusterName, m));
        if (!ok) {
            LOG.error(
                    "member {} at {} shows no valid proof of the cluster key: it is not a Crossbar node of this"
                            + " cluster (or one with another cluster.key). It can read the cluster's sealed state and"
                            + " own ledger partitions; see docs/security.md",
                    m.getUuid(),
                    m.getAddress());
        }
    }

    private void changed() {
        for (Runnable l : listeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                LOG.warn("membership listener failed", e);
            }
        }
    }

    private final class Listener implements MembershipListener {
        @Override
        public void memberAdded(MembershipEvent event) {
            check(event.getMember());
            changed();
        }

        @Override
        public void memberRemoved(MembershipEvent event) {
            Boolean was = proven.remove(event.getMember().getUuid());
            if (Boolean.FALSE.equals(was)) {
                LOG.warn(
                        "the unproven member {} at {} left",
                        event.getMember().getUuid(),
                        event.getMember().getAddress());
            }
            changed();
        }
    }
}
