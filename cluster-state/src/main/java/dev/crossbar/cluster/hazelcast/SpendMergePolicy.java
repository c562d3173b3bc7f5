package dev.crossbar.cluster.hazelcast;

import dev.crossbar.cluster.seal.UnreadableValue;
import dev.crossbar.cluster.spend.SpendState;
import dev.crossbar.cluster.spend.SpendStateCodec;

/**
 * After a split brain heals, keeps the larger spend of the two sides' budget entries ({@link SpendState#mergedWith}),
 * signed again by the member that merges, where Hazelcast's default would keep the larger cluster's entry even when
 * the smaller side spent more.
 */
public final class SpendMergePolicy extends SignedMergePolicy<SpendState> {

    @Override
    String map() {
        return SpendStateCodec.MAP;
    }

    @Override
    SpendState decode(MemberContext member, String subject, Object value) throws UnreadableValue {
        return member.spends.decode(subject, value);
    }

    @Override
    Object encode(MemberContext member, String subject, SpendState state) {
        return member.spends.encode(subject, state);
    }

    @Override
    SpendState merged(SpendState ours, SpendState theirs) {
        return ours.mergedWith(theirs);
    }
}
