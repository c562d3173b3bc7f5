package dev.crossbar.cluster.responses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.cluster.seal.ClusterKey;
import dev.crossbar.cluster.seal.ClusterKeyring;
import dev.crossbar.cluster.seal.Rejections;
import dev.crossbar.cluster.seal.UnreadableValue.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The Responses state's bounds (entry size, total bytes, time to live) and its sealing to id and owner. */
class SealedResponseStoreTest {

    private static final ResponseStoreSettings SETTINGS = new ResponseStoreSettings(Duration.ofMinutes(10), 1000, 3000);

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final InMemoryExpiringMap map = new InMemoryExpiringMap(now::get, SETTINGS.maxTotalBytes());
    private final ClusterKeyring keys = ClusterKeyring.of(ClusterKey.random(), List.of());
    private final Rejections rejections = new Rejections();
    private final SealedResponseStore store = new SealedResponseStore(map, "responses", keys, rejections, SETTINGS);

    @Test
    void shouldReturnTheRecordToItsOwnerOnly() {
        assertTrue(store.put("resp_1", "alice", bytes("the items")));
        assertArrayEquals(bytes("the items"), store.get("resp_1", "alice"));
        assertNull(store.get("resp_1", "bob"));
        assertFalse(store.delete("resp_1", "bob"));
        assertArrayEquals(bytes("the items"), store.get("resp_1", "alice"), "bob's delete removed alice's record");
        assertEquals(0, rejections.total(), "another owner's read is no attack");
    }

    @Test
    void shouldKeepTheRecordSealedInTheMap() {
        store.put("resp_1", "alice", bytes("a secret conversation"));
        String raw = new String((byte[]) map.get("resp_1"), StandardCharsets.ISO_8859_1);
        assertFalse(raw.contains("secret"), "the record is in clear in the cluster");
    }

    @Test
    void shouldNotOpenARecordMovedToAnotherId() {
        store.put("resp_1", "alice", bytes("one"));
        map.set("resp_2", (byte[]) map.get("resp_1"), 60_000);
        assertNull(store.get("resp_2", "alice"));
    }

    @Test
    void shouldNotOpenARecordSealedUnderAnotherClusterKey() {
        SealedResponseStore stranger = new SealedResponseStore(
                map, "responses", ClusterKeyring.of(ClusterKey.random(), List.of()), new Rejections(), SETTINGS);
        stranger.put("resp_1", "alice", bytes("planted"));
        assertNull(store.get("resp_1", "alice"));
    }

    @Test
    void shouldIgnoreAndCountAForeignValue() {
        map.plant("resp_1", "not a sealed value");
        assertNull(store.get("resp_1", "alice"));
        assertEquals(1, rejections.count("responses", Reason.FOREIGN));
    }

    @Test
    void shouldRefuseAnEntryLargerThanTheBound() {
        assertFalse(store.put("resp_big", "alice", new byte[1001]));
        assertNull(store.get("resp_big", "alice"));
        assertTrue(store.put("resp_fits", "alice", new byte[900]));
    }

    @Test
    void shouldDropTheOldestBeyondTheTotalBound() {
        for (int i = 1; i <= 4; i++) {
            assertTrue(store.put("resp_" + i, "alice", new byte[900]));
        }
        assertTrue(map.totalBytes() <= SETTINGS.maxTotalBytes());
        assertNull(store.get("resp_1", "alice"), "the oldest record outlived the total bound");
        assertEquals(900, store.get("resp_4", "alice").length);
    }

    @Test
    void shouldForgetARecordAfterItsTimeToLive() {
        store.put("resp_1", "alice", bytes("x"));
        now.addAndGet(SETTINGS.ttl().toMillis() - 1);
        assertArrayEquals(bytes("x"), store.get("resp_1", "alice"));
        now.addAndGet(1);
        assertNull(store.get("resp_1", "alice"));
    }

    @Test
    void shouldDeleteForTheOwner() {
        store.put("resp_1", "alice", bytes("x"));
        assertTrue(store.delete("resp_1", "alice"));
        assertNull(store.get("resp_1", "alice"));
        assertFalse(store.delete("resp_1", "alice"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
