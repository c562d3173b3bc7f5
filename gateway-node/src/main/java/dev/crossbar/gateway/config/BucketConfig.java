package dev.crossbar.gateway.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A limit the provider counts over more than one key or per model: an organisation's or a project's bucket
 * that several keys draw from, a per-model limit, with one or more windows (per minute and per day).
 *
 * @param name     the bucket's name, unique within its provider
 * @param keys     ids of the provider's keys that draw from it; absent: every key of the provider, also
 *                 keys added later through the admin API
 * @param models   the upstream models it counts; absent: every model
 * @param perModel true when each model has a bucket of its own with these windows (OpenAI's per-model
 *                 limits); needs {@code models}, or counts each model the routes send to the provider
 * @param windows  the windows, each with its limits
 */
public record BucketConfig(
        String name,
        @Nullable List<String> keys,
        @Nullable List<String> models,
        Boolean perModel,
        List<BucketWindowConfig> windows) {

    // Not compact, so that a field left out (null) can be passed in for its default.
    public BucketConfig(
            String name,
            @Nullable List<String> keys,
            @Nullable List<String> models,
            @Nullable Boolean perModel,
            @Nullable List<BucketWindowConfig> windows) {
        Check.required("name", name);
        if (name.contains("/") || name.contains("#")) {
            throw new IllegalArgumentException("name cannot contain '/' or '#', was '" + name + "'");
        }
        keys = keys == null ? null : List.copyOf(keys);
        if (keys != null && keys.isEmpty()) {
            throw new IllegalArgumentException("keys: leave it out for every key of the provider, or name some");
        }
        models = models == null ? null : List.copyOf(models);
        if (models != null && models.isEmpty()) {
            throw new IllegalArgumentException("models: leave it out for every model, or name some");
        }
        perModel = perModel != null && perModel;
        if (windows == null || windows.isEmpty()) {
            throw new IllegalArgumentException("windows: bucket '" + name + "' needs at least one window");
        }
        windows = List.copyOf(windows);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < windows.size(); i++) {
            if (!seen.add(windows.get(i).window().toMillis())) {
                throw new IllegalArgumentException("windows[" + i + "].window: "
                        + DurationText.format(windows.get(i).window()) + " is given twice in bucket '" + name + "'");
            }
        }
        this.name = name;
        this.keys = keys;
        this.models = models;
        this.perModel = perModel;
        this.windows = windows;
    }

    /** True when {@code keyId} draws from this bucket. */
    public boolean covers(String keyId) {
        return keys == null || keys.contains(keyId);
    }
}
