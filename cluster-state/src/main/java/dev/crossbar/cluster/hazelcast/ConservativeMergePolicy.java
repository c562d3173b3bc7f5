package dev.crossbar.cluster.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;
import dev.crossbar.cluster.ledger.KeyState;

/** After a split brain heals, keeps the union of what both sides spent ({@link KeyState#mergedWith}). */
public final class ConservativeMergePolicy implements SplitBrainMergePolicy<KeyState, MergingValue<KeyState>, Object> {

    @Override
    public Object merge(MergingValue<KeyState> merging, MergingValue<KeyState> existing) {
        if (existing == null || existing.getValue() == null) {
            return merging.getRawValue();
        }
        if (merging == null || merging.getValue() == null) {
            return existing.getRawValue();
        }
        return existing.getValue().mergedWith(merging.getValue());
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
