package dev.crossbar.cluster.records;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Runs a refresh after changes, on one thread of its own: runs never overlap (the last one always reads the
 * latest state) and never block the thread that reports the change; changes that arrive while one runs are
 * folded into one more run.
 */
public final class Refresher implements AutoCloseable {

    private final ExecutorService thread;
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile @Nullable Runnable refresh;

    public Refresher(String name) {
        this.thread = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "crossbar-" + name + "-refresh");
            t.setDaemon(true);
            return t;
        });
    }

    public void onChange(Runnable refresh) {
        this.refresh = refresh;
    }

    /** Something changed: refresh soon. */
    public void changed() {
        Runnable r = refresh;
        if (r != null && pending.compareAndSet(false, true)) {
            try {
                thread.execute(() -> {
                    pending.set(false);
                    r.run();
                });
            } catch (RejectedExecutionException closed) {
                // the store is closing
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
