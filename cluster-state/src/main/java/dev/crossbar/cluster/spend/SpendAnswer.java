package dev.crossbar.cluster.spend;

/**
 * What the budget ledger answered a command with: whether a reservation was granted, and the subject's standing
 * after the command.
 *
 * @param granted     true when the reservation was made (always true for other commands)
 * @param periodStart the period the standing (and a granted reservation) belongs to
 * @param periodEnd   when that period ends: the budget resets then
 * @param spentNanos  settled spend in the period
 * @param reservedNanos what all nodes hold reserved in the period
 */
public record SpendAnswer(boolean granted, long periodStart, long periodEnd, long spentNanos, long reservedNanos) {}
