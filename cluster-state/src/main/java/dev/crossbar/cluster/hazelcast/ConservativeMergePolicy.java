package dev.crossbar.cluster.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingEntry;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;
import dev.crossbar.cluster.ledger.KeyState;
import dev.crossbar.cluster.seal.UnreadableValue;

/**
 * After a split brain heals, keeps the union of what both sides spent ({@link KeyState#mergedWith}), signed
 * again by the member that merges. A side whose value is not authentic counts as absent.
 */
public final class ConservativeMergePolicy
        implements SplitBrainMergePolicy<Object, MergingValue<Object>, Object>, HazelcastInstanceAware {

    private transient MemberContext context;

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcast) {
        this.context = MemberContext.of(hazelcast);
    }

    @Override
    public Object merge(MergingValue<Object> merging, MergingValue<Object> existing) {
        Object mergingValue = merging == null ? null : merging.getValue();
        Object existingValue = existing == null ? null : existing.getValue();
        if (context == null) {
            // Without the keys nothing can be checked or signed: keep what this side has.
            return existingValue != null ? existingValue : mergingValue;
        }
        String keyId = keyId(existing != null ? existing : merging);
        if (keyId == null) {
            return existingValue != null ? existingValue : mergingValue;
        }
        KeyState ours = authentic(keyId, existingValue);
        KeyState theirs = authentic(keyId, mergingValue);
        if (ours == null) {
            return theirs == null ? existingValue : mergingValue;
        }
        if (theirs == null) {
            return existingValue;
        }
        return context.states.encode(ours.keyId(), ours.mergedWith(theirs));
    }

    private KeyState authentic(String keyId, Object value) {
        if (value == null) {
            return null;
        }
        try {
            return context.states.decode(keyId, value);
        } catch (UnreadableValue refused) {
            context.rejections.refused(HazelcastLedger.KEYS_MAP, keyId, refused);
            return null;
        }
    }

    private static String keyId(MergingValue<Object> value) {
        return value instanceof MergingEntry<?, ?> entry && entry.getKey() instanceof String id ? id : null;
    }

    @Override
    public void writeData(ObjectDataOutput out) {
        // stateless
    }

    @Override
    public void readData(ObjectDataInput in) {
        // stateless
    }
}
