package dev.crossbar.cluster.hazelcast;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import dev.crossbar.cluster.ledger.KeyState;
import dev.crossbar.cluster.ledger.KeyStateIo;
import java.io.IOException;
import java.util.Map;

/** Writes the primary's resulting state on a backup replica (null removes the entry). */
final class StateBackupProcessor implements EntryProcessor<String, KeyState, Object>, IdentifiedDataSerializable {

    private KeyState state;

    StateBackupProcessor() {}

    StateBackupProcessor(KeyState state) {
        this.state = state;
    }

    @Override
    public Object process(Map.Entry<String, KeyState> entry) {
        entry.setValue(state);
        return null;
    }

    @Override
    public EntryProcessor<String, KeyState, Object> getBackupProcessor() {
        return null;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeBoolean(state != null);
        if (state != null) {
            KeyStateIo.writeState(out, state);
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        state = in.readBoolean() ? KeyStateIo.readState(in) : null;
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
