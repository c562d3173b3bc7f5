package dev.crossbar.gateway.metrics;

import dev.crossbar.gateway.proxy.RequestObserver;
import dev.crossbar.gateway.proxy.RequestRecord;
import java.util.List;

/** Several request observers as one (metrics and the access log). Each is told in turn. */
public final class Observers {

    private Observers() {}

    public static RequestObserver of(RequestObserver... observers) {
        List<RequestObserver> all = List.of(observers);
        return new RequestObserver() {
            @Override
            public void completed(RequestRecord record) {
                for (int i = 0; i < all.size(); i++) {
                    all.get(i).completed(record);
                }
            }

            @Override
            public void retried(String provider, String keyId, String reason, boolean fallback) {
                for (int i = 0; i < all.size(); i++) {
                    all.get(i).retried(provider, keyId, reason, fallback);
                }
            }

            @Override
            public void queued(String model, long waitedNanos, boolean admitted) {
                for (int i = 0; i < all.size(); i++) {
                    all.get(i).queued(model, waitedNanos, admitted);
                }
            }
        };
    }
}
