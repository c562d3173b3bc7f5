package dev.crossbar.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.cluster.ledger.InMemoryLedger;
import dev.crossbar.cluster.ledger.KeyLimits;
import dev.crossbar.cluster.ledger.LedgerSettings;
import dev.crossbar.cluster.records.ClientKeyRecord;
import dev.crossbar.cluster.records.InMemoryRecords;
import dev.crossbar.cluster.records.RecordCodec;
import dev.crossbar.cluster.records.SharedRecords;
import dev.crossbar.cluster.seal.ClusterKey;
import dev.crossbar.cluster.seal.ClusterKeyring;
import dev.crossbar.cluster.seal.Rejections;
import dev.crossbar.gateway.config.ClientKeyConfig;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The client-key records of a cluster, over the in-memory twin of its map: what a writer without the key can do. */
class ClientKeyDirectoryTest {

    private static final String CONFIGURED = "configured-key-0123456789";
    private final InMemoryRecords map = new InMemoryRecords("crossbar.clientkeys");
    private final ClusterKey k1 = ClusterKey.random();
    private final InMemoryLedger ledger = new InMemoryLedger(() -> 0L, LedgerSettings.DEFAULTS);

    private ClientKeyDirectory directory(ClusterKeyring keys) {
        return new ClientKeyDirectory(
                new SharedRecords<>(map, new RecordCodec<>(ClientKeyRecord.FORMAT, keys), new Rejections()),
                keys,
                ledger,
                List.of(new ClientKeyConfig("team", CONFIGURED, null, null)));
    }

    /** Regression (issue 14): a record planted by a writer without the cluster key was served (200). */
    @Test
    void shouldNotAdmitAKeyPlantedByAWriterWithoutTheClusterKey() throws Exception {
        ClusterKeyring keys = ClusterKeyring.of(k1, List.of());
        ClientKeyDirectory directory = directory(keys);
        ClusterKeyring attacker = ClusterKeyring.of(ClusterKey.random(), List.of());
        String planted = "attacker-chosen-key-0123";
        ClientKeyRecord forged = new ClientKeyRecord(
                "planted", ClientKeys.hexDigest(attacker, planted), k1.id(), List.of("*"), KeyLimits.UNLIMITED, false);
        map.plant("planted", new RecordCodec<>(ClientKeyRecord.FORMAT, attacker).encode("planted", forged));
        // A record that claims the node's own key id but was signed by another key, and one with no envelope.
        map.plant("raw", "{\"name\":\"raw\",\"sha256\":\"" + ClientKeys.hexDigest(keys, planted) + "\"}");
        await(() -> directory.current() != null);
        assertNull(directory.current().authenticate(planted));
        assertEquals("team", directory.current().authenticate(CONFIGURED).name());
        assertEquals(
                List.of("team"),
                directory.records().stream().map(ClientKeyRecord::name).toList());
    }

    @Test
    void shouldDigestConfiguredKeysAgainUnderTheNewClusterKeyInARotation() {
        directory(ClusterKeyring.of(k1, List.of()));
        ClusterKey k2 = ClusterKey.random();
        ClusterKeyring rotated = ClusterKeyring.of(k2, List.of(k1));
        ClientKeyDirectory after = directory(rotated);
        ClientKeyRecord stored = after.records().get(0);
        assertEquals(k2.id(), stored.digestKey(), "the config's key is digested under the current key");
        ClientKeyDirectory onlyNew = directory(ClusterKeyring.of(k2, List.of()));
        assertEquals("team", onlyNew.current().authenticate(CONFIGURED).name(), "and works once k1 is gone");
    }

    @Test
    void shouldDigestAnAdminCreatedKeyAgainWhenItIsFirstUsedInARotation() throws Exception {
        ClientKeyDirectory before = directory(ClusterKeyring.of(k1, List.of()));
        String created = "cbk-created-by-an-admin-0123";
        before.add(before.recordFor("ci", created, List.of("*"), KeyLimits.UNLIMITED, null))
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        ClusterKey k2 = ClusterKey.random();
        ClientKeyDirectory during = directory(ClusterKeyring.of(k2, List.of(k1)));
        await(() -> during.current().authenticate(created) != null);
        await(() -> during.records().stream().anyMatch(r -> r.name().equals("ci") && r.digestKey() == k2.id()));
        ClientKeyDirectory after = directory(ClusterKeyring.of(k2, List.of()));
        assertNotNull(after.current().authenticate(created));
    }

    @Test
    void shouldKeepADeletedKeyDeletedWhateverTheConfigSays() throws Exception {
        ClientKeyDirectory directory = directory(ClusterKeyring.of(k1, List.of()));
        assertTrue(directory.delete("team").toCompletableFuture().get(5, TimeUnit.SECONDS));
        await(() -> directory.current().authenticate(CONFIGURED) == null);
        assertNull(directory(ClusterKeyring.of(k1, List.of())).current().authenticate(CONFIGURED));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in time");
            }
            Thread.sleep(5);
        }
    }
}
