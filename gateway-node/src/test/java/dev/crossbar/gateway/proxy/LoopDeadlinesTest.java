package dev.crossbar.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class LoopDeadlinesTest {

    /** Notes when it expired, in order with the others. */
    private static final class Noted extends LoopDeadlines.Entry {
        private final String name;
        private final List<String> expired;
        private final long addedNanos = System.nanoTime();
        private long afterNanos = -1;

        Noted(String name, List<String> expired) {
            this.name = name;
            this.expired = expired;
        }

        @Override
        void expired() {
            afterNanos = System.nanoTime() - addedNanos;
            expired.add(name);
        }
    }

    @Test
    void shouldExpireOnlyWhatWasNotDroppedAndNeverBeforeItsDeadline(Vertx vertx, VertxTestContext ctx) {
        List<String> expired = new ArrayList<>();
        vertx.runOnContext(v -> {
            LoopDeadlines deadlines = new LoopDeadlines(vertx);
            Noted kept = new Noted("kept", expired);
            Noted dropped = new Noted("dropped", expired);
            Noted late = new Noted("late", expired);
            deadlines.add(dropped, 50);
            deadlines.add(kept, 50);
            deadlines.add(late, 120);
            deadlines.drop(dropped);
            deadlines.drop(dropped);
            assertEquals(2, deadlines.waiting());
            whenExpired(
                    vertx,
                    expired,
                    2,
                    () -> ctx.verify(() -> {
                        assertEquals(List.of("kept", "late"), expired);
                        assertTrue(
                                kept.afterNanos >= TimeUnit.MILLISECONDS.toNanos(50), "expired at " + kept.afterNanos);
                        assertTrue(
                                late.afterNanos >= TimeUnit.MILLISECONDS.toNanos(120), "expired at " + late.afterNanos);
                        assertEquals(0, deadlines.waiting());
                        ctx.completeNow();
                    }));
        });
    }

    @Test
    void shouldExpireAShorterDeadlineAddedAfterALongerOneFirst(Vertx vertx, VertxTestContext ctx) {
        List<String> expired = new ArrayList<>();
        vertx.runOnContext(v -> {
            LoopDeadlines deadlines = new LoopDeadlines(vertx);
            Noted longer = new Noted("longer", expired);
            Noted shorter = new Noted("shorter", expired);
            deadlines.add(longer, 5_000);
            deadlines.add(shorter, 30);
            whenExpired(
                    vertx,
                    expired,
                    1,
                    () -> ctx.verify(() -> {
                        assertEquals(List.of("shorter"), expired);
                        assertEquals(1, deadlines.waiting());
                        deadlines.drop(longer);
                        assertEquals(0, deadlines.waiting());
                        ctx.completeNow();
                    }));
        });
    }

    @Test
    void shouldKeepTheFirstDeadlineWhenTheHeadIsDroppedAndAnEntryIsAddedAgainFromItsOwnExpiry(
            Vertx vertx, VertxTestContext ctx) {
        List<String> expired = new ArrayList<>();
        vertx.runOnContext(v -> {
            LoopDeadlines deadlines = new LoopDeadlines(vertx);
            Noted head = new Noted("head", expired);
            Noted second = new Noted("second", expired);
            Noted third = new Noted("third", expired);
            LoopDeadlines.Entry again = new LoopDeadlines.Entry() {
                private int times;

                @Override
                void expired() {
                    expired.add("again");
                    if (++times == 1) {
                        deadlines.add(this, 200);
                    }
                }
            };
            deadlines.add(head, 40);
            deadlines.add(again, 40);
            deadlines.add(second, 60);
            deadlines.add(third, 80);
            deadlines.drop(head);
            // "again" went back in behind "second" and "third": they still expire first.
            whenExpired(
                    vertx,
                    expired,
                    4,
                    () -> ctx.verify(() -> {
                        assertEquals(List.of("again", "second", "third", "again"), expired);
                        assertEquals(0, deadlines.waiting());
                        ctx.completeNow();
                    }));
        });
    }

    /** Runs {@code then} once {@code count} entries expired, or after 10 s (the test then says what did). */
    private static void whenExpired(Vertx vertx, List<String> expired, int count, Runnable then) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        vertx.setPeriodic(10, id -> {
            if (expired.size() >= count || System.nanoTime() > giveUp) {
                vertx.cancelTimer(id);
                then.run();
            }
        });
    }
}
