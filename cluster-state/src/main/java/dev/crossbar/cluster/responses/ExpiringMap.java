package dev.crossbar.cluster.responses;

import org.jspecify.annotations.Nullable;

/** The transport under a {@link SealedResponseStore}: a map of ids to bytes whose entries expire. */
public interface ExpiringMap {

    /** The value under {@code id}, or null (absent, expired, or not a value this node can decode). */
    @Nullable
    Object get(String id);

    void set(String id, byte[] value, long ttlMillis);

    /** Removes the entry if it still holds {@code expected}. */
    boolean remove(String id, byte[] expected);
}
