package dev.crossbar.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code crossbar status [--url URL] [--token T] [--json]}: the cluster's members and every key's use,
 * read from one node's admin API, as aligned tables (or the raw JSON).
 */
public final class StatusCommand {

    public static final String DEFAULT_URL = "http://127.0.0.1:8080";
    public static final String TOKEN_ENV = "CROSSBAR_ADMIN_TOKEN";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StatusCommand() {}

    public static int run(Args args) throws InterruptedException {
        return run(args, System.out, System.err, System.getenv());
    }

    /** As {@link #run(Args)}, writing to the given streams and reading the token variable from {@code env}. */
    public static int run(Args args, PrintStream out, PrintStream err, Map<String, String> env)
            throws InterruptedException {
        args.allow(List.of("url", "token", "json"));
        String url = args.get("url", DEFAULT_URL);
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new Args.UsageException("--url must start with http:// or https://, was '" + url + "'");
        }
        String token = args.get("token");
        if (token == null) {
            token = env.get(TOKEN_ENV);
        }
        if (token == null || token.isBlank()) {
            throw new Args.UsageException("status needs the admin token: pass --token T or set " + TOKEN_ENV);
        }
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        JsonNode cluster;
        JsonNode keys;
        JsonNode models;
        try {
            cluster = get(client, url + "/admin/api/cluster", token);
            keys = get(client, url + "/admin/api/keys", token);
            models = get(client, url + "/admin/api/models", token);
        } catch (Refused e) {
            err.println("crossbar: " + e.getMessage());
            return 1;
        } catch (ConnectException | HttpTimeoutException e) {
            err.println("crossbar: cannot reach " + url + " (is a node running there? pass --url)");
            return 1;
        } catch (IOException e) {
            err.println("crossbar: talking to " + url + " failed: " + e.getMessage());
            return 1;
        }
        if (args.flag("json")) {
            ObjectNode all = JSON.createObjectNode();
            all.set("cluster", cluster);
            all.set("keys", keys);
            all.set("models", models);
            try {
                out.println(JSON.writeValueAsString(all));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return 0;
        }
        out.print(render(cluster, keys, models));
        return 0;
    }

