package dev.crossbar.cluster.lease;

/**
 * The right to make one upstream call on a key, spent from this node's lease. Hand it back through
 * {@link LocalLeases#release} exactly once, whatever happens to the call.
 *
 * @param estimatedTokens the tokens charged up front, settled on release
 * @param probe           true when this is the single trial call after a cooldown
 * @param generation      the lease generation it was spent from (see {@link LocalLeases})
 */
public record Permit(String keyId, long estimatedTokens, boolean probe, long generation) implements Acquisition {}
