package dev.crossbar.cluster.spend;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** The budget ledger of one process, on an injected clock: the twin the contract tests run beside Hazelcast's. */
public final class InMemoryBudgetLedger implements BudgetLedger {

    private final Map<String, SpendState> states = new ConcurrentHashMap<>();
    private final String nodeId;
    private final LongSupplier clock;

    public InMemoryBudgetLedger(String nodeId, LongSupplier clock) {
        this.nodeId = nodeId;
        this.clock = clock;
    }

    @Override
    public synchronized CompletionStage<SpendAnswer> execute(String subject, SpendCommand command) {
        SpendCommand.Applied applied = command.apply(subject, states.get(subject), clock.getAsLong());
        if (applied.state() != null) {
            states.put(subject, applied.state());
        }
        return CompletableFuture.completedFuture(applied.answer());
    }

    @Override
    public Map<String, SpendState> snapshot() {
        return states;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public long now() {
        return clock.getAsLong();
    }
}
