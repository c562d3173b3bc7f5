package dev.crossbar.gateway.keys;

import dev.crossbar.cluster.lease.Acquisition;
import dev.crossbar.cluster.lease.AllOrNone;
import dev.crossbar.cluster.lease.Draw;
import dev.crossbar.cluster.lease.LocalLeases;
import dev.crossbar.cluster.lease.Permit;
import dev.crossbar.cluster.ledger.Ledger;
import dev.crossbar.gateway.upstream.ProviderKey;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Finds capacity for one call on one provider: ranks its keys with the configured {@link Strategy} and
 * spends from the first key's local lease when it has room (no round trip). When it has none, under
 * least-utilised another key's lease with room serves the call while the first key's lease is asked for
 * in the background (a key that never got a lease would otherwise never be chosen, and one key would take
 * a node's whole traffic); the other strategies wait for the first key, whose choice is their point. Only
 * when no lease has room does the call wait for the ledger, key by key in that order.
 *
 * <p>A call on a key also draws from every shared bucket that applies to the key and the model
 * ({@link SharedBuckets}): it takes a permit from each, all or none ({@link AllOrNone}), locally first. A key
 * whose shared bucket just refused is passed over without being asked, so keys of one exhausted organisation
 * are not tried one after another in vain.
 */
public final class KeyPool {

    private final LocalLeases leases;
    private final Ledger ledger;
    private final Strategy strategy;
    private final SharedBuckets buckets;

    public KeyPool(LocalLeases leases, Ledger ledger, Strategy strategy) {
        this(leases, ledger, strategy, SharedBuckets.NONE);
    }

    public KeyPool(LocalLeases leases, Ledger ledger, Strategy strategy, SharedBuckets buckets) {
        this.leases = leases;
        this.ledger = ledger;
        this.strategy = strategy;
        this.buckets = buckets;
    }

    public LocalLeases leases() {
        return leases;
    }

    public SharedBuckets buckets() {
        return buckets;
    }

    /** True when {@link #acquire} uses the stickiness hash (worth computing only then). */
    public boolean usesStickiness() {
        return strategy == Strategy.STICKY;
    }

    /**
     * Completes with a key to call with (and its permits on the shared buckets it draws from) or the refusal of
     * every key; never fails.
     *
     * @param model   the provider's model the call is for (what per-model buckets count), or null
     * @param exclude keys this request already failed on
     */
    public Future<Capacity> acquire(
            List<ProviderKey> keys,
            String model,
            CallTokens tokens,
            long stickiness,
            Set<String> exclude,
            Context context) {
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
        // A list, not a set: it is empty for most calls, and holds a bucket or two when not.
        List<String> refusedBuckets = new ArrayList<>(0);
        ProviderKey first = ordered.get(0);
        List<BucketEntry> firstShared = buckets.drawnBy(first, model);
        Capacity granted = tryTake(first, firstShared, tokens, refusedBuckets);
        if (granted != null) {
            return Future.succeededFuture(granted);
        }
        // The first choice has no room in its lease now: unless the choice itself is the point, a key whose
        // lease has room serves this call without a round trip, and the first choice's lease is asked for
        // meanwhile, so the spread holds from the next call.
        for (int i = 1; i < ordered.size() && !strategy.firstChoiceMatters(); i++) {
            ProviderKey other = ordered.get(i);
            List<BucketEntry> shared = buckets.drawnBy(other, model);
            if (drawsOnAny(shared, refusedBuckets)) {
                continue;
            }
            granted = tryTake(other, shared, tokens, refusedBuckets);
            if (granted != null) {
                leases.prepare(first.id(), tokens.total());
                return Future.succeededFuture(granted);
            }
        }
        return askInTurn(ordered, 0, model, tokens, context, Long.MAX_VALUE, null, new ArrayList<>(0));
    }

    /** The key's permit and its shared buckets' from the local leases, or null (nothing held then). */
    private @Nullable Capacity tryTake(
            ProviderKey key, List<BucketEntry> shared, CallTokens tokens, List<String> refusedBuckets) {
        if (shared.isEmpty()) {
            Permit permit = leases.tryAcquire(key.id(), tokens.total());
            return permit == null ? null : new Capacity.Granted(key, permit);
        }
        AllOrNone.Result result = AllOrNone.tryTake(leases, draws(key, shared, tokens));
        if (result instanceof AllOrNone.Taken taken) {
            return granted(key, shared, taken.permits());
        }
        int index = ((AllOrNone.Refused) result).index();
        if (index > 0) {
            refusedBuckets.add(shared.get(index - 1).id());
        }
        return null;
    }

    private Future<Capacity> askInTurn(
            List<ProviderKey> keys,
            int index,
            String model,
            CallTokens tokens,
            Context context,
            long soonest,
            @Nullable String reason,
            List<String> refusedBuckets) {
        if (index == keys.size()) {
            return Future.succeededFuture(new Capacity.Refused(soonest, reason));
        }
        ProviderKey key = keys.get(index);
        List<BucketEntry> shared = buckets.drawnBy(key, model);
        if (drawsOnAny(shared, refusedBuckets)) {
            return askInTurn(keys, index + 1, model, tokens, context, soonest, reason, refusedBuckets);
        }
        if (shared.isEmpty()) {
            return Future.fromCompletionStage(leases.acquire(key.id(), tokens.total()), context)
                    .compose(result -> {
                        if (result instanceof Permit permit) {
                            return Future.succeededFuture(new Capacity.Granted(key, permit));
                        }
                        Acquisition.Denied denied = (Acquisition.Denied) result;
                        return askInTurn(
                                keys,
                                index + 1,
                                model,
                                tokens,
                                context,
                                Math.min(soonest, denied.retryAfterMillis()),
                                reason == null ? denied.reason() : reason,
                                refusedBuckets);
                    });
        }
        return Future.fromCompletionStage(AllOrNone.take(leases, draws(key, shared, tokens)), context)
                .compose(result -> {
                    if (result instanceof AllOrNone.Taken taken) {
                        return Future.succeededFuture(granted(key, shared, taken.permits()));
                    }
                    AllOrNone.Refused refused = (AllOrNone.Refused) result;
                    String why = Objects.requireNonNull(refused.denied(), "take, unlike tryTake, says why it refused")
                            .reason();
                    if (refused.index() > 0) {
                        BucketEntry bucket = shared.get(refused.index() - 1);
                        refusedBuckets.add(bucket.id());
                        why = why + " (shared bucket " + bucket.bucket() + " " + bucket.window() + ")";
                    }
                    return askInTurn(
                            keys,
                            index + 1,
                            model,
                            tokens,
                            context,
                            Math.min(soonest, refused.denied().retryAfterMillis()),
                            reason == null ? why : reason,
                            refusedBuckets);
                });
    }

    private static List<Draw> draws(ProviderKey key, List<BucketEntry> shared, CallTokens tokens) {
        List<Draw> draws = new ArrayList<>(shared.size() + 1);
        draws.add(new Draw(key.id(), tokens.total()));
        for (BucketEntry entry : shared) {
            draws.add(new Draw(entry.id(), entry.part().of(tokens)));
        }
        return draws;
    }

    private static Capacity.Granted granted(ProviderKey key, List<BucketEntry> shared, List<Permit> permits) {
        List<SharedPermit> held = new ArrayList<>(shared.size());
        for (int i = 0; i < shared.size(); i++) {
            held.add(new SharedPermit(shared.get(i), permits.get(i + 1)));
        }
        return new Capacity.Granted(key, permits.get(0), List.copyOf(held));
    }

    private static boolean drawsOnAny(List<BucketEntry> shared, List<String> refused) {
        if (refused.isEmpty()) {
            return false;
        }
        for (BucketEntry entry : shared) {
            if (refused.contains(entry.id())) {
                return true;
            }
        }
        return false;
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
