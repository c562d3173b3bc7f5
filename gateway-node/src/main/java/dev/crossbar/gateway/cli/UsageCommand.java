package dev.crossbar.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code crossbar usage}: spend and tokens from the usage database, through one node's admin API
 * ({@code GET /admin/api/usage}), as a table, CSV or the raw JSON. Filters and groups are the API's.
 */
public final class UsageCommand {

    static final String HELP = """
            Usage: crossbar usage [options]

            Spend and tokens from the usage records the cluster keeps in PostgreSQL (docs/spend.md), read
            through a node's admin API. Times are UTC; a date means its midnight.

              --from D           Start, a date (2026-12-01) or an instant (2026-12-01T10:00:00Z);
                                 default: 7 days before --to.
              --to D             End (exclusive); default: now.
              --client-key K     Only this client key's requests.
              --team T           Only this team's.
              --model M          Only this model's (the name clients ask for).
              --provider P       Only this provider's (its config id).
              --period day|hour  One row per day or hour.
              --group-by LIST    One row per value of each: clientKey, team, model, provider (comma-separated).
              --csv              CSV instead of a table.
              --json             The API's JSON.
              --url U            The node (default http://127.0.0.1:8080).
              --token T          The admin token (default: $CROSSBAR_ADMIN_TOKEN).

            Example: crossbar usage --period day --group-by team
            """;

    private static final Map<String, String> FILTERS = new LinkedHashMap<>();

    static {
        FILTERS.put("from", "from");
        FILTERS.put("to", "to");
        FILTERS.put("client-key", "clientKey");
        FILTERS.put("team", "team");
        FILTERS.put("model", "model");
        FILTERS.put("provider", "provider");
        FILTERS.put("period", "period");
        FILTERS.put("group-by", "groupBy");
    }

    private UsageCommand() {}

    public static int run(Args args) throws InterruptedException {
        return run(args, System.out, System.err, System.getenv());
    }

    static int run(Args args, PrintStream out, PrintStream err, Map<String, String> env) throws InterruptedException {
        if (args.flag("help")) {
            out.print(HELP);
            return 0;
        }
        List<String> known = new ArrayList<>(FILTERS.keySet());
        known.addAll(List.of("url", "token", "json", "csv", "help"));
        args.allow(known);
        if (args.flag("json") && args.flag("csv")) {
            throw new Args.UsageException("--json and --csv: choose one");
        }
        String url = args.get("url", StatusCommand.DEFAULT_URL);
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new Args.UsageException("--url must start with http:// or https://, was '" + url + "'");
        }
        String token = args.get("token");
        if (token == null) {
            token = env.get(StatusCommand.TOKEN_ENV);
        }
        if (token == null || token.isBlank()) {
            throw new Args.UsageException(
                    "usage needs the admin token: pass --token T or set " + StatusCommand.TOKEN_ENV);
        }
        StringBuilder query = new StringBuilder();
        for (Map.Entry<String, String> f : FILTERS.entrySet()) {
            String v = args.get(f.getKey());
            if (v != null) {
                query.append(query.length() == 0 ? "?" : "&")
                        .append(f.getValue())
                        .append('=')
                        .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        }
        String api = url + "/admin/api/usage" + query;
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            if (args.flag("csv")) {
                out.print(csv(client, api + (query.length() == 0 ? "?" : "&") + "format=csv", token));
                return 0;
            }
            JsonNode report = StatusCommand.get(client, api, token);
            if (args.flag("json")) {
                out.println(report.toPrettyString());
            } else {
                out.print(render(report));
            }
            return 0;
        } catch (StatusCommand.Refused e) {
            err.println("crossbar: " + e.getMessage());
            return 1;
        } catch (ConnectException | HttpTimeoutException e) {
            err.println("crossbar: cannot reach " + url + " (is a node running there? pass --url)");
            return 1;
        } catch (IOException e) {
            err.println("crossbar: talking to " + url + " failed: " + e.getMessage());
            return 1;
        }
    }

    private static String csv(HttpClient client, String api, String token) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(URI.create(api))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + token)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            // The same refusal, in words, as the JSON path gives.
            StatusCommand.get(client, api.replace("format=csv", "format=json"), token);
            throw new StatusCommand.Refused("GET " + api + " answered " + r.statusCode());
        }
        return r.body();
    }

    /** The report as a table: period and groups first, then requests, tokens and dollars. */
    static String render(JsonNode report) {
        List<String> headers = new ArrayList<>();
        boolean period = report.hasNonNull("period");
        if (period) {
            headers.add(report.path("period").asText().equals("hour") ? "HOUR (UTC)" : "DAY (UTC)");
        }
        List<String> groups = new ArrayList<>();
        report.path("groupBy").forEach(g -> groups.add(g.asText()));
        groups.forEach(g -> headers.add(g.toUpperCase(java.util.Locale.ROOT)));
        headers.addAll(List.of(">REQUESTS", ">INPUT", ">CACHED", ">OUTPUT", ">REASONING", ">COST USD", ">UNPRICED"));
        StatusCommand.Table table = new StatusCommand.Table(headers.toArray(String[]::new));
        BigDecimal total = BigDecimal.ZERO;
        long requests = 0;
        for (JsonNode r : report.path("rows")) {
            List<String> cells = new ArrayList<>();
            if (period) {
                String p = r.path("period").asText();
                cells.add(
                        report.path("period").asText().equals("hour")
                                ? p.substring(0, 16).replace('T', ' ')
                                : p.substring(0, 10));
            }
            for (String g : groups) {
                JsonNode v = r.path("group").path(g);
                cells.add(v.isNull() || v.isMissingNode() ? "-" : v.asText());
            }
            BigDecimal cost = r.path("costUsd").decimalValue();
            total = total.add(cost);
            requests += r.path("requests").asLong();
            cells.add(String.valueOf(r.path("requests").asLong()));
            cells.add(String.valueOf(r.path("inputTokens").asLong()));
            cells.add(String.valueOf(r.path("cacheReadTokens").asLong()));
            cells.add(String.valueOf(r.path("outputTokens").asLong()));
            cells.add(String.valueOf(r.path("reasoningTokens").asLong()));
            cells.add(dollars(cost));
            cells.add(String.valueOf(r.path("unpriced").asLong()));
            table.row(cells.toArray(String[]::new));
        }
        StringBuilder b = new StringBuilder();
        b.append("Usage from ")
                .append(report.path("from").asText())
                .append(" to ")
                .append(report.path("to").asText())
                .append(": ")
                .append(requests)
                .append(" requests, $")
                .append(dollars(total))
                .append("\n\n");
        table.appendTo(b);
        return b.toString();
    }

    private static String dollars(BigDecimal usd) {
        return usd.setScale(6, RoundingMode.HALF_UP).toPlainString();
    }
}
