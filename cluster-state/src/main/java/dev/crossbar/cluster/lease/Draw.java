package dev.crossbar.cluster.lease;

/**
 * One ledger entry a call draws from and the tokens it reserves there: a key's own entry, or a shared bucket's
 * window (whose token measure may count only input or only output tokens).
 */
public record Draw(String entryId, long tokens) {}
