package dev.crossbar.gateway.usage;

import dev.crossbar.gateway.pricing.SpendHistory;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/** Reads the usage records: sums for the admin API and the spend since a moment for budgets. */
public final class UsageQueries implements SpendHistory {

    private final Pool pool;

    UsageQueries(Pool pool) {
        this.pool = pool;
    }

    @Override
    public CompletionStage<Spent> since(Instant from) {
        Tuple at = Tuple.of(from.atOffset(ZoneOffset.UTC));
        Future<Map<String, BigDecimal>> byClient = spentBy("client_key", at);
        Future<Map<String, BigDecimal>> byTeam = spentBy("team", at);
        return Future.all(byClient, byTeam)
                .map(both -> new Spent(Map.copyOf(byClient.result()), Map.copyOf(byTeam.result())))
                .toCompletionStage();
    }

    private Future<Map<String, BigDecimal>> spentBy(String column, Tuple at) {
        // column is one of two names of ours, never input
        return pool.preparedQuery("SELECT " + column + " AS who, SUM(cost_usd) AS spent FROM usage_records"
                        + " WHERE at >= $1 AND priced AND " + column + " IS NOT NULL GROUP BY " + column)
                .execute(at)
                .map(rows -> {
                    Map<String, BigDecimal> spent = new HashMap<>();
                    for (Row row : rows) {
                        spent.put(row.getString("who"), row.getBigDecimal("spent"));
                    }
                    return spent;
                });
    }

    /** The sums the query asks for, ordered by period and group. */
    public Future<List<UsageRow>> report(UsageQuery q) {
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE at >= $1 AND at < $2");
        params.add(q.from().atOffset(ZoneOffset.UTC));
        params.add(q.to().atOffset(ZoneOffset.UTC));
        filter(where, params, "client_key", q.clientKey());
        filter(where, params, "team", q.team());
        filter(where, params, "model", q.model());
        filter(where, params, "provider", q.provider());
        List<String> keys = new ArrayList<>();
        if (q.period() != null) {
            keys.add("date_trunc('" + q.period().sql() + "', at AT TIME ZONE 'UTC')");
        }
        for (UsageQuery.Dimension d : q.groupBy()) {
            keys.add(d.column);
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < keys.size(); i++) {
            sql.append(keys.get(i)).append(" AS k").append(i).append(", ");
        }
        sql.append(
                "COUNT(*) AS requests, COALESCE(SUM(input_tokens), 0) AS input, COALESCE(SUM(cache_read_tokens), 0) AS cache_read,"
                        + " COALESCE(SUM(cache_write_tokens), 0) AS cache_write, COALESCE(SUM(cache_write_1h_tokens), 0) AS cache_write_1h,"
                        + " COALESCE(SUM(output_tokens), 0) AS output, COALESCE(SUM(reasoning_tokens), 0) AS reasoning,"
                        + " COALESCE(SUM(cost_usd) FILTER (WHERE priced), 0) AS cost,"
                        + " COUNT(*) FILTER (WHERE NOT priced) AS unpriced, COUNT(*) FILTER (WHERE cost_estimated) AS estimated"
                        + " FROM usage_records");
        sql.append(where);
        if (!keys.isEmpty()) {
            StringBuilder positions = new StringBuilder();
            for (int i = 1; i <= keys.size(); i++) {
                positions.append(i == 1 ? "" : ", ").append(i);
            }
            sql.append(" GROUP BY ").append(positions).append(" ORDER BY ").append(positions);
        }
        return pool.preparedQuery(sql.toString()).execute(Tuple.wrap(params)).map(rows -> {
            List<UsageRow> out = new ArrayList<>();
            for (Row row : rows) {
                int k = 0;
                String period = null;
                if (q.period() != null) {
                    LocalDateTime start = row.getLocalDateTime(k++);
                    period = start.atOffset(ZoneOffset.UTC).toInstant().toString();
                }
                Map<String, @Nullable String> group = new LinkedHashMap<>();
                for (UsageQuery.Dimension d : q.groupBy()) {
                    group.put(d.field, row.getString(k++));
                }
                out.add(new UsageRow(
                        period,
                        group,
                        row.getLong("requests"),
                        row.getLong("input"),
                        row.getLong("cache_read"),
                        row.getLong("cache_write"),
                        row.getLong("cache_write_1h"),
                        row.getLong("output"),
                        row.getLong("reasoning"),
                        row.getBigDecimal("cost"),
                        row.getLong("unpriced"),
                        row.getLong("estimated")));
            }
            return out;
        });
    }

    private static void filter(StringBuilder where, List<Object> params, String column, @Nullable String value) {
        if (value != null) {
            params.add(value);
            where.append(" AND ").append(column).append(" = $").append(params.size());
        }
    }
}
