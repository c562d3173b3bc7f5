package dev.crossbar.cluster.members;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.cluster.records.RecordCodec;
import dev.crossbar.cluster.seal.ClusterKey;
import dev.crossbar.cluster.seal.ClusterKeyring;
import dev.crossbar.cluster.seal.Rejections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What every stats board must do: hand back what a member published, and nothing a forger wrote. */
public abstract class MemberStatsBoardContract {

    protected final ClusterKeyring keys = ClusterKeyring.of(ClusterKey.random(), List.of());
    protected final Rejections rejections = new Rejections();

    protected abstract MemberStatsBoard board();

    /** Puts any value under a member id, as a member without the cluster key could. */
    protected abstract void plant(String memberId, Object value);

    private static MemberStats stats(String id, double rate) {
        return new MemberStats(id, "http://127.0.0.1:8080", "0.1.0", 1, 2, rate, 3, 4, false, "0badcafe");
    }

    private MemberStats read(String id) throws Exception {
        return board().read(id).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldHandBackWhatAMemberPublished() throws Exception {
        String id = UUID.randomUUID().toString();
        assertNull(read(id));
        board().publish(stats(id, 12.5)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(stats(id, 12.5), read(id));
    }

    @Test
    void shouldIgnoreWhatAForgerWrote() throws Exception {
        String id = UUID.randomUUID().toString();
        RecordCodec<MemberStats> forger =
                new RecordCodec<>(MemberStats.FORMAT, ClusterKeyring.of(ClusterKey.random(), List.of()));
        plant(id, forger.encode(id, stats(id, 1e9)));
        long before = rejections.total();
        assertNull(read(id));
        plant(id, "{\"id\":\"x\"}");
        assertNull(read(id));
        assertTrue(rejections.total() >= before + 2);
    }
}
