package dev.crossbar.cluster.hazelcast;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import dev.crossbar.cluster.records.ClientKeyRecord;
import dev.crossbar.cluster.records.RecordCodec;
import dev.crossbar.cluster.records.RecordFormat;
import dev.crossbar.cluster.records.RecordStore;
import dev.crossbar.cluster.records.RecordStoreContract;
import dev.crossbar.cluster.records.SharedRecords;
import dev.crossbar.cluster.seal.ClusterKeyring;
import dev.crossbar.cluster.seal.Rejections;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The record store contract on two real members (one writes, the other reads), plus Java serialization. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HazelcastRecordStoreTest extends RecordStoreContract {

    private final TestMembers members = new TestMembers();
    private HazelcastInstance first;
    private HazelcastInstance second;
    private boolean alternate;

    @BeforeAll
    void startMembers() {
        first = members.start(keys, rejections);
        second = members.start(keys, rejections);
    }

    @AfterAll
    void stopMembers() {
        members.close();
    }

    @Override
    protected <R> RecordStore<R> store(RecordFormat<R> format, ClusterKeyring storeKeys, Rejections storeRejections) {
        alternate = !alternate;
        return new SharedRecords<>(
                new HazelcastRawMap(alternate ? first : second, format.map(), storeRejections),
                new RecordCodec<>(format, storeKeys),
                storeRejections);
    }

    @Override
    protected void plant(String map, String id, Object value) {
        first.getMap(map).set(id, value);
    }

    @Override
    protected Object raw(String map, String id) {
        return second.getMap(map).get(id);
    }

    /**
     * A member may put a Java-serialized object in any map. Reading it must not run its class's code: the
     * serialization filter refuses the class before it is loaded, and the record is ignored and counted.
     */
    @Test
    void shouldNeverDeserializeAForeignJavaObject() {
        String id = "gadget-" + UUID.randomUUID();
        Gadget.readObjects.set(0);
        plant(ClientKeyRecord.FORMAT.map(), id, new Gadget());
        RecordStore<ClientKeyRecord> store = store(ClientKeyRecord.FORMAT, keys, rejections);
        long before = rejections.total();
        assertNull(store.get(id));
        assertFalse(store.all().containsKey(id));
        assertTrue(rejections.total() >= before + 2);
        assertTrue(Gadget.readObjects.get() == 0, "the foreign class's readObject ran");
    }
}
