package dev.crossbar.cluster.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.properties.PropertyDefinition;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.kubernetes.HazelcastKubernetesDiscoveryStrategyFactory;
import com.hazelcast.logging.Logger;
import com.hazelcast.spi.discovery.DiscoveryNode;
import com.hazelcast.spi.discovery.DiscoveryStrategy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The join each way of finding peers gets, and that Hazelcast 5.3 accepts it as it will run it. */
class MemberConfigsTest {

    @Test
    void shouldJoinByTcpIpWithTheMemberList() {
        Config config = MemberConfigs.build(
                new MemberSettings("c", "127.0.0.1", 5801, true, List.of("127.0.0.1:5801", "127.0.0.1:5802"), null));
        JoinConfig join = config.getNetworkConfig().getJoin();
        assertTrue(join.getTcpIpConfig().isEnabled());
        assertEquals(
                List.of("127.0.0.1:5801", "127.0.0.1:5802"),
                join.getTcpIpConfig().getMembers());
        assertFalse(join.getMulticastConfig().isEnabled());
        assertFalse(join.getKubernetesConfig().isEnabled());
        assertTrue(config.getNetworkConfig().isPortAutoIncrement());
    }

    /**
     * Regression: Hazelcast's DNS discovery probes every address of the service on {@code service-port},
     * 5701 unless set, so members on any other port never found each other; and a member that slid to the
     * next free port was unreachable.
     */
    @Test
    void shouldDiscoverKubernetesPeersOnTheMemberPort() {
        Config config = MemberConfigs.build(new MemberSettings(
                "c", "10.1.2.3", 5801, true, List.of(), "crossbar-hazelcast.prod.svc.cluster.local"));
        JoinConfig join = config.getNetworkConfig().getJoin();
        assertTrue(join.getKubernetesConfig().isEnabled());
        assertFalse(join.getTcpIpConfig().isEnabled(), "Hazelcast refuses two joins at once");
        assertFalse(join.getMulticastConfig().isEnabled());
        assertFalse(join.getAutoDetectionConfig().isEnabled());
        assertEquals(
                "crossbar-hazelcast.prod.svc.cluster.local",
                join.getKubernetesConfig().getProperty("service-dns"));
        assertEquals("5801", join.getKubernetesConfig().getProperty("service-port"));
        assertFalse(config.getNetworkConfig().isPortAutoIncrement());
        assertEquals(5801, config.getNetworkConfig().getPort());
    }

    @Test
    void shouldLookForTheOtherSideOfASplitEveryHalfMinute() {
        Config config = MemberConfigs.build(new MemberSettings("c", "127.0.0.1", 5801, true, List.of(), null));
        assertEquals("30", config.getProperty("hazelcast.merge.first.run.delay.seconds"));
        assertEquals("30", config.getProperty("hazelcast.merge.next.run.delay.seconds"));
    }

    /** Hazelcast's own Kubernetes strategy, given our properties, resolves the service to members on our port. */
    @Test
    void shouldResolveTheServiceNameToMembersOnTheMemberPort() {
        Config config = MemberConfigs.build(new MemberSettings("c", "127.0.0.1", 5801, true, List.of(), "localhost"));
        Map<String, String> raw =
                config.getNetworkConfig().getJoin().getKubernetesConfig().getProperties();
        HazelcastKubernetesDiscoveryStrategyFactory factory = new HazelcastKubernetesDiscoveryStrategyFactory();
        @SuppressWarnings("rawtypes") // Hazelcast's discovery API takes Map<String, Comparable>
        Map<String, Comparable> typed = new HashMap<>();
        for (PropertyDefinition definition : factory.getConfigurationProperties()) {
            String value = raw.get(definition.key());
            if (value != null) {
                typed.put(definition.key(), definition.typeConverter().convert(value));
            }
        }
        assertEquals(raw.keySet(), typed.keySet(), "every property we set is one Hazelcast 5.3 knows");
        DiscoveryStrategy strategy = factory.newDiscoveryStrategy(null, Logger.getLogger(getClass()), typed);
        strategy.start();
        try {
            List<String> found = new ArrayList<>();
            for (DiscoveryNode node : strategy.discoverNodes()) {
                found.add(node.getPrivateAddress().getHost() + ":"
                        + node.getPrivateAddress().getPort());
            }
            assertTrue(found.contains("127.0.0.1:5801"), "found " + found);
        } finally {
            strategy.destroy();
        }
    }

    /** A member configured for Kubernetes starts and finds itself through DNS ("localhost" stands in for the service). */
    @Test
    void shouldStartAMemberThatJoinsThroughKubernetesDns() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Config config = MemberConfigs.build(new MemberSettings(
                "crossbar-k8s-" + UUID.randomUUID(), "127.0.0.1", port, true, List.of(), "localhost"));
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        try {
            assertEquals(1, member.getCluster().getMembers().size());
            assertEquals(port, member.getCluster().getLocalMember().getAddress().getPort());
        } finally {
            member.getLifecycleService().terminate();
        }
    }
}
