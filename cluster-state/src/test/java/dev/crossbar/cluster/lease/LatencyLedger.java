package dev.crossbar.cluster.lease;

import dev.crossbar.cluster.ledger.InMemoryLedger;
import dev.crossbar.cluster.ledger.KeyCommand;
import dev.crossbar.cluster.ledger.KeyState;
import dev.crossbar.cluster.ledger.Ledger;
import dev.crossbar.cluster.ledger.LedgerSettings;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One node's view of a shared ledger whose owner is {@code oneWayMillis} away: a command reaches the owner
 * that long after it was sent and its answer comes back as long after that. A node with 0 ms is the key's
 * owner itself. All views of one {@link Network} share its ledger and its clock; {@link Network#runUntil}
 * delivers what is due in time order.
 */
final class LatencyLedger implements Ledger {

    /** The shared owner and the events travelling to and from it. */
    static final class Network {
        private record Event(long at, long seq, Runnable action) {}

        private final InMemoryLedger owner;
        private final LongSupplier clock;
        private final PriorityQueue<Event> events =
                new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
        private long seq;

        Network(LongSupplier clock, LedgerSettings settings) {
            this.owner = new InMemoryLedger(clock, settings);
            this.clock = clock;
        }

        InMemoryLedger owner() {
            return owner;
        }

        void at(long millis, Runnable action) {
            events.add(new Event(millis, seq++, action));
        }

        /** Runs every event due by the clock's now, including those the running ones schedule for now. */
        void runDue() {
            while (!events.isEmpty() && events.peek().at <= clock.getAsLong()) {
                events.poll().action.run();
            }
        }
    }

    private final Network network;
    private final long oneWayMillis;

    LatencyLedger(Network network, long oneWayMillis) {
        this.network = network;
        this.oneWayMillis = oneWayMillis;
    }

    @Override
    public CompletionStage<Object> execute(String keyId, KeyCommand command) {
        CompletableFuture<Object> answer = new CompletableFuture<>();
        long now = network.clock.getAsLong();
        network.at(now + oneWayMillis, () -> {
            Object value =
                    network.owner.execute(keyId, command).toCompletableFuture().join();
            network.at(network.clock.getAsLong() + oneWayMillis, () -> answer.complete(value));
        });
        return answer;
    }

    @Override
    public CompletionStage<Void> executeOnAll(KeyCommand command) {
        return network.owner.executeOnAll(command);
    }

    /** Entry listeners are fast next to a round trip: every node sees the owner's state at once. */
    @Override
    public Map<String, KeyState> snapshot() {
        return network.owner.snapshot();
    }

    @Override
    public void onChange(Consumer<String> keyIdListener) {
        network.owner.onChange(keyIdListener);
    }

    @Override
    public long now() {
        return network.owner.now();
    }

    @Override
    public LedgerSettings settings() {
        return network.owner.settings();
    }

    @Override
    public void close() {
        network.owner.close();
    }
}
