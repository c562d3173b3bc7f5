package dev.crossbar.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The ports tests and benchmarks may take: those outside the kernel's ephemeral range (a port found free inside it
 * can be handed to an outgoing connection before the process meant for it binds it), or, on a machine whose
 * ephemeral range leaves too little room outside it, every port from {@link #LOWEST} up.
 */
final class PortSpace {

    static final int LOWEST = 10_000;
    static final int HIGHEST = 65_535;
    /**
     * Fewer ports than this outside the ephemeral range is not room enough: a full integration-test run hands out
     * over a thousand by count of its harnesses (about 65, up to a dozen ports each), never twice, and a run of
     * consecutive ones must still be found late in it.
     */
    static final int ENOUGH = 10_000;

    /** Inclusive bounds. */
    record Range(int low, int high) {
        int size() {
            return high - low + 1;
        }
    }

    private final List<Range> ranges;
    private final int size;

    private PortSpace(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
        this.size = ranges.stream().mapToInt(Range::size).sum();
    }

    /** The ports outside the ephemeral range {@code [ephemeralLow, ephemeralHigh]}, or all if that is too few. */
    static PortSpace outside(int ephemeralLow, int ephemeralHigh) {
        List<Range> outside = new ArrayList<>();
        if (ephemeralLow - 1 >= LOWEST) {
            outside.add(new Range(LOWEST, ephemeralLow - 1));
        }
        if (ephemeralHigh + 1 <= HIGHEST) {
            outside.add(new Range(Math.max(LOWEST, ephemeralHigh + 1), HIGHEST));
        }
        PortSpace space = new PortSpace(outside);
        return space.size >= ENOUGH ? space : new PortSpace(List.of(new Range(LOWEST, HIGHEST)));
    }

    List<Range> ranges() {
        return ranges;
    }

    /**
     * The first port of {@code count} consecutive usable ones inside one range, looking at every candidate once,
     * from the {@code start}-th port of the space on (wrapping), so a run is found whenever one exists.
     */
    int findRun(int count, int start, IntPredicate usable) {
        for (int i = 0; i < size; i++) {
            int base = portAt(Math.floorMod(start + i, size), count);
            if (base >= 0 && allUsable(base, count, usable)) {
                return base;
            }
        }
        throw new IllegalStateException("no run of " + count + " free ports in " + ranges
                + " (every port handed out before or bound by another process)");
    }

    /** The index-th port of the space, or -1 when a run of {@code count} from it would leave its range. */
    private int portAt(int index, int count) {
        int rest = index;
        for (Range range : ranges) {
            if (rest < range.size()) {
                int port = range.low() + rest;
                return port + count - 1 <= range.high() ? port : -1;
            }
            rest -= range.size();
        }
        throw new IllegalArgumentException("index " + index + " outside " + ranges);
    }

    private static boolean allUsable(int base, int count, IntPredicate usable) {
        for (int p = base; p < base + count; p++) {
            if (!usable.test(p)) {
                return false;
            }
        }
        return true;
    }

    int size() {
        return size;
    }
}
