package dev.crossbar.cluster.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.impl.LazyMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import dev.crossbar.cluster.ledger.KeyCommand;
import dev.crossbar.cluster.ledger.KeyState;
import dev.crossbar.cluster.ledger.KeyStateIo;
import dev.crossbar.cluster.ledger.LedgerSettings;
import dev.crossbar.cluster.seal.UnreadableValue;
import java.io.IOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Carries one {@link KeyCommand} to the key's partition owner and runs it there, atomically, on the
 * owner's clock. The owner reads the stored state only if it is authentic (signed with the cluster key it
 * holds): anything else is counted and ignored, and the command runs on the last authentic state the owner
 * saw, so a forged value never decides a grant and never keeps a key from its clients. The owner signs the
 * state it writes. Backups receive the resulting bytes, not the command, so they never re-run it on a
 * different clock.
 */
final class LedgerEntryProcessor
        implements EntryProcessor<String, Object, Object>, IdentifiedDataSerializable, HazelcastInstanceAware {

    /** The message's own format version (this processor on the wire). */
    private static final int FORMAT = 2;

    private KeyCommand command;
    private LedgerSettings settings;
    private transient @Nullable MemberContext context;
    private transient byte @Nullable [] written;
    private transient boolean removed;

    @SuppressWarnings("NullAway.Init") // Hazelcast's deserialisation: readData sets command and settings
    LedgerEntryProcessor() {}

    LedgerEntryProcessor(KeyCommand command, LedgerSettings settings) {
        this.command = command;
        this.settings = settings;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcast) {
        this.context = MemberContext.of(hazelcast);
    }

    @Override
    public @Nullable Object process(Map.Entry<String, Object> entry) {
        MemberContext context = this.context;
        if (context == null) {
            throw new IllegalStateException("the ledger's entry processor ran without its member context");
        }
        String keyId = entry.getKey();
        KeyState state = authentic(context, entry, keyId);
        KeyCommand.Applied applied = command.apply(state, System.currentTimeMillis(), settings);
        KeyState after = applied.state();
        if (after == null) {
            // A forged value stays until an authentic write replaces it, unless the key is being deleted.
            if (state != null || command instanceof KeyCommand.Delete) {
                entry.setValue(null);
                removed = true;
            }
        } else {
            written = context.states.encode(keyId, after);
            entry.setValue(written);
        }
        return applied.answer();
    }

    private @Nullable KeyState authentic(MemberContext context, Map.Entry<String, Object> entry, String keyId) {
        Object raw;
        try {
            raw = entry.getValue();
        } catch (RuntimeException undecodable) {
            context.rejections.refused(
                    HazelcastLedger.KEYS_MAP,
                    keyId,
                    new UnreadableValue(UnreadableValue.Reason.FOREIGN, "undecodable: " + undecodable.getMessage()));
            // Map.Entry.setValue returns the old value, so Hazelcast would try to decode it again and fail: set
            // it aside without decoding first (the entry is Hazelcast's own LazyMapEntry; 5.3's API has no other
            // way).
            if (entry instanceof LazyMapEntry<?, ?> lazy) {
                lazy.remove();
            }
            return context.lastAuthentic(keyId);
        }
        if (raw == null) {
            return null;
        }
        try {
            return context.states.decode(keyId, raw);
        } catch (UnreadableValue refused) {
            context.rejections.refused(HazelcastLedger.KEYS_MAP, keyId, refused);
            return context.lastAuthentic(keyId);
        }
    }

    @Override
    public @Nullable EntryProcessor<String, Object, Object> getBackupProcessor() {
        if (written != null) {
            return new StateBackupProcessor(written);
        }
        return removed ? new StateBackupProcessor(null) : null;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeByte(FORMAT);
        KeyStateIo.writeCommand(out, command);
        out.writeLong(settings.leaseMillis());
        out.writeLong(settings.reclaimGraceMillis());
        out.writeLong(settings.backoffBaseMillis());
        out.writeLong(settings.backoffMaxMillis());
        out.writeLong(settings.rateLimitCooldownMillis());
        out.writeLong(settings.probeTimeoutMillis());
        out.writeLong(settings.creditCooldownMillis());
        out.writeInt(settings.failuresToCoolDown());
        out.writeLong(settings.failureWindowMillis());
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        int format = in.readByte();
        if (format != FORMAT) {
            throw new IOException("ledger entry processor format " + format + " is not known here");
        }
        command = KeyStateIo.readCommand(in);
        settings = new LedgerSettings(
                in.readLong(),
                in.readLong(),
                in.readLong(),
                in.readLong(),
                in.readLong(),
                in.readLong(),
                in.readLong(),
                in.readInt(),
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
