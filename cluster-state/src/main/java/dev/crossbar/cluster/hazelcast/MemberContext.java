package dev.crossbar.cluster.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import dev.crossbar.cluster.ledger.KeyState;
import dev.crossbar.cluster.ledger.KeyStateCodec;
import dev.crossbar.cluster.seal.ClusterKeyring;
import dev.crossbar.cluster.seal.Rejections;
import dev.crossbar.cluster.spend.SpendState;
import dev.crossbar.cluster.spend.SpendStateCodec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * What this member's entry processors and merge policy use where they run: the cluster keys (which never
 * travel with them), the counters of refused values, and the ledger's last authentic states. It sits in the
 * member's user context, set before the member starts; Hazelcast hands the instance to the processors.
 */
final class MemberContext {

    static final String KEY = "crossbar.member";

    final ClusterKeyring keys;
    final KeyStateCodec states;
    final Rejections rejections;
    final SpendStateCodec spends;
    /** The ledger's snapshot once it exists: the last authentic state of each key this member saw. */
    private volatile Map<String, KeyState> lastAuthentic = new ConcurrentHashMap<>();
    /** The budget ledger's snapshot once it exists: the last authentic spend of each subject. */
    private volatile Map<String, SpendState> lastSpend = new ConcurrentHashMap<>();

    MemberContext(ClusterKeyring keys, Rejections rejections) {
        this.keys = keys;
        this.states = new KeyStateCodec(keys);
        this.rejections = rejections;
        this.spends = new SpendStateCodec(keys);
    }

    static MemberContext of(HazelcastInstance hazelcast) {
        Object context = hazelcast.getUserContext().get(KEY);
        if (!(context instanceof MemberContext mine)) {
            throw new IllegalStateException("this Hazelcast member was not configured by Crossbar (no member context)");
        }
        return mine;
    }

    void ledgerSnapshot(Map<String, KeyState> snapshot) {
        lastAuthentic = snapshot;
    }

    /** A copy of the last authentic state this member saw of {@code keyId}, or null. */
    @Nullable
    KeyState lastAuthentic(String keyId) {
        KeyState s = lastAuthentic.get(keyId);
        return s == null ? null : s.copy();
    }

    void spendSnapshot(Map<String, SpendState> snapshot) {
        lastSpend = snapshot;
    }

    /**
     * The owner wrote {@code state} of {@code subject}: it is the last authentic one from now on, before this
     * member's own listener hears of the write (a value forged in between must not find the view without it).
     */
    void wroteSpend(String subject, SpendState state) {
        lastSpend.put(subject, state);
    }

    /** The last authentic spend state this member saw of {@code subject}, or null. */
    @Nullable
    SpendState lastSpend(String subject) {
        return lastSpend.get(subject);
    }
}
