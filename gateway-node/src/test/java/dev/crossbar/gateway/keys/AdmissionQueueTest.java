package dev.crossbar.gateway.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class AdmissionQueueTest {

    private static final long FAR = TimeUnit.SECONDS.toNanos(30);

    /** A waiter that goes on its way when {@code capacity} has room, and notes when it did. */
    private record Caller(String clientKey, AtomicInteger capacity, List<String> admitted, long deadline)
            implements AdmissionQueue.Waiter {
        @Override
        public Future<Boolean> tryAdmit() {
            if (capacity.get() <= 0) {
                return Future.succeededFuture(false);
            }
            capacity.decrementAndGet();
            admitted.add(clientKey);
            return Future.succeededFuture(true);
        }

        @Override
        public void expire(long retryAfterMillis) {
            admitted.add("expired:" + clientKey);
        }

        @Override
        public long deadlineNanos() {
            return deadline;
        }
    }

    @Test
    void shouldLetClientKeysTakeTurnsSoAFloodGetsNoMoreThanOthersWaiting(Vertx vertx, VertxTestContext ctx) {
        AtomicInteger capacity = new AtomicInteger();
        List<String> admitted = new ArrayList<>();
        vertx.runOnContext(v -> {
            AdmissionQueue queue = new AdmissionQueue(vertx, 100);
            long deadline = System.nanoTime() + FAR;
            for (int i = 0; i < 8; i++) {
                queue.offer(new Caller("flood", capacity, admitted, deadline), 5);
            }
            for (String calm : List.of("a", "b", "a", "b")) {
                queue.offer(new Caller(calm, capacity, admitted, deadline), 5);
            }
            assertEquals(12, queue.size());
            capacity.set(8);
            vertx.setPeriodic(5, id -> {
                if (queue.size() == 4) {
                    vertx.cancelTimer(id);
                    ctx.verify(() -> {
                        assertEquals(
                                List.of("flood", "a", "b", "flood", "a", "b", "flood", "flood"),
                                admitted,
                                "turns by client key, each in arrival order");
                        assertFalse(queue.isEmpty());
                    });
                    ctx.completeNow();
                }
            });
        });
    }

    @Test
    void shouldServeTeamsAtWeightsThreeToOneWhileBothWait(Vertx vertx, VertxTestContext ctx) {
        AtomicInteger capacity = new AtomicInteger();
        List<String> admitted = new ArrayList<>();
        vertx.runOnContext(v -> {
            AdmissionQueue queue = new AdmissionQueue(vertx, 1_000, flow -> flow.equals("team:a") ? 3 : 1);
            long deadline = System.nanoTime() + FAR;
            for (int i = 0; i < 200; i++) {
                queue.offer(new Caller("team:a", capacity, admitted, deadline), 5);
                queue.offer(new Caller("team:b", capacity, admitted, deadline), 5);
            }
            capacity.set(200);
            vertx.setPeriodic(5, id -> {
                if (queue.size() == 200) {
                    vertx.cancelTimer(id);
                    ctx.verify(() -> {
                        long a = admitted.stream().filter("team:a"::equals).count();
                        assertEquals(150, a, "three of every four turns to the team of weight 3");
                    });
                    ctx.completeNow();
                }
            });
        });
    }

    @Test
    void shouldTurnAwayTheFloodsNewestWaiterToMakeRoomForAClientBelowItsShare(Vertx vertx, VertxTestContext ctx) {
        AtomicInteger capacity = new AtomicInteger();
        List<String> admitted = new ArrayList<>();
        vertx.runOnContext(v -> {
            AdmissionQueue queue = new AdmissionQueue(vertx, 10);
            long deadline = System.nanoTime() + FAR;
            for (int i = 0; i < 10; i++) {
                assertTrue(queue.offer(new Caller("flood", capacity, admitted, deadline), 5));
            }
            ctx.verify(() -> {
                assertFalse(queue.offer(new Caller("flood", capacity, admitted, deadline), 5), "full for the flood");
                assertTrue(queue.offer(new Caller("calm", capacity, admitted, deadline), 5), "room for another");
                assertEquals(List.of("expired:flood"), admitted);
                assertEquals(10, queue.size());
                for (int i = 0; i < 4; i++) {
                    assertTrue(queue.offer(new Caller("calm", capacity, admitted, deadline), 5));
                }
                assertFalse(
                        queue.offer(new Caller("calm", capacity, admitted, deadline), 5),
                        "at an equal share the calm client gets no more");
            });
            ctx.completeNow();
        });
    }

    @Test
    void shouldExpireWaitersWhoseDeadlinePassedWithoutCapacity(Vertx vertx, VertxTestContext ctx) {
        AtomicInteger capacity = new AtomicInteger();
        List<String> admitted = new ArrayList<>();
        vertx.runOnContext(v -> {
            AdmissionQueue queue = new AdmissionQueue(vertx, 1);
            assertTrue(queue.offer(
                    new Caller("a", capacity, admitted, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30)), 5));
            assertFalse(queue.offer(new Caller("b", capacity, admitted, System.nanoTime() + FAR), 5), "full");
            vertx.setPeriodic(5, id -> {
                if (queue.isEmpty()) {
                    vertx.cancelTimer(id);
                    ctx.verify(() -> assertEquals(List.of("expired:a"), admitted));
                    ctx.completeNow();
                }
            });
        });
    }
}
