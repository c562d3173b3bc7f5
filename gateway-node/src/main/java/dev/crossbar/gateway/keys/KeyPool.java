package dev.crossbar.gateway.keys;

import dev.crossbar.cluster.lease.Acquisition;
import dev.crossbar.cluster.lease.LocalLeases;
import dev.crossbar.cluster.lease.Permit;
import dev.crossbar.cluster.ledger.Ledger;
import dev.crossbar.gateway.upstream.ProviderKey;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.List;
import java.util.Set;

/**
 * Finds capacity for one call on one provider: ranks its keys with the configured {@link Strategy} and
 * spends from the first key's local lease when it has room (no round trip). When it has none, under
 * least-utilised another key's lease with room serves the call while the first key's lease is asked for
 * in the background (a key that never got a lease would otherwise never be chosen, and one key would take
 * a node's whole traffic); the other strategies wait for the first key, whose choice is their point. Only
 * when no lease has room does the call wait for the ledger, key by key in that order.
 */
public final class KeyPool {

    private final LocalLeases leases;
    private final Ledger ledger;
    private final Strategy strategy;

    public KeyPool(LocalLeases leases, Ledger ledger, Strategy strategy) {
        this.leases = leases;
        this.ledger = ledger;
        this.strategy = strategy;
    }

    public LocalLeases leases() {
        return leases;
    }

    /** True when {@link #acquire} uses the stickiness hash (worth computing only then). */
    public boolean usesStickiness() {
        return strategy == Strategy.STICKY;
    }

    /**
     * Completes with a key to call with or the refusal of every key; never fails.
     *
     * @param exclude keys this request already failed on
     */
    public Future<Capacity> acquire(
            List<ProviderKey> keys, long estimatedTokens, long stickiness, Set<String> exclude, Context context) {
        long now = ledger.now();
        List<ProviderKey> ordered = strategy.order(
                keys, ledger.snapshot(), now, stickiness, (k, state) -> leases.headroom(k.id(), state, now));
        if (!exclude.isEmpty()) {
            ordered.removeIf(k -> exclude.contains(k.id()));
        }
        if (ordered.isEmpty()) {
            return Future.succeededFuture(
                    new Capacity.Refused(soonestCooldownEnd(keys, exclude, now), "no usable key"));
        }
        ProviderKey first = ordered.get(0);
        Permit permit = leases.tryAcquire(first.id(), estimatedTokens);
        if (permit != null) {
            return Future.succeededFuture(new Capacity.Granted(first, permit));
        }
        // The first choice has no room in its lease now: unless the choice itself is the point, a key whose
        // lease has room serves this call without a round trip, and the first choice's lease is asked for
        // meanwhile, so the spread holds from the next call.
        for (int i = 1; i < ordered.size() && !strategy.firstChoiceMatters(); i++) {
            ProviderKey other = ordered.get(i);
            permit = leases.tryAcquire(other.id(), estimatedTokens);
            if (permit != null) {
                leases.prepare(first.id(), estimatedTokens);
                return Future.succeededFuture(new Capacity.Granted(other, permit));
            }
        }
        return askInTurn(ordered, 0, estimatedTokens, context, Long.MAX_VALUE, null);
    }

    private Future<Capacity> askInTurn(
            List<ProviderKey> keys, int index, long estimatedTokens, Context context, long soonest, String reason) {
        if (index == keys.size()) {
            return Future.succeededFuture(new Capacity.Refused(soonest, reason));
        }
        ProviderKey key = keys.get(index);
        return Future.fromCompletionStage(leases.acquire(key.id(), estimatedTokens), context)
                .compose(result -> {
                    if (result instanceof Permit permit) {
                        return Future.succeededFuture(new Capacity.Granted(key, permit));
                    }
                    Acquisition.Denied denied = (Acquisition.Denied) result;
                    long next = Math.min(soonest, denied.retryAfterMillis());
                    return askInTurn(
                            keys, index + 1, estimatedTokens, context, next, reason == null ? denied.reason() : reason);
                });
    }

    private long soonestCooldownEnd(List<ProviderKey> keys, Set<String> exclude, long now) {
        long soonest = Long.MAX_VALUE;
        for (ProviderKey k : keys) {
            var state = ledger.snapshot().get(k.id());
            if (state != null && !state.disabled() && !exclude.contains(k.id())) {
                soonest = Math.min(soonest, Math.max(1, state.cooldownUntil() - now));
            }
        }
        return soonest;
    }
}
