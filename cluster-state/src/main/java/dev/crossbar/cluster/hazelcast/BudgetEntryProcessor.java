package dev.crossbar.cluster.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.impl.LazyMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import dev.crossbar.cluster.seal.UnreadableValue;
import dev.crossbar.cluster.spend.SpendAnswer;
import dev.crossbar.cluster.spend.SpendCommand;
import dev.crossbar.cluster.spend.SpendState;
import dev.crossbar.cluster.spend.SpendStateCodec;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Carries one {@link SpendCommand} to the subject's partition owner and runs it there, atomically, on the
 * owner's clock. A stored value that is not authentic is counted and ignored: the command runs on the last
 * authentic state the owner saw, so a forger can neither lower a spend nor take a budget away. The owner signs
 * what it writes; backups receive those bytes.
 */
final class BudgetEntryProcessor
        implements EntryProcessor<String, Object, Object>, IdentifiedDataSerializable, HazelcastInstanceAware {

    private static final int FORMAT = 1;

    private SpendCommand command;
    private transient @Nullable MemberContext context;
    private transient byte @Nullable [] written;

    @SuppressWarnings("NullAway.Init") // Hazelcast's deserialisation: readData sets the command before process
    BudgetEntryProcessor() {}

    BudgetEntryProcessor(SpendCommand command) {
        this.command = command;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcast) {
        this.context = MemberContext.of(hazelcast);
    }

    @Override
    public @Nullable Object process(Map.Entry<String, Object> entry) {
        MemberContext member =
                Objects.requireNonNull(context, "Hazelcast sets the member context before it runs the processor");
        String subject = entry.getKey();
        SpendState state = authentic(member, entry, subject);
        SpendCommand.Applied applied = command.apply(subject, state, System.currentTimeMillis());
        SpendState after = applied.state();
        if (after != null && !after.equals(state)) {
            written = member.spends.encode(subject, after);
            entry.setValue(written);
            member.wroteSpend(subject, after);
        }
        SpendAnswer answer = applied.answer();
        return answer == null ? null : new Answer(answer);
    }

    private @Nullable SpendState authentic(MemberContext context, Map.Entry<String, Object> entry, String subject) {
        Object raw;
        try {
            raw = entry.getValue();
        } catch (RuntimeException undecodable) {
            context.rejections.refused(
                    SpendStateCodec.MAP,
                    subject,
                    new UnreadableValue(UnreadableValue.Reason.FOREIGN, "undecodable: " + undecodable.getMessage()));
            if (entry instanceof LazyMapEntry<?, ?> lazy) {
                lazy.remove();
            }
            return context.lastSpend(subject);
        }
        if (raw == null) {
            // Nothing here: a subject never charged, or an entry someone without the cluster key removed, which
            // must not wipe its spend. Crossbar itself never removes one.
            return context.lastSpend(subject);
        }
        try {
            return context.spends.decode(subject, raw);
        } catch (UnreadableValue refused) {
            context.rejections.refused(SpendStateCodec.MAP, subject, refused);
            return context.lastSpend(subject);
        }
    }

    @Override
    public @Nullable EntryProcessor<String, Object, Object> getBackupProcessor() {
        return written == null ? null : new StateBackupProcessor(written);
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeByte(FORMAT);
        SpendStateCodec.writeCommand(out, command);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        int format = in.readByte();
        if (format != FORMAT) {
            throw new IOException("budget entry processor format " + format + " is not known here");
        }
        command = SpendStateCodec.readCommand(in);
    }

    @Override
    public int getFactoryId() {
        return LedgerSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return LedgerSerialization.SPEND_PROCESSOR;
    }

    /** The processor's answer on the wire. */
    static final class Answer implements IdentifiedDataSerializable {
        SpendAnswer answer;

        @SuppressWarnings("NullAway.Init") // Hazelcast's deserialisation: readData sets the answer
        Answer() {}

        Answer(SpendAnswer answer) {
            this.answer = answer;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            SpendStateCodec.writeAnswer(out, answer);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            answer = SpendStateCodec.readAnswer(in);
        }

        @Override
        public int getFactoryId() {
            return LedgerSerialization.FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return LedgerSerialization.SPEND_ANSWER;
        }
    }
}
