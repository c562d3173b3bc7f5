package dev.crossbar.cluster.lease;

import dev.crossbar.cluster.ledger.InMemoryLedger;
import dev.crossbar.cluster.ledger.KeyCommand;
import dev.crossbar.cluster.ledger.KeyState;
import dev.crossbar.cluster.ledger.Ledger;
import dev.crossbar.cluster.ledger.LedgerSettings;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A ledger whose round trips take as long as the test says: commands wait in a queue until
 * {@link #deliverOne} applies them (in order, at that moment's time), and answers wait until
 * {@link #answerOne} hands a random one back. Models network transit both ways.
 */
final class DelayedLedger implements Ledger {

    private record Pending(String keyId, KeyCommand command, CompletableFuture<Object> future, long sentAt) {}

    private record Answer(Object value, CompletableFuture<Object> future, long sentAt) {}

    private final InMemoryLedger inner;
    private final LongSupplier clock;
    private final ArrayDeque<Pending> inTransit = new ArrayDeque<>();
    private final List<Answer> answers = new ArrayList<>();

    DelayedLedger(LongSupplier clock, LedgerSettings settings) {
        this.inner = new InMemoryLedger(clock, settings);
        this.clock = clock;
    }

    InMemoryLedger inner() {
        return inner;
    }

    @Override
    public CompletionStage<Object> execute(String keyId, KeyCommand command) {
        CompletableFuture<Object> future = new CompletableFuture<>();
        inTransit.add(new Pending(keyId, command, future, clock.getAsLong()));
        return future;
    }

    boolean deliverOne() {
        Pending p = inTransit.poll();
        if (p == null) {
            return false;
        }
        Object answer =
                inner.execute(p.keyId(), p.command()).toCompletableFuture().join();
        answers.add(new Answer(answer, p.future(), p.sentAt()));
        return true;
    }

    boolean answerOne(Random random) {
        if (answers.isEmpty()) {
            return false;
        }
        Answer a = answers.remove(random.nextInt(answers.size()));
        a.future().complete(a.value());
        return true;
    }

    /** Completes every round trip sent {@code maxMillis} or more ago: the network's upper bound. */
    void deliverOverdue(long maxMillis) {
        long now = clock.getAsLong();
        while (!inTransit.isEmpty() && now - inTransit.peek().sentAt() >= maxMillis) {
            deliverOne();
        }
        for (int i = 0; i < answers.size(); i++) {
            Answer a = answers.get(i);
            if (now - a.sentAt() >= maxMillis) {
                answers.remove(i--);
                a.future().complete(a.value());
            }
        }
    }

    void drain(Random random) {
        while (deliverOne() || answerOne(random)) {
            // until both queues are empty
        }
    }

    @Override
    public CompletionStage<Void> executeOnAll(KeyCommand command) {
        return inner.executeOnAll(command);
    }

    @Override
    public Map<String, KeyState> snapshot() {
        return inner.snapshot();
    }

    @Override
    public void onChange(Consumer<String> keyIdListener) {
        inner.onChange(keyIdListener);
    }

    @Override
    public long now() {
        return inner.now();
    }

    @Override
    public LedgerSettings settings() {
        return inner.settings();
    }

    @Override
    public void close() {
        inner.close();
    }
}
