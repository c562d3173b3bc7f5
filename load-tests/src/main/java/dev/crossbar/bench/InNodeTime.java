package dev.crossbar.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.HdrHistogram.Histogram;

/**
 * How long requests spent inside a node, from its access log: {@code latency_ms} (first byte in to last
 * byte out) minus {@code upstream_ms} (waiting on providers), which leaves the admission queue, ledger
 * calls, GC pauses and the node's own work. Only the text lines ({@code ... ACCESS req_... latency_ms=...}).
 *
 * @param lines access-log lines read
 * @param maxMillis the longest time one request spent in the node
 * @param over lines whose time in the node exceeded the threshold given to {@link #read}
 * @param micros every line's time in the node, microseconds
 */
record InNodeTime(long lines, double maxMillis, long over, Histogram micros) {

    /** The threshold of issue 18 point 3: no request waits longer than this inside the node. */
    static final double STALL_MILLIS = 50;

    /** The access-log lines of {@code model} (or every model when null) from byte {@code from} of the log. */
    static InNodeTime read(Path log, long from, String model, double thresholdMillis) throws IOException {
        Tally tally = new Tally(model, thresholdMillis);
        // Buffered: a five-minute soak logs hundreds of thousands of lines (RandomAccessFile reads a byte a call).
        try (FileChannel file = FileChannel.open(log, StandardOpenOption.READ);
                BufferedReader reader =
                        new BufferedReader(Channels.newReader(file.position(from), StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            while ((line = reader.readLine()) != null) {
                tally.add(line);
            }
        }
        return tally.result();
    }

    /** Milliseconds at the given percentile (0 when no line was read). */
    double millisAt(double percentile) {
        return lines == 0 ? 0 : micros.getValueAtPercentile(percentile) / 1_000.0;
    }

    /** Counts lines one at a time. */
    static final class Tally {
        private final String model;
        private final double threshold;
        private final Histogram micros = new Histogram(3_600_000_000L, 3);
        private long lines;
        private long over;
        private double max;

        Tally(String model, double thresholdMillis) {
            this.model = model;
            this.threshold = thresholdMillis;
        }

        /** Adds one log line; other lines (not the access log, another model, no timings) are skipped. */
        void add(String line) {
            if (!line.contains(" ACCESS ") || (model != null && !line.contains(" model=" + model + " "))) {
                return;
            }
            double total = field(line, " latency_ms=");
            double upstream = field(line, " upstream_ms=");
            if (Double.isNaN(total) || Double.isNaN(upstream)) {
                return;
            }
            double inNode = Math.max(0, total - upstream);
            lines++;
            max = Math.max(max, inNode);
            if (inNode > threshold) {
                over++;
            }
            micros.recordValue(Math.min(micros.getHighestTrackableValue(), Math.round(inNode * 1_000)));
        }

        InNodeTime result() {
            return new InNodeTime(lines, max, over, micros.copy());
        }
    }

    /** The number after {@code name} (which starts with a space), up to the next space; NaN when absent. */
    static double field(String line, String name) {
        int at = line.indexOf(name);
        if (at < 0) {
            return Double.NaN;
        }
        int start = at + name.length();
        int end = line.indexOf(' ', start);
        try {
            return Double.parseDouble(line.substring(start, end < 0 ? line.length() : end));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
