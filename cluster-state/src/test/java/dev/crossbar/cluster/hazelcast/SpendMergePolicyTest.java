package dev.crossbar.cluster.hazelcast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.spi.merge.MergingEntry;
import com.hazelcast.spi.merge.MergingValue;
import dev.crossbar.cluster.seal.ClusterKey;
import dev.crossbar.cluster.seal.ClusterKeyring;
import dev.crossbar.cluster.spend.Period;
import dev.crossbar.cluster.spend.SpendState;
import dev.crossbar.cluster.spend.SpendStateCodec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The budget ledger's split-brain merge on a real member: the map is configured with it, the larger spend of the
 * two sides survives (Hazelcast's default keeps the larger cluster's entry, which may have spent less), and a side
 * that is not authentic under the cluster key counts as absent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpendMergePolicyTest {

    private static final long START = 1_764_547_200_000L;
    private final TestMembers members = new TestMembers();
    private HazelcastInstance member;
    private SpendStateCodec codec;
    private final SpendMergePolicy policy = new SpendMergePolicy();

    @BeforeAll
    void start() {
        member = members.start();
        codec = MemberContext.of(member).spends;
        policy.setHazelcastInstance(member);
    }

    @AfterAll
    void stop() {
        members.close();
    }

    @Test
    void shouldBeTheSpendMapsMergePolicy() {
        assertEquals(
                SpendMergePolicy.class.getName(),
                member.getConfig()
                        .getMapConfig(SpendStateCodec.MAP)
                        .getMergePolicyConfig()
                        .getPolicy());
    }

    @Test
    void shouldKeepTheSmallerSidesLargerSpend() {
        // The larger cluster (existing) spent less during the split than the smaller one (merging).
        byte[] larger = codec.encode("team:red", state(300, Map.of("a", 10L)));
        byte[] smaller = codec.encode("team:red", state(700, Map.of("b", 4L)));
        SpendState merged =
                codec.decode("team:red", policy.merge(entry("team:red", smaller), entry("team:red", larger)));
        assertEquals(700, merged.spentNanos());
        assertEquals(Map.of("a", 10L, "b", 4L), merged.reserved());
    }

    @Test
    void shouldTakeTheOtherSideWhenOneIsMissingOrForged() {
        byte[] ours = codec.encode("team:red", state(300, Map.of()));
        SpendStateCodec stranger = new SpendStateCodec(ClusterKeyring.of(ClusterKey.random(), List.of()));
        byte[] forged = stranger.encode("team:red", state(0, Map.of()));
        assertArrayEquals(ours, (byte[]) policy.merge(entry("team:red", forged), entry("team:red", ours)));
        assertArrayEquals(ours, (byte[]) policy.merge(entry("team:red", ours), entry("team:red", forged)));
        assertArrayEquals(ours, (byte[]) policy.merge(entry("team:red", ours), null));
    }

    private static SpendState state(long spent, Map<String, Long> reserved) {
        return new SpendState("team:red", Period.DAY, START, spent, reserved);
    }

    private static MergingValue<Object> entry(String key, byte[] value) {
        return new MergingEntry<String, Object>() {
            @Override
            public String getKey() {
                return key;
            }

            @Override
            public Object getRawKey() {
                return key;
            }

            @Override
            public Object getValue() {
                return value;
            }

            @Override
            public Object getRawValue() {
                return value;
            }
        };
    }
}
