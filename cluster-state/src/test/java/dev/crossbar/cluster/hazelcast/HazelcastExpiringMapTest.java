package dev.crossbar.cluster.hazelcast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import dev.crossbar.cluster.responses.ResponseStoreSettings;
import dev.crossbar.cluster.responses.SealedResponseStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The Responses state on two real members: written through one, read and deleted through the other. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HazelcastExpiringMapTest {

    private final TestMembers members = new TestMembers();
    private SealedResponseStore first;
    private SealedResponseStore second;

    @BeforeAll
    void startMembers() {
        HazelcastInstance a = members.start();
        HazelcastInstance b = members.start();
        ResponseStoreSettings settings = new ResponseStoreSettings(Duration.ofSeconds(1), 1 << 16, 1 << 20);
        first = new SealedResponseStore(
                new HazelcastExpiringMap(a), HazelcastExpiringMap.MAP, members.keys(), members.rejections(), settings);
        second = new SealedResponseStore(
                new HazelcastExpiringMap(b), HazelcastExpiringMap.MAP, members.keys(), members.rejections(), settings);
    }

    @AfterAll
    void stopMembers() {
        members.close();
    }

    @Test
    void shouldShareRecordsAcrossMembersForTheirOwnerOnly() {
        byte[] items = "items".getBytes(StandardCharsets.UTF_8);
        first.put("resp_shared", "alice", items);
        assertArrayEquals(items, second.get("resp_shared", "alice"));
        assertNull(second.get("resp_shared", "bob"));
        assertTrue(second.delete("resp_shared", "alice"));
        assertNull(first.get("resp_shared", "alice"));
    }

    @Test
    void shouldExpireRecordsOnEveryMember() {
        first.put("resp_short", "alice", new byte[] {1});
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (second.get("resp_short", "alice") != null) {
            assertTrue(System.nanoTime() < deadline, "the record outlived its time to live");
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }
}
