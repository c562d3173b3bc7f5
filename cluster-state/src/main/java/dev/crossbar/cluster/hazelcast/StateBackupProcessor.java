package dev.crossbar.cluster.hazelcast;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.impl.LazyMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Writes the primary's resulting bytes (signed by the primary) on a backup replica; null removes the entry. */
final class StateBackupProcessor implements EntryProcessor<String, Object, Object>, IdentifiedDataSerializable {

    private byte @Nullable [] state;

    StateBackupProcessor() {}

    StateBackupProcessor(byte @Nullable [] state) {
        this.state = state;
    }

    @Override
    public @Nullable Object process(Map.Entry<String, Object> entry) {
        // setValue hands back the old value, which Hazelcast decodes first: a foreign value planted in the map
        // would fail every backup (and every caller would wait for the backup's ack). Set it aside undecoded.
        if (entry instanceof LazyMapEntry<?, ?> lazy) {
            lazy.remove();
        }
        entry.setValue(state);
        return null;
    }

    @Override
    public @Nullable EntryProcessor<String, Object, Object> getBackupProcessor() {
        return null;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeByteArray(state);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        state = in.readByteArray();
    }

    @Override
    public int getFactoryId() {
        return LedgerSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return LedgerSerialization.BACKUP_PROCESSOR;
    }
}
