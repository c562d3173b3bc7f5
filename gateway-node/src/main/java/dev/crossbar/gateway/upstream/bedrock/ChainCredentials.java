package dev.crossbar.gateway.upstream.bedrock;

import dev.crossbar.gateway.upstream.ProviderKey;
import dev.crossbar.gateway.upstream.auth.CredentialException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;

/**
 * The credential of the standard AWS chain (environment, system properties, profile, web identity, container,
 * instance metadata), resolved on a worker thread as resolving may block on a file or a metadata call, and cached:
 * until {@link #REFRESH_BEFORE} its expiry for temporary credentials, for {@link #RECHECK_AFTER} otherwise. One
 * resolution at a time; callers on every event loop meanwhile share it, each answered on its own context.
 */
final class ChainCredentials implements AwsCredentialSource {

    static final Duration REFRESH_BEFORE = Duration.ofMinutes(5);
    static final Duration RECHECK_AFTER = Duration.ofMinutes(15);

    private record Cached(AwsCredentialsIdentity identity, Instant refreshAt) {}

    private final Vertx vertx;
    private final IdentityProvider<? extends AwsCredentialsIdentity> chain;
    private final Clock clock;
    private volatile @Nullable Cached cached;
    private @Nullable CompletableFuture<AwsCredentialsIdentity> inFlight;

    ChainCredentials(Vertx vertx, IdentityProvider<? extends AwsCredentialsIdentity> chain, Clock clock) {
        this.vertx = vertx;
        this.chain = chain;
        this.clock = clock;
    }

    @Override
    public Future<AwsCredentialsIdentity> credentials(ProviderKey key) {
        Cached now = cached;
        if (now != null && clock.instant().isBefore(now.refreshAt())) {
            return Future.succeededFuture(now.identity());
        }
        return Future.fromCompletionStage(resolve(), vertx.getOrCreateContext());
    }

    private synchronized CompletableFuture<AwsCredentialsIdentity> resolve() {
        if (inFlight != null) {
            return inFlight;
        }
        CompletableFuture<AwsCredentialsIdentity> resolving = vertx.<AwsCredentialsIdentity>executeBlocking(
                        () -> chain.resolveIdentity().join(), false)
                .recover(e -> Future.failedFuture(new CredentialException(
                        "the AWS credential chain gave no credential ("
                                + e.getClass().getSimpleName() + ")",
                        false)))
                .andThen(ar -> {
                    synchronized (this) {
                        inFlight = null;
                        if (ar.succeeded()) {
                            cached = new Cached(ar.result(), refreshAt(ar.result()));
                        }
                    }
                })
                .toCompletionStage()
                .toCompletableFuture();
        if (!resolving.isDone()) {
            inFlight = resolving; // a resolution already done has cleared inFlight and filled the cache itself
        }
        return resolving;
    }

    private Instant refreshAt(AwsCredentialsIdentity identity) {
        return identity.expirationTime()
                .map(expiry -> expiry.minus(REFRESH_BEFORE))
                .orElse(clock.instant().plus(RECHECK_AFTER));
    }
}
