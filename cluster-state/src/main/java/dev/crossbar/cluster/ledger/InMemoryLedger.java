package dev.crossbar.cluster.ledger;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A single-process ledger with the same rules as the clustered one: for unit tests (with a fake
 * clock) and as the reference the contract tests hold the Hazelcast ledger to.
 */
public final class InMemoryLedger implements Ledger {

    private final Map<String, KeyState> states = new ConcurrentHashMap<>();
    private final Map<String, KeyState> snapshot = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final LongSupplier clock;
    private final LedgerSettings settings;
    private final LongAdder commands = new LongAdder();

    public InMemoryLedger(LongSupplier clockMillis, LedgerSettings settings) {
        this.clock = clockMillis;
        this.settings = settings;
    }

    @Override
    public CompletionStage<Object> execute(String keyId, KeyCommand command) {
        commands.increment();
        Object answer;
        synchronized (this) {
            KeyCommand.Applied applied = command.apply(states.get(keyId), clock.getAsLong(), settings);
            KeyState after = applied.state();
            if (after == null) {
                states.remove(keyId);
                snapshot.remove(keyId);
            } else {
                states.put(keyId, after);
                snapshot.put(keyId, after.copy());
            }
            answer = applied.answer();
        }
        listeners.forEach(l -> l.accept(keyId));
        return CompletableFuture.completedFuture(answer);
    }

    @Override
    public CompletionStage<Void> executeOnAll(KeyCommand command) {
        for (String keyId : states.keySet()) {
            execute(keyId, command);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Map<String, KeyState> snapshot() {
        return snapshot;
    }

    @Override
    public void onChange(Consumer<String> keyIdListener) {
        listeners.add(keyIdListener);
    }

    @Override
    public long now() {
        return clock.getAsLong();
    }

    @Override
    public LedgerSettings settings() {
        return settings;
    }

    @Override
    public long roundTrips() {
        return commands.sum();
    }

    @Override
    public void close() {
        listeners.clear();
    }
}
