package dev.crossbar.gateway.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Flows that keep waiting are served in proportion to their weights, whatever the weights and turns. */
class FairTurnsProperties {

    @Property(tries = 300)
    void flowsThatKeepWaitingAreServedInProportionToTheirWeights(
            @ForAll @Size(min = 2, max = 5) List<@IntRange(min = 1, max = 10) Integer> weights,
            @ForAll @IntRange(min = 200, max = 2_000) int turns) {
        FairTurns fair = new FairTurns();
        int total = 0;
        for (int i = 0; i < weights.size(); i++) {
            fair.waiting("f" + i, weights.get(i));
            total += weights.get(i);
        }
        Map<String, Integer> served = new HashMap<>();
        for (int t = 0; t < turns; t++) {
            String flow = fair.next();
            fair.served(flow);
            served.merge(flow, 1, Integer::sum);
        }
        int lightest = weights.stream().mapToInt(Integer::intValue).min().orElseThrow();
        for (int i = 0; i < weights.size(); i++) {
            double expected = (double) turns * weights.get(i) / total;
            int got = served.getOrDefault("f" + i, 0);
            // Every waiting flow's service per unit of weight stays within one turn of the lightest flow's of
            // every other's, so a flow is never more than weight / lightest weight turns off its exact share.
            double bound = (double) weights.get(i) / lightest;
            assertTrue(
                    Math.abs(got - expected) <= bound + 1e-9,
                    "flow " + i + " served " + got + ", share " + expected + ", bound " + bound);
        }
    }

    @Property(tries = 200)
    void aFlowThatWasIdleGetsNoCreditForItsIdleTime(
            @ForAll @IntRange(min = 1, max = 10) int busyWeight,
            @ForAll @IntRange(min = 1, max = 10) int lateWeight,
            @ForAll @IntRange(min = 10, max = 500) int before) {
        FairTurns fair = new FairTurns();
        fair.waiting("busy", busyWeight);
        for (int t = 0; t < before; t++) {
            fair.served(fair.next());
        }
        fair.waiting("late", lateWeight);
        Map<String, Integer> served = new HashMap<>();
        int turns = 10 * (busyWeight + lateWeight);
        for (int t = 0; t < turns; t++) {
            String flow = fair.next();
            fair.served(flow);
            served.merge(flow, 1, Integer::sum);
        }
        double lateShare = (double) turns * lateWeight / (busyWeight + lateWeight);
        double bound = (double) lateWeight / Math.min(busyWeight, lateWeight);
        assertTrue(Math.abs(served.getOrDefault("late", 0) - lateShare) <= bound + 1e-9, served.toString());
    }

    @Property(tries = 50)
    void threeToOneIsSeventyFiveToTwentyFive(@ForAll @IntRange(min = 400, max = 4_000) int turns) {
        FairTurns fair = new FairTurns();
        fair.waiting("team:a", 3);
        fair.waiting("team:b", 1);
        int a = 0;
        for (int t = 0; t < turns; t++) {
            String flow = fair.next();
            fair.served(flow);
            if (flow.equals("team:a")) {
                a++;
            }
        }
        assertEquals(0.75, (double) a / turns, 0.01);
    }
}
