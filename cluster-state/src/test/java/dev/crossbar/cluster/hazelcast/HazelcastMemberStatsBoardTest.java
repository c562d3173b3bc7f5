package dev.crossbar.cluster.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import dev.crossbar.cluster.members.MemberStats;
import dev.crossbar.cluster.members.MemberStatsBoard;
import dev.crossbar.cluster.members.MemberStatsBoardContract;
import dev.crossbar.cluster.records.RecordCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HazelcastMemberStatsBoardTest extends MemberStatsBoardContract {

    private final TestMembers members = new TestMembers();
    private HazelcastInstance first;
    private HazelcastMemberStatsBoard board;

    @BeforeAll
    void start() {
        first = members.start(keys, rejections);
        board = new HazelcastMemberStatsBoard(
                members.start(keys, rejections), new RecordCodec<>(MemberStats.FORMAT, keys), rejections);
    }

    @AfterAll
    void stop() {
        members.close();
    }

    @Override
    protected MemberStatsBoard board() {
        return board;
    }

    @Override
    protected void plant(String memberId, Object value) {
        first.getMap(MemberStats.MAP).set(memberId, value);
    }
}
