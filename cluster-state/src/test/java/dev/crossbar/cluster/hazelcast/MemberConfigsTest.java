package dev.crossbar.cluster.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.EndpointConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.config.properties.PropertyDefinition;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.EndpointQualifier;
import com.hazelcast.kubernetes.HazelcastKubernetesDiscoveryStrategyFactory;
import com.hazelcast.logging.Logger;
import com.hazelcast.spi.discovery.DiscoveryNode;
import com.hazelcast.spi.discovery.DiscoveryStrategy;
import dev.crossbar.cluster.Wildcards;
import dev.crossbar.cluster.seal.ClusterKeyring;
import dev.crossbar.cluster.seal.Rejections;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The network, join and serialization each member gets, and that Hazelcast 5.3 runs them as configured. */
class MemberConfigsTest {

    private static Config build(MemberSettings settings) {
        return MemberConfigs.build(settings, ClusterKeyring.random(), new Rejections());
    }

    private static JoinConfig join(Config config) {
        return config.getAdvancedNetworkConfig().getJoin();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void shouldJoinByTcpIpWithTheMemberList() {
        Config config = build(
                new MemberSettings("c", "127.0.0.1", 5801, false, List.of("127.0.0.1:5801", "127.0.0.1:5802"), null));
        JoinConfig join = join(config);
        assertTrue(join.getTcpIpConfig().isEnabled());
        assertEquals(
                List.of("127.0.0.1:5801", "127.0.0.1:5802"),
                join.getTcpIpConfig().getMembers());
        assertFalse(join.getMulticastConfig().isEnabled());
        assertFalse(join.getKubernetesConfig().isEnabled());
    }

    /** Regression: a node without members listed its own host and, with the port range, joined other installs. */
    @Test
    void shouldJoinNobodyWithoutMembersOrKubernetes() {
        JoinConfig join = join(build(new MemberSettings("c", "127.0.0.1", 5801, false, List.of(), null)));
        assertFalse(join.getTcpIpConfig().isEnabled());
        assertFalse(join.getMulticastConfig().isEnabled());
        assertFalse(join.getAutoDetectionConfig().isEnabled());
        assertFalse(join.getKubernetesConfig().isEnabled());
    }

    private static ServerSocketEndpointConfig memberEndpoint(Config config) {
        return (ServerSocketEndpointConfig)
                config.getAdvancedNetworkConfig().getEndpointConfigs().get(EndpointQualifier.MEMBER);
    }

    @Test
    void shouldIncrementThePortOnlyWhenAskedTo() {
        assertFalse(memberEndpoint(build(new MemberSettings("c", "127.0.0.1", 5801, false, List.of(), null)))
                .isPortAutoIncrement());
        assertTrue(memberEndpoint(build(new MemberSettings("c", "127.0.0.1", 5801, true, List.of(), null)))
                .isPortAutoIncrement());
    }

    @Test
    void shouldOfferAMemberEndpointAndNoClientEndpoint() {
        Config config = build(new MemberSettings("c", "127.0.0.1", 5801, false, List.of(), null));
        Map<EndpointQualifier, EndpointConfig> endpoints =
                config.getAdvancedNetworkConfig().getEndpointConfigs();
        assertTrue(config.getAdvancedNetworkConfig().isEnabled());
        assertEquals(List.of(EndpointQualifier.MEMBER), new ArrayList<>(endpoints.keySet()));
        assertNull(endpoints.get(EndpointQualifier.CLIENT));
    }

    @Test
    void shouldRefuseWildcardAddresses() {
        for (String wildcard : List.of("0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0")) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> new MemberSettings("c", wildcard, 5801, false, List.of(), null),
                    wildcard);
            assertTrue(e.getMessage().contains("wildcard"), e.getMessage());
        }
        assertFalse(Wildcards.isWildcard("127.0.0.1"));
        assertFalse(Wildcards.isWildcard("node1"));
    }

    /**
     * Regression (issue 14): an unauthenticated Hazelcast client connected to a node's member port and read
     * every map. Only the member protocol listens now: the client finds no cluster.
     */
    @Test
    void shouldRefuseAHazelcastClient() throws Exception {
        int port = freePort();
        String name = "crossbar-client-" + UUID.randomUUID();
        HazelcastInstance member = Hazelcast.newHazelcastInstance(
                build(new MemberSettings(name, "127.0.0.1", port, false, List.of(), null)));
        try {
            ClientConfig client = new ClientConfig().setClusterName(name);
            client.setProperty("hazelcast.logging.type", "slf4j");
            client.getNetworkConfig().addAddress("127.0.0.1:" + port);
            client.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(3_000);
            IllegalStateException refused =
                    assertThrows(IllegalStateException.class, () -> HazelcastClient.newHazelcastClient(client));
            assertTrue(refused.getMessage().contains("Unable to connect"), refused.getMessage());
        } finally {
            member.getLifecycleService().terminate();
        }
    }

    /** Regression (issue 14): two installs on one host, no members, same name, joined each other. */
    @Test
    void shouldKeepTwoMembersWithoutAMemberListApartOnOneHost() throws Exception {
        int port = freePort();
        MemberSettings settings = new MemberSettings("crossbar", "127.0.0.1", port, true, List.of(), null);
        HazelcastInstance one = Hazelcast.newHazelcastInstance(build(settings));
        HazelcastInstance two = Hazelcast.newHazelcastInstance(build(settings));
        try {
            assertEquals(
                    port + 1, two.getCluster().getLocalMember().getAddress().getPort(), "the second slid up");
            assertEquals(1, one.getCluster().getMembers().size());
            assertEquals(1, two.getCluster().getMembers().size());
        } finally {
            one.getLifecycleService().terminate();
            two.getLifecycleService().terminate();
        }
    }

    /**
     * Regression: Hazelcast's DNS discovery probes every address of the service on {@code service-port},
     * 5701 unless set, so members on any other port never found each other; and a member that slid to the
     * next free port was unreachable.
     */
    @Test
    void shouldDiscoverKubernetesPeersOnTheMemberPort() {
        Config config = build(new MemberSettings(
                "c", "10.1.2.3", 5801, true, List.of(), "crossbar-hazelcast.prod.svc.cluster.local"));
        JoinConfig join = join(config);
        assertTrue(join.getKubernetesConfig().isEnabled());
        assertFalse(join.getTcpIpConfig().isEnabled(), "Hazelcast refuses two joins at once");
        assertFalse(join.getMulticastConfig().isEnabled());
        assertFalse(join.getAutoDetectionConfig().isEnabled());
        assertEquals(
                "crossbar-hazelcast.prod.svc.cluster.local",
                join.getKubernetesConfig().getProperty("service-dns"));
        assertEquals("5801", join.getKubernetesConfig().getProperty("service-port"));
        ServerSocketEndpointConfig member = memberEndpoint(config);
        assertFalse(member.isPortAutoIncrement());
        assertEquals(5801, member.getPort());
    }

    @Test
    void shouldLookForTheOtherSideOfASplitEveryHalfMinute() {
        Config config = build(new MemberSettings("c", "127.0.0.1", 5801, true, List.of(), null));
        assertEquals("30", config.getProperty("hazelcast.merge.first.run.delay.seconds"));
        assertEquals("30", config.getProperty("hazelcast.merge.next.run.delay.seconds"));
    }

    /** Hazelcast's own Kubernetes strategy, given our properties, resolves the service to members on our port. */
    @Test
    void shouldResolveTheServiceNameToMembersOnTheMemberPort() {
        Config config = build(new MemberSettings("c", "127.0.0.1", 5801, true, List.of(), "localhost"));
        Map<String, String> raw = join(config).getKubernetesConfig().getProperties();
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
        int port = freePort();
        Config config = build(new MemberSettings(
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
