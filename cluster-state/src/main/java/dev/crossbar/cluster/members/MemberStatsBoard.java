package dev.crossbar.cluster.members;

import java.util.concurrent.CompletionStage;

/** Where nodes publish their {@link MemberStats} for each other; a record lives a few seconds unless renewed. */
public interface MemberStatsBoard {

    /** How long a published record lives. */
    long TTL_MILLIS = 5_000;

    /** Publishes this node's record; a failure is only logged (the record expires by itself). */
    CompletionStage<Void> publish(MemberStats stats);

    /** The member's latest authentic record, or null when there is none (or it is not authentic). */
    CompletionStage<MemberStats> read(String memberId);
}
