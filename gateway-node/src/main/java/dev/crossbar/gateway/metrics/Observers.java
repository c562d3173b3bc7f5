package dev.crossbar.gateway.metrics;

import dev.crossbar.gateway.proxy.RequestObserver;
import dev.crossbar.gateway.proxy.RequestRecord;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several request observers as one (metrics and the access log). Each is told in turn; one that
 * throws does not keep the others from hearing, nor break the request that is finishing.
 */
public final class Observers {

    private static final Logger LOG = LoggerFactory.getLogger(Observers.class);

    private Observers() {}

    public static RequestObserver of(RequestObserver... observers) {
        RequestObserver[] all = List.of(observers).toArray(RequestObserver[]::new);
        return new RequestObserver() {
            private volatile boolean warned;

            @Override
            public void completed(RequestRecord record) {
                for (RequestObserver o : all) {
                    try {
                        o.completed(record);
                    } catch (RuntimeException e) {
                        failed(o, e);
                    }
                }
            }

            @Override
            public void retried(String provider, @Nullable String keyId, @Nullable String reason, boolean fallback) {
                for (RequestObserver o : all) {
                    try {
                        o.retried(provider, keyId, reason, fallback);
                    } catch (RuntimeException e) {
                        failed(o, e);
                    }
                }
            }

            @Override
            public void queued(String model, long waitedNanos, boolean admitted) {
                for (RequestObserver o : all) {
                    try {
                        o.queued(model, waitedNanos, admitted);
                    } catch (RuntimeException e) {
                        failed(o, e);
                    }
                }
            }

            private void failed(RequestObserver o, RuntimeException e) {
                if (!warned) {
                    warned = true;
                    LOG.warn("request observer {} failed (further failures are logged at debug)", o, e);
                } else {
                    LOG.debug("request observer {} failed: {}", o, e.toString());
                }
            }
        };
    }
}
