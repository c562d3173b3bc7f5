package dev.crossbar.mock;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** The two reset formats: OpenAI's Go-style durations and Anthropic's RFC 3339 timestamps. */
final class Durations {

    private Durations() {}

    /**
     * A Go {@code time.Duration} string at millisecond precision, rounded up: {@code 0s},
     * {@code 250ms}, {@code 1.5s}, {@code 6m0s}, {@code 1h0m0s}.
     */
    static String goStyle(long micros) {
        long ms = (Math.max(0, micros) + 999) / 1000;
        if (ms == 0) {
            return "0s";
        }
        if (ms < 1000) {
            return ms + "ms";
        }
        StringBuilder sb = new StringBuilder();
        long h = ms / 3_600_000;
        long m = ms / 60_000 % 60;
        if (h > 0) {
            sb.append(h).append('h');
        }
        if (h > 0 || m > 0) {
            sb.append(m).append('m');
        }
        sb.append(ms / 1000 % 60);
        long frac = ms % 1000;
        if (frac > 0) {
            String digits = String.format("%03d", frac);
            int end = digits.length();
            while (digits.charAt(end - 1) == '0') {
                end--;
            }
            sb.append('.').append(digits, 0, end);
        }
        return sb.append('s').toString();
    }

    /** Epoch microseconds as an RFC 3339 UTC timestamp, rounded up to the second. */
    static String rfc3339(long epochMicros) {
        long seconds = Math.floorDiv(epochMicros + 999_999, 1_000_000);
        return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(seconds));
    }
}
