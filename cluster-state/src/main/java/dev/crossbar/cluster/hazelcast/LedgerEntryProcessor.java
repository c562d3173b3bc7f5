package dev.crossbar.cluster.hazelcast;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import dev.crossbar.cluster.ledger.KeyCommand;
import dev.crossbar.cluster.ledger.KeyState;
import dev.crossbar.cluster.ledger.KeyStateIo;
import dev.crossbar.cluster.ledger.LedgerSettings;
import java.io.IOException;
import java.util.Map;

/**
 * Carries one {@link KeyCommand} to the key's partition owner and runs it there, atomically, on the
 * owner's clock. Backups receive the resulting state, not the command, so they never re-run it on a
 * different clock.
 */
final class LedgerEntryProcessor implements EntryProcessor<String, KeyState, Object>, IdentifiedDataSerializable {

    private KeyCommand command;
    private LedgerSettings settings;
    private transient KeyState result;

    LedgerEntryProcessor() {}

    LedgerEntryProcessor(KeyCommand command, LedgerSettings settings) {
        this.command = command;
        this.settings = settings;
    }

    @Override
    public Object process(Map.Entry<String, KeyState> entry) {
        KeyCommand.Applied applied = command.apply(entry.getValue(), System.currentTimeMillis(), settings);
        result = applied.state();
        entry.setValue(result);
        return applied.answer();
    }

    @Override
    public EntryProcessor<String, KeyState, Object> getBackupProcessor() {
        return new StateBackupProcessor(result);
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        KeyStateIo.writeCommand(out, command);
        out.writeLong(settings.leaseMillis());
        out.writeLong(settings.reclaimGraceMillis());
        out.writeLong(settings.backoffBaseMillis());
        out.writeLong(settings.backoffMaxMillis());
        out.writeLong(settings.rateLimitCooldownMillis());
        out.writeLong(settings.probeTimeoutMillis());
        out.writeLong(settings.creditCooldownMillis());
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        command = KeyStateIo.readCommand(in);
        settings = new LedgerSettings(
                in.readLong(),
                in.readLong(),
                in.readLong(),
                in.readLong(),
                in.readLong(),
                in.readLong(),
                in.readLong());
    }

    @Override
    public int getFactoryId() {
        return LedgerSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return LedgerSerialization.ENTRY_PROCESSOR;
    }
}
