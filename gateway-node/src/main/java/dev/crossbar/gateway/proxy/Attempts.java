package dev.crossbar.gateway.proxy;

import dev.crossbar.cluster.lease.Permit;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.gateway.config.RoutingConfig;
import dev.crossbar.gateway.keys.AdmissionQueue;
import dev.crossbar.gateway.keys.CallTokens;
import dev.crossbar.gateway.keys.Capacity;
import dev.crossbar.gateway.keys.FlowWeights;
import dev.crossbar.gateway.keys.SharedPermit;
import dev.crossbar.gateway.routing.Target;
import dev.crossbar.gateway.upstream.ProviderKey;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Finds a provider and a key for a call, attempt after attempt (DESIGN.md 2): the route's targets in order, those
 * the call can go to ({@link Translation#refusalFor}); a key of each from the key pool, leaving out the keys the
 * call failed on; the model's admission queue when every key is saturated, up to {@code routing.queueTimeout};
 * and at most {@code routing.maxAttempts} calls before {@code routing.deadline}. One per call, on its event loop.
 */
final class Attempts {

    /** What a search for capacity found. */
    sealed interface Outcome permits Granted, Refused {}

    /**
     * Call {@code target} with {@code key}, within {@code permit} and the permits of the shared buckets it draws
     * from.
     */
    record Granted(Target target, ProviderKey key, Permit permit, List<SharedPermit> shared) implements Outcome {}

    /** No provider can serve the call: the client hears {@code error}. */
    record Refused(ApiError error) implements Outcome {}

    /** Capacity for one call on one target's keys: the key pool. */
    @FunctionalInterface
    interface KeySource {
        /**
         * Capacity for a call of {@code tokens} on one of {@code keys}.
         *
         * @param model the target's model: what per-model buckets count
         */
        Future<Capacity> acquire(List<ProviderKey> keys, String model, CallTokens tokens, Set<String> exclude);
    }

    /** One pass over the targets: a key found, every key full, or no target left that can take the call. */
    private sealed interface Round {}

    private record Found(Granted granted) implements Round {}

    private record Full(Capacity.Refused refusal) implements Round {}

    private record Closed(ApiError error) implements Round {}

    private final Call call;
    /** What the call reserves, whole and split into prompt and output, in every bucket it draws from. */
    private final CallTokens tokens;

    private final Translation translation;
    private final KeySource keys;
    private final AdmissionQueue queue;
    private final RoutingConfig routing;
    private final RequestObserver observer;
    /** True once the exchange ended: a waiter leaves the queue. */
    private final BooleanSupplier ended;

    private final List<Target> targets;
    /** Empty, not a set of its own, until a key fails: most calls have none. */
    private Set<String> failedKeys = Set.of();

    private int index;
    private int count;
    private @Nullable ApiError lastError;
    /** Why targets were dropped: what a call with none left hears. */
    private @Nullable ApiError dropped;

    private long queueNanos;

    Attempts(
            Call call,
            Translation translation,
            KeySource keys,
            AdmissionQueue queue,
            RoutingConfig routing,
            RequestObserver observer,
            BooleanSupplier ended) {
        this.call = call;
        this.tokens = new CallTokens(
                call.estimatedTokens(),
                Math.min(call.estimatedTokens(), call.inputEstimate()),
                Math.max(0, call.estimatedTokens() - call.inputEstimate()));
        this.translation = translation;
        this.keys = keys;
        this.queue = queue;
        this.routing = routing;
        this.observer = observer;
        this.ended = ended;
        this.targets = new ArrayList<>(call.targets());
    }

    /** Calls granted so far. */
    int count() {
        return count;
    }

    /** Time the call spent waiting in the admission queue. */
    long queueNanos() {
        return queueNanos;
    }

    /** Finds the next call to make; never fails. */
    Future<Outcome> next() {
        if (targets.isEmpty()) {
            return Future.succeededFuture(new Refused(Objects.requireNonNull(
                    dropped, "targets run out before any attempt only when cannotCarry dropped them all")));
        }
        if (count >= routing.maxAttempts() || System.nanoTime() >= call.deadlineNanos()) {
            return Future.succeededFuture(new Refused(
                    lastError != null
                            ? lastError
                            : ApiError.of(ErrorKind.OVERLOADED, "no upstream could serve the request in time")));
        }
        if (!queue.isEmpty() && queueNanos == 0) {
            // Others are waiting for this model's keys already: this call waits behind them.
            return waitInQueue(1);
        }
        return tryTargets(null).compose(round -> {
            if (round instanceof Found found) {
                return Future.succeededFuture(found.granted());
            }
            if (round instanceof Closed closed) {
                return Future.succeededFuture(new Refused(closed.error()));
            }
            return onAllKeysRefused(((Full) round).refusal());
        });
    }

    /** The attempt on {@code key} failed before anything reached the client: the call goes elsewhere. */
    void failed(Target target, ProviderKey key, ApiError error, @Nullable String reason) {
        if (failedKeys.isEmpty()) {
            failedKeys = new HashSet<>();
        }
        failedKeys.add(key.id());
        lastError = error;
        observer.retried(target.upstream().id(), key.id(), reason, false);
    }

    /**
     * A cloud refused the access token the attempt on {@code key} carried: the key is not blamed and may serve
     * the call once more, with a new token.
     */
    void tokenRefused(Target target, ProviderKey key, ApiError error) {
        lastError = error;
        observer.retried(target.upstream().id(), key.id(), "access token refused", false);
    }

    /**
     * {@code target}'s codec cannot express the call ({@code error} says why): no target of its protocol that
     * translates gets it.
     */
    void cannotCarry(Target target, ApiError error) {
        drop(
                t -> !call.passesThrough(t)
                        && t.upstream().protocol() == target.upstream().protocol(),
                error);
    }

    /**
     * Tries the targets in order from the current one. Ends with a key, with the refusal of the last target when
     * none had capacity, or closed when no target is left that can take the call.
     *
     * @param lastInRound the refusal of the last target tried in this pass, or null
     */
    private Future<Round> tryTargets(Capacity.@Nullable Refused lastInRound) {
        if (index >= targets.size()) {
            index = 0;
        }
        Target candidate = targets.get(index);
        ApiError untranslatable = translation.refusalFor(candidate);
        if (untranslatable != null) {
            drop(t -> !call.passesThrough(t), untranslatable);
            if (targets.isEmpty()) {
                return Future.succeededFuture(new Closed(untranslatable));
            }
            if (index >= targets.size() && lastInRound != null) {
                index = 0;
                return Future.succeededFuture(new Full(lastInRound));
            }
            return tryTargets(lastInRound);
        }
        return keys.acquire(candidate.upstream().keys(), candidate.model(), tokens, failedKeys)
                .compose(capacity -> {
                    if (capacity instanceof Capacity.Granted granted) {
                        count++;
                        return Future.succeededFuture(
                                new Found(new Granted(candidate, granted.key(), granted.permit(), granted.shared())));
                    }
                    Capacity.Refused refused = (Capacity.Refused) capacity;
                    if (index + 1 < targets.size()) {
                        index++;
                        observer.retried(candidate.upstream().id(), null, "no capacity", true);
                        return tryTargets(refused);
                    }
                    index = 0;
                    return Future.succeededFuture(new Full(refused));
                });
    }

    /** Drops the targets that cannot take the call, keeping the place of the next one to try. */
    private void drop(Predicate<Target> cannot, ApiError why) {
        int before = 0;
        for (int i = 0; i < index && i < targets.size(); i++) {
            if (cannot.test(targets.get(i))) {
                before++;
            }
        }
        targets.removeIf(cannot);
        index -= before;
        dropped = why;
    }

    private Future<Outcome> onAllKeysRefused(Capacity.Refused refusal) {
        if (refusal.retryAfterMillis() == Long.MAX_VALUE) {
            return Future.succeededFuture(new Refused(
                    lastError != null
                            ? lastError
                            : new ApiError(
                                    503,
                                    ErrorKind.OVERLOADED,
                                    "no usable key for model '" + call.route().name() + "' (" + refusal.reason() + ")",
                                    null,
                                    -1)));
        }
        queue.refusedFor(refusal.retryAfterMillis());
        return waitInQueue(refusal.retryAfterMillis());
    }

    private Future<Outcome> waitInQueue(long retryAfterMillis) {
        long waitUntil = Math.min(
                call.deadlineNanos(), System.nanoTime() + routing.queueTimeout().toNanos());
        long queuedAt = System.nanoTime();
        String model = call.route().name();
        Promise<Outcome> found = Promise.promise();
        boolean accepted = System.nanoTime() < waitUntil
                && queue.offer(
                        new AdmissionQueue.Waiter() {
                            @Override
                            public Future<Boolean> tryAdmit() {
                                if (ended.getAsBoolean()) {
                                    return Future.succeededFuture(true);
                                }
                                return tryTargets(null)
                                        .map(round -> {
                                            if (round instanceof Full full) {
                                                queue.refusedFor(full.refusal().retryAfterMillis());
                                                return false;
                                            }
                                            queueNanos += System.nanoTime() - queuedAt;
                                            if (round instanceof Found f) {
                                                observer.queued(model, System.nanoTime() - queuedAt, true);
                                                found.complete(f.granted());
                                            } else {
                                                found.complete(new Refused(((Closed) round).error()));
                                            }
                                            return true;
                                        })
                                        .otherwise(false);
                            }

                            @Override
                            public void expire(long retryAfter) {
                                queueNanos += System.nanoTime() - queuedAt;
                                observer.queued(model, System.nanoTime() - queuedAt, false);
                                found.complete(saturated(retryAfter));
                            }

                            @Override
                            public long deadlineNanos() {
                                return waitUntil;
                            }

                            @Override
                            public String clientKey() {
                                return FlowWeights.flow(
                                        call.clientKey().name(),
                                        call.clientKey().team());
                            }
                        },
                        retryAfterMillis);
        if (!accepted) {
            observer.queued(model, 0, false);
            return Future.succeededFuture(saturated(retryAfterMillis));
        }
        return found.future();
    }

    private Refused saturated(long retryAfterMillis) {
        return new Refused(new ApiError(
                429,
                ErrorKind.RATE_LIMIT,
                "every key for model '" + call.route().name()
                        + "' is at its rate limit; retry after the time in Retry-After",
                null,
                capRetry(retryAfterMillis)));
    }

    static long capRetry(long retryAfterMillis) {
        return Math.max(1, Math.min(retryAfterMillis, TimeUnit.HOURS.toMillis(1)));
    }
}
