package dev.crossbar.gateway.admin;

import static dev.crossbar.gateway.admin.AdminHttp.allow;
import static dev.crossbar.gateway.admin.AdminHttp.error;
import static dev.crossbar.gateway.admin.AdminHttp.notFound;
import static dev.crossbar.gateway.admin.AdminHttp.send;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.crossbar.gateway.usage.UsageDatabase;
import dev.crossbar.gateway.usage.UsageQuery;
import dev.crossbar.gateway.usage.UsageRow;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /admin/api/usage}: sums of the usage records in the database, filtered by time range, client key,
 * team, model and provider, per day or hour and per any of those four; JSON, or CSV with {@code format=csv} or
 * {@code Accept: text/csv}. {@code GET /admin/api/usage/status}: the record buffer (waiting, dropped), which
 * the dashboard warns about.
 */
final class UsageAdmin {

    static final String RESOURCE = "usage";
    private static final Logger LOG = LoggerFactory.getLogger(UsageAdmin.class);
    private static final Duration DEFAULT_RANGE = Duration.ofDays(7);
    private static final Duration MAX_RANGE = Duration.ofDays(366);

    private final @Nullable UsageDatabase database;

    /** @param database null when the node's config names none */
    UsageAdmin(@Nullable UsageDatabase database) {
        this.database = database;
    }

    void route(HttpServerRequest request, List<String> parts) {
        if (parts.size() == 2 && parts.get(1).equals("status")) {
            if (allow(request, "GET")) {
                send(request.response(), 200, status());
            }
        } else if (parts.size() == 1) {
            if (allow(request, "GET")) {
                report(request);
            }
        } else {
            notFound(request);
        }
    }

    /**
     * @param database whether this node keeps usage records
     * @param ready    the database was reached and its schema is in place
     * @param dropped  records lost since the node started (the buffer was full while the database was away)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Status(
            boolean database,
            @Nullable Boolean ready,
            @Nullable Integer buffered,
            @Nullable Integer capacity,
            @Nullable Long dropped,
            @Nullable Long written) {}

    private Status status() {
        if (database == null) {
            return new Status(false, null, null, null, null, null);
        }
        UsageDatabase.Status s = database.status();
        return new Status(true, s.ready(), s.buffered(), s.capacity(), s.dropped(), s.written());
    }

    /** {@code GET /admin/api/usage}'s answer in JSON. */
    record Report(String from, String to, @Nullable String period, List<String> groupBy, List<UsageRow> rows) {}

    private void report(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        if (database == null) {
            error(
                    response,
                    404,
                    "not_found_error",
                    "this node keeps no usage records: set database.url in its config (docs/spend.md)");
            return;
        }
        UsageQuery query;
        try {
            query = query(request);
        } catch (IllegalArgumentException e) {
            error(response, 400, "invalid_request_error", e.getMessage());
            return;
        }
        boolean csv = "csv".equalsIgnoreCase(request.getParam("format"))
                || (request.getParam("format") == null
                        && String.valueOf(request.getHeader(HttpHeaders.ACCEPT)).contains("text/csv"));
        database.queries().report(query).onComplete(ar -> {
            if (ar.failed()) {
                LOG.warn("admin API: usage query failed: {}", ar.cause().toString());
                error(response, 503, "api_error", "the usage database did not answer; try again");
                return;
            }
            if (csv) {
                response.putHeader(HttpHeaders.CONTENT_TYPE, "text/csv; charset=utf-8")
                        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                        .end(UsageCsv.of(query, ar.result()));
                return;
            }
            List<String> groupBy = new ArrayList<>();
            query.groupBy().forEach(d -> groupBy.add(d.field));
            send(
                    response,
                    200,
                    new Report(
                            query.from().toString(),
                            query.to().toString(),
                            query.period() == null ? null : query.period().sql(),
                            groupBy,
                            ar.result()));
        });
    }

    static UsageQuery query(HttpServerRequest request) {
        for (String name : request.params().names()) {
            if (!List.of("from", "to", "clientKey", "team", "model", "provider", "period", "groupBy", "format")
                    .contains(name)) {
                throw new IllegalArgumentException("unknown parameter '" + name
                        + "'; known: from, to, clientKey, team, model, provider, period, groupBy, format");
            }
        }
        String format = request.getParam("format");
        if (format != null && !format.equalsIgnoreCase("csv") && !format.equalsIgnoreCase("json")) {
            throw new IllegalArgumentException("format must be json or csv, was '" + format + "'");
        }
        Instant to = instant("to", request.getParam("to"), Instant.now());
        Instant from = instant("from", request.getParam("from"), to.minus(DEFAULT_RANGE));
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to, was from=" + from + " to=" + to);
        }
        if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
            throw new IllegalArgumentException("the range from..to must be at most 366 days");
        }
        UsageQuery.Period period = null;
        String p = request.getParam("period");
        if (p != null && !p.isEmpty()) {
            try {
                period = UsageQuery.Period.valueOf(p.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("period must be day or hour, was '" + p + "'");
            }
        }
        List<UsageQuery.Dimension> groupBy = new ArrayList<>();
        String g = request.getParam("groupBy");
        if (g != null && !g.isEmpty()) {
            for (String name : g.split(",", -1)) {
                UsageQuery.Dimension d = UsageQuery.Dimension.named(name.trim());
                if (d == null) {
                    throw new IllegalArgumentException(
                            "groupBy takes clientKey, team, model and provider, was '" + name.trim() + "'");
                }
                if (!groupBy.contains(d)) {
                    groupBy.add(d);
                }
            }
        }
        return new UsageQuery(
                from,
                to,
                blankToNull(request.getParam("clientKey")),
                blankToNull(request.getParam("team")),
                blankToNull(request.getParam("model")),
                blankToNull(request.getParam("provider")),
                period,
                groupBy);
    }

    /** An ISO-8601 instant ({@code 2026-12-01T00:00:00Z}) or a UTC date ({@code 2026-12-01}, its midnight). */
    private static Instant instant(String name, @Nullable String value, Instant fallback) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            return value.length() == 10
                    ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    name + " must be a date (2026-12-01) or an instant (2026-12-01T00:00:00Z), was '" + value + "'");
        }
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
