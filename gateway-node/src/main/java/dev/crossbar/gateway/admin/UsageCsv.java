package dev.crossbar.gateway.admin;

import dev.crossbar.gateway.usage.UsageQuery;
import dev.crossbar.gateway.usage.UsageRow;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A usage report as CSV (RFC 4180): one header line, one line per row, values quoted when they need it. */
final class UsageCsv {

    private UsageCsv() {}

    static String of(UsageQuery query, List<UsageRow> rows) {
        StringBuilder b = new StringBuilder();
        if (query.period() != null) {
            b.append("period,");
        }
        for (UsageQuery.Dimension d : query.groupBy()) {
            b.append(d.field).append(',');
        }
        b.append("requests,inputTokens,cacheReadTokens,cacheWriteTokens,cacheWrite1hTokens,outputTokens,"
                + "reasoningTokens,costUsd,unpriced,estimated\r\n");
        for (UsageRow r : rows) {
            if (query.period() != null) {
                b.append(r.period()).append(',');
            }
            for (UsageQuery.Dimension d : query.groupBy()) {
                b.append(quoted(r.group().get(d.field))).append(',');
            }
            b.append(r.requests())
                    .append(',')
                    .append(r.inputTokens())
                    .append(',')
                    .append(r.cacheReadTokens())
                    .append(',')
                    .append(r.cacheWriteTokens())
                    .append(',')
                    .append(r.cacheWrite1hTokens())
                    .append(',')
                    .append(r.outputTokens())
                    .append(',')
                    .append(r.reasoningTokens())
                    .append(',')
                    .append(r.costUsd().toPlainString())
                    .append(',')
                    .append(r.unpriced())
                    .append(',')
                    .append(r.estimated())
                    .append("\r\n");
        }
        return b.toString();
    }

    /** Empty for a missing value; quoted, quotes doubled, when it holds a comma, a quote or a line break. */
    static String quoted(@Nullable String value) {
        if (value == null) {
            return "";
        }
        if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }
}
