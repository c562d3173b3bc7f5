package dev.crossbar.cluster.hazelcast;

import dev.crossbar.cluster.ledger.KeyState;
import dev.crossbar.cluster.seal.UnreadableValue;

/**
 * After a split brain heals, keeps the union of what both sides spent of a key ({@link KeyState#mergedWith}),
 * signed again by the member that merges.
 */
public final class ConservativeMergePolicy extends SignedMergePolicy<KeyState> {

    @Override
    String map() {
        return HazelcastLedger.KEYS_MAP;
    }

    @Override
    KeyState decode(MemberContext member, String keyId, Object value) throws UnreadableValue {
        return member.states.decode(keyId, value);
    }

    @Override
    Object encode(MemberContext member, String keyId, KeyState state) {
        return member.states.encode(keyId, state);
    }

    @Override
    KeyState merged(KeyState ours, KeyState theirs) {
        return ours.mergedWith(theirs);
    }
}
