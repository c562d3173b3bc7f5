package dev.crossbar.cluster.ledger;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The shared key pool's state: one {@link KeyState} per provider key, changed only by
 * {@link KeyCommand}s applied atomically where the state lives, and read through a local snapshot that
 * listeners keep fresh (no round trip to read).
 */
public interface Ledger extends AutoCloseable {

    /** Runs a command on a key; completes with the command's answer. Never blocks the caller. */
    CompletionStage<Object> execute(String keyId, KeyCommand command);

    /** Runs a command on every key (node departure, for one). */
    CompletionStage<Void> executeOnAll(KeyCommand command);

    default CompletionStage<LeaseGrant> exchange(String keyId, LeaseRequest request) {
        return execute(keyId, new KeyCommand.Exchange(request)).thenApply(LeaseGrant.class::cast);
    }

    /** This node's latest view of every key; entries are immutable copies. */
    Map<String, KeyState> snapshot();

    /** Called, on a ledger thread, with each key's new state (or a state-less id on deletion). */
    void onChange(Consumer<String> keyIdListener);

    /** This ledger's clock, in epoch milliseconds (the owner's clock for remote ledgers). */
    long now();

    LedgerSettings settings();

    /** Commands this node has sent to where the states live: its cluster round trips, for a remote ledger. */
    default long roundTrips() {
        return 0;
    }

    @Override
    void close();
}
