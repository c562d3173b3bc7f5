package dev.crossbar.cluster.members;

import dev.crossbar.cluster.records.RecordCodec;
import dev.crossbar.cluster.seal.Rejections;
import dev.crossbar.cluster.seal.UnreadableValue;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** A {@link MemberStatsBoard} in one process, on a given clock; values go through the same codec. */
public final class InMemoryMemberStatsBoard implements MemberStatsBoard {

    private record Entry(Object value, long expiresAt) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final RecordCodec<MemberStats> codec;
    private final Rejections rejections;
    private final LongSupplier clock;

    public InMemoryMemberStatsBoard(RecordCodec<MemberStats> codec, Rejections rejections, LongSupplier clockMillis) {
        this.codec = codec;
        this.rejections = rejections;
        this.clock = clockMillis;
    }

    /** Puts any value under a member id, as a writer without the cluster key could. */
    public void plant(String memberId, Object value) {
        entries.put(memberId, new Entry(value, clock.getAsLong() + TTL_MILLIS));
    }

    @Override
    public CompletionStage<Void> publish(MemberStats stats) {
        entries.put(stats.id(), new Entry(codec.encode(stats.id(), stats), clock.getAsLong() + TTL_MILLIS));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<MemberStats> read(String memberId) {
        Entry e = entries.get(memberId);
        if (e == null || e.expiresAt() <= clock.getAsLong()) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            return CompletableFuture.completedFuture(
                    codec.decode(memberId, e.value()).record());
        } catch (UnreadableValue refused) {
            rejections.refused(MemberStats.MAP, memberId, refused);
            return CompletableFuture.completedFuture(null);
        }
    }
}
