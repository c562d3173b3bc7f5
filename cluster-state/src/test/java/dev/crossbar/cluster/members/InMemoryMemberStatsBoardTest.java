package dev.crossbar.cluster.members;

import dev.crossbar.cluster.records.RecordCodec;

class InMemoryMemberStatsBoardTest extends MemberStatsBoardContract {

    private final InMemoryMemberStatsBoard board =
            new InMemoryMemberStatsBoard(new RecordCodec<>(MemberStats.FORMAT, keys), rejections, () -> 1_000L);

    @Override
    protected MemberStatsBoard board() {
        return board;
    }

    @Override
    protected void plant(String memberId, Object value) {
        board.plant(memberId, value);
    }
}
