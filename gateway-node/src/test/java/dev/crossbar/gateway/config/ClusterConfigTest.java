package dev.crossbar.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.cluster.seal.ClusterKey;
import dev.crossbar.cluster.seal.ClusterKeyring;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cluster section as {@code run} reads it: the cluster key, wildcards, joins and the unproven-member policy. */
class ClusterConfigTest {

    private static final String KEY = ClusterKey.generateText();
    private static final String OTHER = ClusterKey.generateText();

    private static final String BASE = """
            clientKeys:
              - { name: app, key: client-secret-1 }
            cluster:
            %s
            """;

    private final ConfigLoader loader =
            new ConfigLoader(Map.of("CROSSBAR_CLUSTER_KEY", KEY, "OLD_KEY", OTHER, "WEAK", "password123")::get);

    private ClusterConfig cluster(String lines) {
        return loader.parse(BASE.formatted(lines.indent(2))).cluster();
    }

    private ConfigException refused(String lines) {
        return assertThrows(ConfigException.class, () -> cluster(lines));
    }

    @Test
    void shouldRunANodeAloneWithoutAKeyOnARandomOne() {
        ClusterConfig alone = cluster("name: solo");
        ClusterKeyring keys = alone.keyring();
        assertTrue(keys.isEphemeral());
        assertFalse(alone.portAutoIncrement(), "port auto-increment is off unless asked for");
        assertTrue(alone.refusesUnprovenMembers(), "unproven members take a node out by default");
    }

    @Test
    void shouldRefuseToJoinOthersWithoutAKey() {
        ConfigException members = refused("members: [\"10.0.0.2:5701\"]");
        assertEquals("cluster.key", members.field());
        assertTrue(members.getMessage().contains("required when the node joins others"), members.getMessage());
        assertEquals(
                "cluster.key",
                refused("kubernetesServiceDns: crossbar-hazelcast").field());
        ClusterConfig joined = cluster("members: [\"10.0.0.2:5701\"]\nkey: ${CROSSBAR_CLUSTER_KEY}");
        assertFalse(joined.keyring().isEphemeral());
        assertEquals(ClusterKey.parse(KEY).id(), joined.keyring().current().id());
    }

    @Test
    void shouldRefuseAKeyThatIsNotThirtyTwoRandomBytesWithoutShowingIt() {
        ConfigException e = refused("key: ${WEAK}");
        assertEquals("cluster.key", e.field());
        assertTrue(e.getMessage().contains("32 random bytes"), e.getMessage());
        assertFalse(e.getMessage().contains("password123"), "the message shows the secret: " + e.getMessage());
    }

    @Test
    void shouldAcceptPreviousKeysForARotation() {
        ClusterConfig rotating = cluster("key: ${CROSSBAR_CLUSTER_KEY}\npreviousKeys: [\"${OLD_KEY}\"]");
        ClusterKeyring keys = rotating.keyring();
        assertEquals(2, keys.accepted().size());
        assertEquals(ClusterKey.parse(OTHER).id(), keys.accepted().get(1).id());
        assertTrue(refused("key: ${CROSSBAR_CLUSTER_KEY}\npreviousKeys: [\"${WEAK}\"]")
                .getMessage()
                .contains("previousKeys[0]"));
        assertEquals(
                "cluster.previousKeys",
                refused("previousKeys: [\"${OLD_KEY}\"]").field());
    }

    /** Regression (issue 14): {@code cluster.host: 0.0.0.0} was accepted although the docs say never all interfaces. */
    @Test
    void shouldRefuseWildcardHosts() {
        for (String wildcard : new String[] {"0.0.0.0", "\"::\"", "\"[::]\""}) {
            ConfigException e = refused("host: " + wildcard);
            assertEquals("cluster.host", e.field(), wildcard);
            assertTrue(e.getMessage().contains("all interfaces"), e.getMessage());
        }
        assertEquals("10.1.2.3", cluster("host: 10.1.2.3").host());
    }

    @Test
    void shouldReadThePortAndUnprovenMemberSettings() {
        assertTrue(cluster("portAutoIncrement: true").portAutoIncrement());
        assertFalse(cluster("unprovenMembers: warn").refusesUnprovenMembers());
        assertEquals(
                "cluster.unprovenMembers", refused("unprovenMembers: ignore").field());
    }

    @Test
    void shouldNeverPrintTheKey() {
        ClusterConfig c = cluster("key: ${CROSSBAR_CLUSTER_KEY}");
        assertFalse(c.toString().contains(KEY), c.toString());
        assertFalse(loader.parse(BASE.formatted("  key: ${CROSSBAR_CLUSTER_KEY}"))
                .toString()
                .contains(KEY));
    }
}
