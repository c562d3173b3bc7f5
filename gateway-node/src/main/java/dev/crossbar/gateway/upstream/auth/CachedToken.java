package dev.crossbar.gateway.upstream.auth;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One credential's bearer token, shared by every event loop: fetched once, handed out until it is close to its
 * expiry, and renewed in the background from three quarters of its lifetime on, so calls do not wait for the
 * token endpoint while the old token still works. Callers waiting for a fetch are answered on their own context.
 */
public final class CachedToken {

    private static final Logger LOG = LoggerFactory.getLogger(CachedToken.class);

    private final TokenSource source;
    private final Clock clock;
    private final String name;
    private volatile @Nullable AccessToken current;
    private @Nullable Future<AccessToken> inFlight;

    /** {@code name} says whose token this is in logs: a key id, never its secret. */
    public CachedToken(TokenSource source, Clock clock, String name) {
        this.source = source;
        this.clock = clock;
        this.name = name;
    }

    /** A token to send now. */
    public Future<String> get() {
        AccessToken token = current;
        Instant now = clock.instant();
        if (token != null && now.isBefore(token.usableUntil())) {
            if (!now.isBefore(token.refreshFrom())) {
                refresh();
            }
            return Future.succeededFuture(token.value());
        }
        return onCallersContext(refresh()).map(AccessToken::value);
    }

    /** The provider refused {@code value}: it is not handed out again. */
    public void refused(String value) {
        synchronized (this) {
            if (current != null && current.value().equals(value)) {
                current = null;
            }
        }
    }

    /** The fetch under way, or a new one; concurrent callers share it. */
    private synchronized Future<AccessToken> refresh() {
        if (inFlight != null) {
            return inFlight;
        }
        Future<AccessToken> fetch;
        try {
            fetch = source.fetch();
        } catch (RuntimeException e) {
            fetch = Future.failedFuture(e);
        }
        inFlight = fetch;
        fetch.onComplete(ar -> {
            synchronized (this) {
                inFlight = null;
                if (ar.succeeded()) {
                    current = ar.result();
                }
            }
            if (ar.failed()) {
                LOG.warn(
                        "could not renew the access token of {}: {}",
                        name,
                        ar.cause().getMessage());
            }
        });
        return fetch;
    }

    private static <T> Future<T> onCallersContext(Future<T> shared) {
        Context context = Vertx.currentContext();
        if (context == null || shared.isComplete()) {
            return shared;
        }
        Promise<T> own = Promise.promise();
        shared.onComplete(ar -> context.runOnContext(v -> own.handle(ar)));
        return own.future();
    }
}
