package dev.crossbar.cluster.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingEntry;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;
import dev.crossbar.cluster.seal.UnreadableValue;
import org.jspecify.annotations.Nullable;

/**
 * After a split brain heals, merges the two sides' signed states of one entry with the state's own rule and signs
 * the result again with this member's keys. A side whose value is not authentic counts as absent; without the keys
 * (or an entry id) nothing can be checked or signed, and this side's value stays.
 *
 * @param <S> the state a map holds, sealed
 */
abstract class SignedMergePolicy<S>
        implements SplitBrainMergePolicy<Object, MergingValue<Object>, Object>, HazelcastInstanceAware {

    private transient @Nullable MemberContext context;

    @Override
    public final void setHazelcastInstance(HazelcastInstance hazelcast) {
        this.context = MemberContext.of(hazelcast);
    }

    /** The map's name, for the count of refused values. */
    abstract String map();

    abstract S decode(MemberContext member, String id, Object value) throws UnreadableValue;

    abstract Object encode(MemberContext member, String id, S state);

    /** What both sides' states come to: never less spent than either. */
    abstract S merged(S ours, S theirs);

    @Override
    public final @Nullable Object merge(
            @Nullable MergingValue<Object> merging, @Nullable MergingValue<Object> existing) {
        Object mergingValue = merging == null ? null : merging.getValue();
        Object existingValue = existing == null ? null : existing.getValue();
        String id = id(existing != null ? existing : merging);
        MemberContext member = context;
        if (member == null || id == null) {
            return existingValue != null ? existingValue : mergingValue;
        }
        S ours = authentic(member, id, existingValue);
        S theirs = authentic(member, id, mergingValue);
        if (ours == null) {
            return theirs == null ? existingValue : mergingValue;
        }
        if (theirs == null) {
            return existingValue;
        }
        return encode(member, id, merged(ours, theirs));
    }

    private @Nullable S authentic(MemberContext member, String id, @Nullable Object value) {
        if (value == null) {
            return null;
        }
        try {
            return decode(member, id, value);
        } catch (UnreadableValue refused) {
            member.rejections.refused(map(), id, refused);
            return null;
        }
    }

    private static @Nullable String id(@Nullable MergingValue<Object> value) {
        return value instanceof MergingEntry<?, ?> entry && entry.getKey() instanceof String id ? id : null;
    }

    @Override
    public final void writeData(ObjectDataOutput out) {
        // stateless
    }

    @Override
    public final void readData(ObjectDataInput in) {
        // stateless
    }
}