    static JsonNode get(HttpClient client, String url, String token) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status == 401) {
            throw new Refused("the node refused the admin token (401); check --token or " + TOKEN_ENV);
        }
        if (status == 403) {
            throw new Refused("the admin API is disabled on that node (403): it has no admin.token in its config");
        }
        if (status != 200) {
            throw new Refused("GET " + url + " answered " + status + ": " + message(response.body()));
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new Refused("GET " + url + " did not answer JSON; is --url a Crossbar node?");
        }
    }

    private static String message(String body) {
        try {
            JsonNode m = JSON.readTree(body).at("/error/message");
            return m.isTextual() ? m.asText() : body;
        } catch (IOException e) {
            return body.length() > 200 ? body.substring(0, 200) : body;
        }
    }

    /** The tables, as text. */
    static String render(JsonNode cluster, JsonNode keys, JsonNode models) {
        StringBuilder b = new StringBuilder();
        long now = cluster.path("now").asLong(System.currentTimeMillis());
        int size = cluster.path("size").asInt();
        b.append("Cluster '")
                .append(cluster.path("cluster").asText())
                .append("': ")
                .append(size)
                .append(size == 1 ? " member, " : " members, ")
                .append(number(cluster.at("/totals/requestsPerSecond").asDouble()))
                .append(" req/s, ")
                .append(cluster.at("/totals/inFlight").asInt())
                .append(" in flight\n\n");
        Table members = new Table("", "MEMBER", "ADDRESS", "HTTP", "VERSION", ">UPTIME", ">REQ/S", ">IN-FLIGHT");
        for (JsonNode m : cluster.path("members")) {
            boolean reporting = m.path("reporting").asBoolean();
            members.row(
                    m.path("self").asBoolean() ? "*" : "",
                    shortId(m.path("id").asText()),
                    m.path("address").asText(),
                    reporting ? m.path("http").asText() : "(no report yet)",
                    reporting ? m.path("version").asText() : "",
                    reporting ? duration(m.path("uptimeSeconds").asLong()) : "",
                    reporting ? number(m.path("requestsPerSecond").asDouble()) : "",
                    reporting ? String.valueOf(m.path("inFlight").asInt()) : "");
        }
        members.appendTo(b);
        b.append("  * the node that answered\n\n");

        long keysNow = keys.path("now").asLong(now);
        JsonNode providerKeys = keys.path("keys");
        b.append("Keys (").append(providerKeys.size()).append(")\n");
        Table table = keyTable();
        for (JsonNode k : providerKeys) {
            keyRow(table, k, k.path("provider").asText(), keysNow);
        }
        table.appendTo(b);
        JsonNode clients = keys.path("clientKeys");
        if (clients.size() > 0) {
            b.append("\nClient keys with limits (").append(clients.size()).append(")\n");
            Table ct = keyTable();
            for (JsonNode k : clients) {
                keyRow(ct, k, "(client)", keysNow);
            }
            ct.appendTo(b);
        }
        if (models != null && models.path("models").size() > 0) {
            b.append("\nModels\n");
            Table mt = new Table("MODEL", "HEALTH", "TARGETS");
            for (JsonNode m : models.path("models")) {
                List<String> targets = new ArrayList<>();
                for (JsonNode t : m.path("targets")) {
                    targets.add(
                            t.path("provider").asText() + "/" + t.path("model").asText() + " "
                                    + t.path("keysUsable").asInt() + "/"
                                    + t.path("keysTotal").asInt() + " keys");
                }
                mt.row(m.path("name").asText(), m.path("health").asText(), String.join(", ", targets));
            }
            mt.appendTo(b);
        }
        return b.toString();
    }

    private static Table keyTable() {
        return new Table(
                "KEY",
                "PROVIDER",
                "FINGERPRINT",
                "STATE",
                ">REQUESTS",
                ">TOKENS",
                ">CONCURRENT",
                ">HEADROOM",
                ">OK",
                ">ERRORS",
                ">429",
                ">LATENCY",
                ">NODES");
    }

    private static void keyRow(Table table, JsonNode k, String provider, long now) {
        JsonNode use = k.path("use");
        JsonNode stats = k.path("stats");
        JsonNode latency = stats.path("meanLatencyMillis");
        table.row(
                k.path("id").asText(),
                provider,
                k.path("fingerprint").asText("-"),
                stateWords(k, now),
                percent(use.path("requests")),
                percent(use.path("tokens")),
                percent(use.path("concurrent")),
                k.has("headroom") ? Math.round(k.path("headroom").asDouble() * 100) + "%" : "-",
                String.valueOf(stats.path("successes").asLong()),
                String.valueOf(stats.path("failures").asLong()),
                String.valueOf(stats.path("rateLimited").asLong()),
                latency.isNumber() ? Math.round(latency.asDouble()) + " ms" : "-",
                String.valueOf(k.path("nodes").size()));
    }

    /** "active", "cooling down 12s (429 from openai)", "disabled (revoked)", "probing". */
    static String stateWords(JsonNode k, long now) {
        String state = k.path("state").asText("unknown");
        String reason = k.path("reason").asText(null);
        String words = switch (state) {
            case "cooling_down" ->
                "cooling down " + duration(Math.max(0, (k.path("until").asLong() - now + 999) / 1000));
            default -> state.replace('_', ' ');
        };
        if (reason != null && !reason.isEmpty()) {
            words += " (" + (reason.length() > 40 ? reason.substring(0, 39) + "…" : reason) + ")";
        }
        return words;
    }

    private static String percent(JsonNode dimension) {
        JsonNode ratio = dimension.path("ratio");
        if (!ratio.isNumber()) {
            return "-";
        }
        return Math.round(ratio.asDouble() * 100) + "%";
    }

    private static String shortId(String id) {
        return id.length() > 8 ? id.substring(0, 8) : id;
    }

    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m " + seconds % 60 + "s";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + "h " + seconds % 3600 / 60 + "m";
        }
        return seconds / 86_400 + "d " + seconds % 86_400 / 3600 + "h";
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /**
     * Columns padded to their widest cell, two spaces apart, the table indented by two; a header
     * starting with '>' is right-aligned (numbers). An empty first header makes a one-character marker
     * column set off by one space.
     */
    static final class Table {
        private final String[] headers;
        private final boolean[] right;
        private final List<String[]> rows = new ArrayList<>();

        Table(String... headers) {
            this.headers = new String[headers.length];
            this.right = new boolean[headers.length];
            for (int i = 0; i < headers.length; i++) {
                right[i] = headers[i].startsWith(">");
                this.headers[i] = right[i] ? headers[i].substring(1) : headers[i];
            }
        }

        void row(String... cells) {
            rows.add(cells);
        }

        void appendTo(StringBuilder b) {
            int[] width = new int[headers.length];
            for (int i = 0; i < headers.length; i++) {
                width[i] = headers[i].length();
                for (String[] r : rows) {
                    width[i] = Math.max(width[i], r[i].length());
                }
            }
            line(b, headers, width);
            for (String[] r : rows) {
                line(b, r, width);
            }
            if (rows.isEmpty()) {
                b.append("  (none)\n");
            }
        }

        private void line(StringBuilder b, String[] cells, int[] width) {
            StringBuilder l = new StringBuilder();
            boolean marker = headers[0].isEmpty();
            if (!marker) {
                l.append("  ");
            }
            for (int i = 0; i < cells.length; i++) {
                if (i > 0) {
                    l.append(i == 1 && marker ? " " : "  ");
                }
                String c = cells[i];
                String pad = " ".repeat(width[i] - c.length());
                l.append(right[i] ? pad + c : c + pad);
            }
            b.append(l.toString().stripTrailing()).append('\n');
        }
    }

    static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }
}
