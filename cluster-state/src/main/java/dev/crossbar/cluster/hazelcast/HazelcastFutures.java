package dev.crossbar.cluster.hazelcast;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hazelcast runs a future's dependent actions on its default async executor, which on a machine with two
 * cores or fewer starts a new thread for every task (a thread per ledger call, measured in
 * {@code HazelcastLedgerTest}). Its response threads cannot take them instead: a callback that makes
 * another cluster call there is refused. So Crossbar's Hazelcast calls complete on a pool of reused
 * daemon threads.
 */
public final class HazelcastFutures {

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService CALLBACKS = Executors.newCachedThreadPool(task -> {
        Thread t = new Thread(task, "crossbar-cluster-callback-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private HazelcastFutures() {}

    /** The same outcome as {@code call}, with dependent actions run on the callback pool. */
    public static <T> CompletionStage<T> completedOnPool(CompletionStage<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        call.whenCompleteAsync(
                (value, error) -> {
                    if (error != null) {
                        result.completeExceptionally(error);
                    } else {
                        result.complete(value);
                    }
                },
                CALLBACKS);
        return result;
    }
}
