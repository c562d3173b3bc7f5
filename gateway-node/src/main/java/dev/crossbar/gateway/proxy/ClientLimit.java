package dev.crossbar.gateway.proxy;

import dev.crossbar.cluster.lease.Acquisition;
import dev.crossbar.cluster.lease.LocalLeases;
import dev.crossbar.cluster.lease.Permit;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.gateway.auth.ClientKey;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.jspecify.annotations.Nullable;

/**
 * The client key's own limits (DESIGN.md 4), counted cluster-wide in the same ledger as provider keys: a call
 * takes a permit on the client key's entry before it looks for a provider. Stateless.
 */
final class ClientLimit {

    /** Whether the client key may make the call now. */
    sealed interface Result permits Admitted, Refused {}

    /** @param permit what the call holds on the client key's entry, or null when the key has no limits */
    record Admitted(@Nullable Permit permit) implements Result {}

    record Refused(ApiError error) implements Result {}

    private static final Admitted UNLIMITED = new Admitted(null);

    private final LocalLeases leases;

    ClientLimit(LocalLeases leases) {
        this.leases = leases;
    }

    /** Never fails: a ledger that cannot answer refuses for a second. */
    Future<Result> admit(ClientKey key, long estimatedTokens, Context context) {
        if (key.ledgerId() == null) {
            return Future.succeededFuture(UNLIMITED);
        }
        return Future.fromCompletionStage(leases.acquire(key.ledgerId(), estimatedTokens), context)
                .transform(ar -> {
                    if (ar.succeeded() && ar.result() instanceof Permit permit) {
                        return Future.succeededFuture(new Admitted(permit));
                    }
                    long retry = ar.succeeded() ? ((Acquisition.Denied) ar.result()).retryAfterMillis() : 1_000;
                    return Future.succeededFuture(new Refused(new ApiError(
                            429,
                            ErrorKind.RATE_LIMIT,
                            "this client key is over its own rate limit",
                            null,
                            Attempts.capRetry(retry))));
                });
    }
}
