package dev.crossbar.cluster.lease;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Takes one permit from each of several ledger entries for one call, or none: a call on a key draws from the
 * key's own buckets and from every shared bucket that applies to it, and may be sent only when all of them
 * have room. When one refuses, the permits already taken are given back ({@link LocalLeases#cancel}), so a
 * refusal never leaks capacity. Each entry keeps every rule of its own (leases, refill cap, fair shares).
 */
public final class AllOrNone {

    /** What taking a call's permits came to. */
    public sealed interface Result permits Taken, Refused {}

    /** Every entry gave a permit, in the order of the draws. */
    public record Taken(List<Permit> permits) implements Result {}

    /**
     * The draw at {@code index} refused; nothing is held.
     *
     * @param denied the ledger's refusal, or null when only the local lease had no room (no round trip made)
     */
    public record Refused(int index, Acquisition.@Nullable Denied denied) implements Result {}

    private AllOrNone() {}

    /** From the local leases only: no round trip, the hot path. */
    public static Result tryTake(LocalLeases leases, List<Draw> draws) {
        if (draws.size() == 1) {
            Permit only = leases.tryAcquire(draws.get(0).entryId(), draws.get(0).tokens());
            return only == null ? new Refused(0, null) : new Taken(List.of(only));
        }
        List<Permit> taken = new ArrayList<>(draws.size());
        for (int i = 0; i < draws.size(); i++) {
            Permit permit =
                    leases.tryAcquire(draws.get(i).entryId(), draws.get(i).tokens());
            if (permit == null) {
                cancel(leases, taken);
                return new Refused(i, null);
            }
            taken.add(permit);
        }
        return new Taken(List.copyOf(taken));
    }

    /**
     * Asks each entry in turn, from its lease or else from the ledger ({@link LocalLeases#acquire}), holding
     * what it got meanwhile; the first refusal gives everything back.
     */
    public static CompletionStage<Result> take(LocalLeases leases, List<Draw> draws) {
        return takeFrom(leases, draws, 0, new ArrayList<>(draws.size()));
    }

    private static CompletionStage<Result> takeFrom(
            LocalLeases leases, List<Draw> draws, int index, List<Permit> taken) {
        if (index == draws.size()) {
            return CompletableFuture.completedFuture(new Taken(List.copyOf(taken)));
        }
        Draw draw = draws.get(index);
        return leases.acquire(draw.entryId(), draw.tokens()).thenCompose(result -> {
            if (result instanceof Permit permit) {
                taken.add(permit);
                return takeFrom(leases, draws, index + 1, taken);
            }
            cancel(leases, taken);
            return CompletableFuture.completedFuture(new Refused(index, (Acquisition.Denied) result));
        });
    }

    /** Gives back permits taken for a call that will not be made. */
    public static void cancel(LocalLeases leases, List<Permit> permits) {
        for (Permit permit : permits) {
            leases.cancel(permit);
        }
    }
}
