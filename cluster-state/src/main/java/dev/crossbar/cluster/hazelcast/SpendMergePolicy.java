package dev.crossbar.cluster.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingEntry;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;
import dev.crossbar.cluster.seal.UnreadableValue;
import dev.crossbar.cluster.spend.SpendState;
import dev.crossbar.cluster.spend.SpendStateCodec;

/**
 * After a split brain heals, keeps the larger spend of the two sides' budget entries ({@link SpendState#mergedWith}),
 * signed again by the member that merges, where Hazelcast's default would keep the larger cluster's entry even when
 * the smaller side spent more. A side whose value is not authentic counts as absent.
 */
public final class SpendMergePolicy
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
        String subject = subject(existing != null ? existing : merging);
        if (context == null || subject == null) {
            // Without the keys nothing can be checked or signed: keep what this side has.
            return existingValue != null ? existingValue : mergingValue;
        }
        SpendState ours = authentic(subject, existingValue);
        SpendState theirs = authentic(subject, mergingValue);
        if (ours == null) {
            return theirs == null ? existingValue : mergingValue;
        }
        if (theirs == null) {
            return existingValue;
        }
        return context.spends.encode(subject, ours.mergedWith(theirs));
    }

    private SpendState authentic(String subject, Object value) {
        if (value == null) {
            return null;
        }
        try {
            return context.spends.decode(subject, value);
        } catch (UnreadableValue refused) {
            context.rejections.refused(SpendStateCodec.MAP, subject, refused);
            return null;
        }
    }

    private static String subject(MergingValue<Object> value) {
        return value instanceof MergingEntry<?, ?> entry && entry.getKey() instanceof String s ? s : null;
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
