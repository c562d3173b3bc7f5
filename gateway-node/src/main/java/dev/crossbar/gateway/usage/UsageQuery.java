package dev.crossbar.gateway.usage;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A question to the usage records: which (a time range, and optionally one client key, team, model and
 * provider) and how summed (per day or hour, and per any of the four).
 *
 * @param from    inclusive
 * @param to      exclusive
 * @param period  {@code day}, {@code hour} or null for the whole range
 * @param groupBy the dimensions rows are split by, in order
 */
public record UsageQuery(
        Instant from,
        Instant to,
        @Nullable String clientKey,
        @Nullable String team,
        @Nullable String model,
        @Nullable String provider,
        @Nullable Period period,
        List<Dimension> groupBy) {

    public UsageQuery {
        groupBy = List.copyOf(groupBy);
    }

    /** How time is cut, in UTC. */
    public enum Period {
        DAY,
        HOUR;

        public String sql() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What rows may be split by: each is a column of {@code usage_records}, named as in the API. */
    public enum Dimension {
        CLIENT_KEY("client_key", "clientKey"),
        TEAM("team", "team"),
        MODEL("model", "model"),
        PROVIDER("provider", "provider");

        public final String column;
        public final String field;

        Dimension(String column, String field) {
            this.column = column;
            this.field = field;
        }

        /** By its API name ({@code clientKey}, {@code team}, ...) or column name; null when none has it. */
        public static @Nullable Dimension named(String name) {
            for (Dimension d : values()) {
                if (d.field.equalsIgnoreCase(name) || d.column.equalsIgnoreCase(name)) {
                    return d;
                }
            }
            return null;
        }
    }
}
