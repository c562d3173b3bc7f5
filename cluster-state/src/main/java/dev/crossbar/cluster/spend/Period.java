package dev.crossbar.cluster.spend;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** How long a budget's spend accumulates before it starts again from zero: a UTC day or a UTC month. */
public enum Period {
    DAY,
    MONTH;

    /** The start of the period that holds {@code millis}, in epoch milliseconds. */
    public long start(long millis) {
        LocalDate date = Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate first = this == DAY ? date : date.withDayOfMonth(1);
        return first.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    /** When the period that holds {@code millis} ends and the next one starts. */
    public long end(long millis) {
        LocalDate first =
                Instant.ofEpochMilli(start(millis)).atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate next = this == DAY ? first.plusDays(1) : first.plusMonths(1);
        return next.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    /** The name config and the admin API use: {@code day} or {@code month}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The period named {@code label} ({@code day} or {@code month}). */
    public static Period of(String label) {
        for (Period p : values()) {
            if (p.label().equals(label)) {
                return p;
            }
        }
        throw new IllegalArgumentException("period must be 'day' or 'month', was '" + label + "'");
    }
}
