package dev.crossbar.cluster.spend;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The budget ledger: each subject's spend in its current period, changed only by {@link SpendCommand}s that run
 * atomically where the subject's state lives, so N nodes reserving against one budget never together pass it.
 * Reads come from a local view kept current by the cluster's change events: cheap, and at most a moment old.
 */
public interface BudgetLedger extends AutoCloseable {

    /** Runs {@code command} on {@code subject}'s state, atomically. */
    CompletionStage<SpendAnswer> execute(String subject, SpendCommand command);

    /** The last authentic state of every subject this node has seen, by subject. */
    Map<String, SpendState> snapshot();

    /** This node's id in reservations (its member id). */
    String nodeId();

    /** The clock that decides periods here, epoch milliseconds. */
    long now();

    @Override
    default void close() {}
}
