package dev.crossbar.cluster.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.nio.serialization.HazelcastSerializationException;
import dev.crossbar.cluster.members.MemberStats;
import dev.crossbar.cluster.members.MemberStatsBoard;
import dev.crossbar.cluster.records.RecordCodec;
import dev.crossbar.cluster.seal.Rejections;
import dev.crossbar.cluster.seal.UnreadableValue;
import dev.crossbar.cluster.seal.UnreadableValue.Reason;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** The members' stats in {@code crossbar.nodes}: signed, keyed by member id, each with a time to live. */
final class HazelcastMemberStatsBoard implements MemberStatsBoard {

    private final IMap<String, Object> map;
    private final RecordCodec<MemberStats> codec;
    private final Rejections rejections;

    HazelcastMemberStatsBoard(HazelcastInstance hazelcast, RecordCodec<MemberStats> codec, Rejections rejections) {
        this.map = hazelcast.getMap(MemberStats.MAP);
        this.codec = codec;
        this.rejections = rejections;
    }

    @Override
    public CompletionStage<Void> publish(MemberStats stats) {
        try {
            return HazelcastFutures.completedOnPool(
                    map.setAsync(stats.id(), codec.encode(stats.id(), stats), TTL_MILLIS, TimeUnit.MILLISECONDS));
        } catch (RuntimeException stopping) {
            return CompletableFuture.failedFuture(stopping);
        }
    }

    @Override
    public CompletionStage<MemberStats> read(String memberId) {
        CompletionStage<Object> raw;
        try {
            raw = HazelcastFutures.completedOnPool(map.getAsync(memberId));
        } catch (RuntimeException stopping) {
            return CompletableFuture.failedFuture(stopping);
        }
        return raw.handle((value, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                if (cause instanceof HazelcastSerializationException) {
                    rejections.refused(
                            MemberStats.MAP,
                            memberId,
                            new UnreadableValue(Reason.FOREIGN, "undecodable: " + cause.getMessage()));
                }
                return null;
            }
            if (value == null) {
                return null;
            }
            try {
                return codec.decode(memberId, value).record();
            } catch (UnreadableValue refused) {
                rejections.refused(MemberStats.MAP, memberId, refused);
                return null;
            }
        });
    }
}
