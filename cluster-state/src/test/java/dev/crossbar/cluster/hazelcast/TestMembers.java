package dev.crossbar.cluster.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.crossbar.cluster.seal.ClusterKey;
import dev.crossbar.cluster.seal.ClusterKeyring;
import dev.crossbar.cluster.seal.Rejections;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Real Hazelcast members on 127.0.0.1, TCP-IP join, a cluster name of their own: Crossbar's members (built by
 * {@link MemberConfigs} with one cluster key), and when a test asks, a plain member that knows only the
 * cluster's name and member list, as an attacker who reaches the member port would.
 */
public final class TestMembers implements AutoCloseable {

    private final String clusterName = "crossbar-test-" + UUID.randomUUID();
    private final int basePort = 15_000 + ThreadLocalRandom.current().nextInt(20_000);
    private final ClusterKeyring keys = ClusterKeyring.of(ClusterKey.random(), List.of());
    private final Rejections rejections = new Rejections();
    private final List<HazelcastInstance> members = new ArrayList<>();

    public HazelcastInstance start() {
        return start(keys, rejections);
    }

    /** A Crossbar member with keys of its own (another cluster key, or a rotation's). */
    public HazelcastInstance start(ClusterKeyring memberKeys, Rejections memberRejections) {
        MemberSettings settings = new MemberSettings(clusterName, "127.0.0.1", basePort, true, peers(), null);
        HazelcastInstance member =
                Hazelcast.newHazelcastInstance(MemberConfigs.build(settings, memberKeys, memberRejections));
        members.add(member);
        return member;
    }

    /** A Crossbar member of this cluster's key on one fixed port (its proof names the port). */
    public HazelcastInstance startFixed(int port) {
        MemberSettings settings = new MemberSettings(clusterName, "127.0.0.1", port, false, peers(), null);
        HazelcastInstance member = Hazelcast.newHazelcastInstance(MemberConfigs.build(settings, keys, rejections));
        members.add(member);
        return member;
    }

    /** A plain Hazelcast member with the cluster's name and member list: no Crossbar config, no cluster key. */
    public HazelcastInstance startRogue(Config config) {
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.getNetworkConfig().setPort(basePort).setPortAutoIncrement(true);
        config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        config.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).setMembers(peers());
        HazelcastInstance rogue = Hazelcast.newHazelcastInstance(config);
        members.add(rogue);
        return rogue;
    }

    public ClusterKeyring keys() {
        return keys;
    }

    public Rejections rejections() {
        return rejections;
    }

    public String clusterName() {
        return clusterName;
    }

    public int basePort() {
        return basePort;
    }

    private List<String> peers() {
        List<String> peers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            peers.add("127.0.0.1:" + (basePort + i));
        }
        return peers;
    }

    public List<HazelcastInstance> members() {
        return members;
    }

    @Override
    public void close() {
        for (HazelcastInstance member : members) {
            try {
                member.getLifecycleService().terminate();
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
    }
}
