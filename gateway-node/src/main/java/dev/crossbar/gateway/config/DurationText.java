package dev.crossbar.gateway.config;

import java.time.Duration;

/** Reads durations written for people: "250ms", "30s", "5m", "1h", "1d", or a bare number of milliseconds. */
public final class DurationText {

    private DurationText() {}

    public static Duration parse(String text) {
        String t = text.trim();
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(
                        Long.parseLong(t.substring(0, t.length() - 2).trim()));
            }
            char unit = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
            String number = t.substring(0, Math.max(0, t.length() - 1)).trim();
            return switch (unit) {
                case 's' -> Duration.ofMillis(Math.round(Double.parseDouble(number) * 1_000));
                case 'm' -> Duration.ofSeconds(Long.parseLong(number) * 60);
                case 'h' -> Duration.ofHours(Long.parseLong(number));
                case 'd' -> Duration.ofDays(Long.parseLong(number));
                default -> Duration.ofMillis(Long.parseLong(t));
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; write e.g. 250ms, 30s, 5m or 1h");
        }
    }

    /** The shortest exact way to write {@code d} in the syntax {@link #parse} reads. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000 == 0 && ms > 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1_000 == 0) {
            return ms / 1_000 + "s";
        }
        return ms + "ms";
    }
}
