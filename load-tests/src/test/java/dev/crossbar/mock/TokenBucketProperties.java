package dev.crossbar.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Random interleavings of clock steps and charges against one bucket. */
class TokenBucketProperties {

    /** A clock step (microseconds) followed by an attempt to take {@code cost} tokens. */
    record Step(long advanceMicros, long cost) {}

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Long> advance = Arbitraries.oneOf(
                Arbitraries.just(0L),
                Arbitraries.longs().between(0, 1_000),
                Arbitraries.longs().between(0, 3_000_000));
        Arbitrary<Long> cost = Arbitraries.longs().between(1, 120);
        return Combinators.combine(advance, cost)
                .as(Step::new)
                .list()
                .ofMinSize(1)
                .ofMaxSize(200);
    }

    /**
     * Over every interval between two steps, the tokens granted never exceed capacity plus the
     * refill of that interval: limit * elapsed / window.
     */
    @Property
    void shouldNeverGrantMoreThanCapacityPlusRefill(
            @ForAll @LongRange(min = 1, max = 100) long limit,
            @ForAll @LongRange(min = 1, max = 5_000_000) long windowMicros,
            @ForAll("steps") List<Step> steps) {
        TokenBucket bucket = new TokenBucket(limit, windowMicros, 0);
        List<Long> times = new ArrayList<>();
        List<Long> granted = new ArrayList<>();
        long now = 0;
        for (Step s : steps) {
            now += s.advanceMicros();
            boolean ok = bucket.waitMicros(s.cost(), now) == 0;
            if (ok) {
                bucket.take(s.cost());
            }
            times.add(now);
            granted.add(ok ? s.cost() : 0);
        }
        for (int i = 0; i < times.size(); i++) {
            BigInteger sum = BigInteger.ZERO;
            for (int j = i; j < times.size(); j++) {
                sum = sum.add(BigInteger.valueOf(granted.get(j)));
                // sum * window <= limit * window + limit * elapsed, exactly, in integers.
                BigInteger lhs = sum.multiply(BigInteger.valueOf(windowMicros));
                BigInteger rhs = BigInteger.valueOf(limit)
                        .multiply(
                                BigInteger.valueOf(windowMicros).add(BigInteger.valueOf(times.get(j) - times.get(i))));
                assertTrue(lhs.compareTo(rhs) <= 0, "granted " + sum + " between steps " + i + " and " + j);
            }
        }
    }

    /** A denied cost within capacity is granted once its answered wait has passed. */
    @Property
    void shouldGrantAfterTheAnsweredWait(
            @ForAll @LongRange(min = 1, max = 100) long limit,
            @ForAll @LongRange(min = 1, max = 5_000_000) long windowMicros,
            @ForAll("steps") List<Step> steps,
            @ForAll @IntRange(min = 1, max = 100) int probe) {
        TokenBucket bucket = new TokenBucket(limit, windowMicros, 0);
        long now = 0;
        for (Step s : steps) {
            now += s.advanceMicros();
            if (bucket.waitMicros(s.cost(), now) == 0) {
                bucket.take(s.cost());
            }
        }
        long cost = Math.min(probe, limit);
        long wait = bucket.waitMicros(cost, now);
        // Ask in time order: the bucket ignores a clock that steps back.
        if (wait > 0) {
            assertTrue(bucket.waitMicros(cost, now + wait - 1) > 0, "the wait is the shortest one");
        }
        assertEquals(0, bucket.waitMicros(cost, now + wait));
    }
}
