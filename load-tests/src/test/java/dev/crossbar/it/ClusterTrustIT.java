package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.crossbar.cluster.ledger.KeyLimits;
import dev.crossbar.cluster.members.MemberView;
import dev.crossbar.cluster.records.ClientKeyRecord;
import dev.crossbar.cluster.records.RecordCodec;
import dev.crossbar.cluster.seal.ClusterKey;
import dev.crossbar.cluster.seal.ClusterKeyring;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The attacker's view of issue 14 on loopback: someone who reaches a running two-node cluster's member port
 * and knows its cluster name, but not its cluster key. With a Hazelcast client they find no door; as a
 * member of their own making they read only sealed bytes, cannot plant a client key or a foreign value that
 * the nodes act on, and their presence takes the nodes out of the load balancer until they leave.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class ClusterTrustIT {

    private static final String SECRET = "sk-trust-secret-0123456789abcdef";
    private static final String FORGED_CLIENT_KEY = "cbk-planted-by-the-attacker-000000000000";
    private static final Duration WITHIN = Duration.ofSeconds(20);
    private static final String HELLO = """
            {"model":"test-model","messages":[{"role":"user","content":"hello there"}]}""";

    private GatewayHarness gateway;

    @BeforeAll
    void start() throws Exception {
        gateway = new GatewayHarness(
                MockConfig.of(MockKey.unlimited(SECRET, "openai")), TestConfig.openAi(SECRET + ":600:100000:10"), 2);
    }

    @AfterAll
    void stop() throws Exception {
        gateway.close();
    }

    /** Regression (issue 14): an unauthenticated Hazelcast client connected and read every map. */
    @Test
    void shouldRefuseAHazelcastClientOnTheMemberPort() {
        ClientConfig client = new ClientConfig().setClusterName(clusterName());
        client.setProperty("hazelcast.logging.type", "slf4j");
        client.getNetworkConfig().addAddress(memberAddress(0), memberAddress(1));
        client.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(3_000);
        IllegalStateException refused =
                assertThrows(IllegalStateException.class, () -> HazelcastClient.newHazelcastClient(client));
        assertTrue(refused.getMessage().contains("Unable to connect"), refused.getMessage());
    }

    /**
     * Regression (issue 14): a stranger read every provider secret from crossbar.keyconfig and the bare SHA-256
     * digests from crossbar.clientkeys, and a client-key record it planted was served (200).
     */
    @Test
    void shouldShowAStrangerOnlySealedBytesAndServeNoClientKeyItPlants() throws Exception {
        HazelcastInstance rogue = rogueMember(true);
        try {
            IMap<String, Object> keyConfig = rogue.getMap("crossbar.keyconfig");
            IMap<String, Object> clientKeys = rogue.getMap("crossbar.clientkeys");
            assertFalse(keyConfig.isEmpty(), "the provider key records are in the map");
            assertFalse(clientKeys.isEmpty(), "the client key records are in the map");
            String bareDigest = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(GatewayHarness.CLIENT_KEY.getBytes(StandardCharsets.UTF_8)));
            for (String map : List.of("crossbar.keyconfig", "crossbar.clientkeys", "crossbar.nodes", "crossbar.keys")) {
                rogue.<String, Object>getMap(map).forEach((id, value) -> {
                    String text =
                            value instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : value.toString();
                    assertFalse(text.contains(SECRET), map + "/" + id + " holds the provider secret in clear");
                    assertFalse(text.contains(SECRET.substring(3, 19)), map + "/" + id + " holds part of the secret");
                    assertFalse(text.contains(GatewayHarness.CLIENT_KEY), map + "/" + id + " holds the client key");
                    assertFalse(text.contains(bareDigest), map + "/" + id + " holds the client key's bare digest");
                });
            }

            // The record a writer without the cluster key can make: the right format, its own key.
            ClusterKeyring own = ClusterKeyring.of(ClusterKey.random(), List.of());
            ClientKeyRecord planted = new ClientKeyRecord(
                    "planted",
                    HexFormat.of()
                            .formatHex(own.hmac(own.current(), FORGED_CLIENT_KEY.getBytes(StandardCharsets.UTF_8))),
                    own.current().id(),
                    List.of("*"),
                    KeyLimits.UNLIMITED,
                    false);
            long refusedBefore = refused(0, "crossbar.clientkeys", "unauthentic");
            clientKeys.set("planted", new RecordCodec<>(ClientKeyRecord.FORMAT, own).encode("planted", planted));
            clientKeys.set("planted-sha", bareDigest.getBytes(StandardCharsets.UTF_8));
            AdminClient.eventually(
                    WITHIN,
                    "node 0 counts the planted record as unauthentic",
                    () -> refused(0, "crossbar.clientkeys", "unauthentic") > refusedBefore);
            for (int node = 0; node < 2; node++) {
                Http.Reply r =
                        Http.post(gateway.url(node) + "/v1/chat/completions", HELLO, Http.bearer(FORGED_CLIENT_KEY));
                assertEquals(401, r.status(), "node " + node + " served a planted client key: " + r.body());
                assertEquals(
                        200,
                        Http.post(
                                        gateway.url(node) + "/v1/chat/completions",
                                        HELLO,
                                        Http.bearer(GatewayHarness.CLIENT_KEY))
                                .status(),
                        "node " + node + " still serves the configured client key");
            }
            assertTrue(refused(1, "crossbar.clientkeys", "foreign") + refused(1, "crossbar.clientkeys", "unauthentic")
                    > 0);
        } finally {
            rogue.getLifecycleService().terminate();
        }
        awaitReady();
    }

    /**
     * Regression (issue 14): a foreign value put into crossbar.keys was deserialised (Java serialization, no
     * filter) and then refused the client with 429 on every request. Now it is never read, it is counted, and
     * the key keeps serving.
     */
    @Test
    void shouldNeverReadAForeignValueNorLetItRefuseClients() throws Exception {
        HazelcastInstance rogue = rogueMember(true);
        try {
            Payload.readObjects.set(0);
            IMap<String, Object> keys = rogue.getMap("crossbar.keys");
            assertTrue(keys.containsKey("key-1"), "the key's ledger entry is there: " + keys.keySet());
            long before = refusedAll(0, "crossbar.keys");
            keys.set("key-1", new Payload());
            AdminClient.eventually(
                    WITHIN, "node 0 counts the foreign value", () -> refusedAll(0, "crossbar.keys") > before);
            for (int i = 0; i < 6; i++) {
                Http.Reply r = Http.post(
                        gateway.url(i % 2) + "/v1/chat/completions", HELLO, Http.bearer(GatewayHarness.CLIENT_KEY));
                assertEquals(200, r.status(), "request " + i + " with a foreign value in the ledger: " + r.body());
            }
            keys.set("key-1", "429 forever");
            for (int i = 0; i < 4; i++) {
                Http.Reply r = Http.post(
                        gateway.url(i % 2) + "/v1/chat/completions", HELLO, Http.bearer(GatewayHarness.CLIENT_KEY));
                assertEquals(200, r.status(), "request " + i + " with a string in the ledger: " + r.body());
            }
            assertEquals(0, Payload.readObjects.get(), "a node ran the foreign class's readObject");
        } finally {
            rogue.getLifecycleService().terminate();
        }
        awaitReady();
    }

    /**
     * Issue 14 point 4: a member that cannot prove it holds the cluster key (here a full member, which would
     * own ledger partitions) is logged, shown in /admin/api/cluster and in a metric, and both nodes report not
     * ready until it has left.
     */
    @Test
    void shouldTakeTheNodesOutOfServiceWhileAnUnprovenMemberIsIn() throws Exception {
        awaitReady();
        HazelcastInstance rogue = rogueMember(false);
        String rogueId = rogue.getCluster().getLocalMember().getUuid().toString();
        try {
            for (int node = 0; node < 2; node++) {
                int n = node;
                AdminClient.eventually(
                        WITHIN,
                        "node " + n + " not ready",
                        () -> Http.get(gateway.url(n) + "/health/ready").status() == 503);
                Http.Reply ready = Http.get(gateway.url(n) + "/health/ready");
                assertTrue(ready.body().contains("unproven cluster member"), ready.body());
                JsonNode cluster = new AdminClient(gateway.url(n))
                        .get("/admin/api/cluster")
                        .json();
                assertEquals(1, cluster.at("/trust/unprovenMembers").asInt(), cluster.toString());
                assertEquals("refuse", cluster.at("/trust/unprovenPolicy").asText());
                boolean shown = false;
                for (JsonNode m : cluster.path("members")) {
                    if (m.path("id").asText().equals(rogueId)) {
                        assertFalse(m.path("proven").asBoolean(true), m.toString());
                        shown = true;
                    } else {
                        assertTrue(m.path("proven").asBoolean(), "a Crossbar node shown unproven: " + m);
                    }
                }
                assertTrue(shown, "the unproven member is listed: " + cluster);
                assertTrue(metrics(n).contains("crossbar_cluster_unproven_members 1.0"), "the metric says 1");
            }
        } finally {
            rogue.getLifecycleService().terminate();
        }
        awaitReady();
        assertTrue(metrics(0).contains("crossbar_cluster_unproven_members 0.0"));
    }

    private void awaitReady() throws Exception {
        for (int node = 0; node < 2; node++) {
            int n = node;
            AdminClient.eventually(
                    WITHIN,
                    "node " + n + " ready again",
                    () -> Http.get(gateway.url(n) + "/health/ready").status() == 200);
        }
    }

    private HazelcastInstance rogueMember(boolean lite) {
        return RogueMember.join(clusterName(), memberAddress(0), lite);
    }

    private String clusterName() {
        return gateway.node(0).cluster().members().clusterName();
    }

    private String memberAddress(int node) {
        return gateway.node(node).cluster().members().list().stream()
                .filter(MemberView::local)
                .findFirst()
                .orElseThrow()
                .address();
    }

    private String metrics(int node) throws Exception {
        return Http.get(gateway.url(node) + "/metrics").body();
    }

    private long refused(int node, String map, String reason) throws Exception {
        String prefix = "crossbar_cluster_refused_values_total{map=\"" + map + "\",reason=\"" + reason + "\"";
        for (String line : metrics(node).lines().toList()) {
            if (line.startsWith(prefix)) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no metric " + prefix);
    }

    private long refusedAll(int node, String map) throws Exception {
        long sum = 0;
        for (String reason : List.of("foreign", "unauthentic", "version", "malformed")) {
            sum += refused(node, map, reason);
        }
        return sum;
    }

    /** A Java object whose class would run code when read. */
    static final class Payload implements Serializable {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger readObjects = new AtomicInteger();

        private void readObject(ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
            in.defaultReadObject();
            readObjects.incrementAndGet();
        }
    }
}
