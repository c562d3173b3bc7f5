package dev.crossbar.gateway.proxy;

import org.jspecify.annotations.Nullable;

/** Told about every finished request (metrics, access log). Called on the event loop: must not block. */
public interface RequestObserver {

    RequestObserver NONE = new RequestObserver() {
        @Override
        public void completed(RequestRecord record) {
            // nothing
        }
    };

    void completed(RequestRecord record);

    /** An attempt failed and the request moves to another key or target. */
    default void retried(String provider, @Nullable String keyId, @Nullable String reason, boolean fallback) {}

    /** The request waited for capacity ({@code admitted} false: it gave up, or the queue was full). */
    default void queued(String model, long waitedNanos, boolean admitted) {}
}
