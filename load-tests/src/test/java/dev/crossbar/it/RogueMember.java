package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.crossbar.launcher.Ports;

/** A Hazelcast member of an attacker's making: a cluster's name and one node's member address, nothing else. */
final class RogueMember {

    private RogueMember() {}

    /**
     * Joins the cluster on 127.0.0.1 and returns once it is in.
     *
     * @param lite a lite member owns no partitions (the attacker only reads and writes maps)
     */
    static HazelcastInstance join(String clusterName, String memberAddress, boolean lite) {
        Config config = new Config().setClusterName(clusterName).setLiteMember(lite);
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.local.localAddress", "127.0.0.1");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(Ports.free()).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).addMember(memberAddress);
        HazelcastInstance rogue = Hazelcast.newHazelcastInstance(config);
        assertTrue(rogue.getCluster().getMembers().size() > 1, "the stranger joined the cluster");
        return rogue;
    }
}
