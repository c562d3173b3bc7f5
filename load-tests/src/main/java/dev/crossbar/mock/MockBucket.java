package dev.crossbar.mock;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A limit the provider counts over several keys or per model, as real providers do: an organisation's or a
 * project's bucket shared by keys, a per-model limit, with several windows (a minute and a "day", shortened for
 * tests) and input and output tokens counted apart.
 *
 * @param name     how stats name it
 * @param keys     the secrets of the keys that draw from it
 * @param models   the models it counts (as the request names them); null: every model
 * @param perModel each model has its own bucket with these windows
 * @param windows  its windows
 */
public record MockBucket(String name, Set<String> keys, Set<String> models, boolean perModel, List<Window> windows) {

    /**
     * One window's limits; null is unlimited.
     *
     * @param tokens input and output tokens together, as the key's own token bucket counts them
     */
    public record Window(Duration window, Long requests, Long tokens, Long inputTokens, Long outputTokens) {
        public Window {
            if (window == null || window.toNanos() / 1000 <= 0) {
                throw new IllegalArgumentException("window must be >= 1us, was " + window);
            }
        }

        /** A window that limits requests only. */
        public static Window requests(Duration window, long requests) {
            return new Window(window, requests, null, null, null);
        }
    }

    public MockBucket {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        keys = Set.copyOf(keys);
        models = models == null ? null : Set.copyOf(models);
        if (windows == null || windows.isEmpty()) {
            throw new IllegalArgumentException("bucket " + name + ": windows must not be empty");
        }
        windows = List.copyOf(windows);
    }

    /** True when a call on {@code secret} for {@code model} counts against this bucket. */
    boolean applies(String secret, String model) {
        return keys.contains(secret) && (models == null || models.contains(model));
    }
}
