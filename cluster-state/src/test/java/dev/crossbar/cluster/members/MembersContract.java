package dev.crossbar.cluster.members;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * What every view of the members must do: list this node as proven, tell a member that proves it holds the
 * cluster key from one that does not, and say so when members come and go. Implementations supply the view
 * and the means to add members of both kinds.
 */
public abstract class MembersContract {

    protected abstract Members members();

    /** A member that holds the cluster key joins; returns its id once this node sees it. */
    protected abstract String joinProven() throws Exception;

    /** A member without the cluster key joins (the cluster's name and address are all it knows). */
    protected abstract String joinUnproven() throws Exception;

    protected abstract void leave(String memberId) throws Exception;

    @Test
    void shouldTellProvenMembersFromUnprovenOnesAsTheyComeAndGo() throws Exception {
        AtomicInteger changes = new AtomicInteger();
        members().onChange(changes::incrementAndGet);
        MemberView self =
                members().list().stream().filter(MemberView::local).findFirst().orElseThrow();
        assertTrue(self.proven(), "a node proves itself to itself");
        assertEquals(members().localId(), self.id());
        assertTrue(members().running());

        String friend = joinProven();
        String rogue = joinUnproven();
        List<MemberView> unproven = members().unproven();
        assertEquals(List.of(rogue), unproven.stream().map(MemberView::id).toList(), "unproven: " + unproven);
        assertTrue(members().list().stream().anyMatch(m -> m.id().equals(friend) && m.proven()));
        await(() -> changes.get() >= 2, "told of both joins");

        leave(rogue);
        await(() -> members().unproven().isEmpty(), "the unproven member is gone");
        leave(friend);
        await(() -> members().list().size() == 1, "alone again");
        assertFalse(members().list().get(0).id().equals(rogue));
    }

    protected static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never: " + what);
            }
            Thread.sleep(20);
        }
    }
}
