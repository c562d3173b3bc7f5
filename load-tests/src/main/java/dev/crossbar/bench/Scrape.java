package dev.crossbar.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads a node's /metrics (Prometheus text) and other small answers over loopback. */
final class Scrape {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private Scrape() {}

    static String get(String url) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)), url);
    }

    /** A GET of the admin API, with its bearer token. */
    static String getWithToken(String url, String token) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).header("authorization", "Bearer " + token), url);
    }

    private static String send(HttpRequest.Builder request, String url) throws Exception {
        HttpResponse<String> r =
                HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    static int status(String url) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return 0;
        }
    }

    static String post(String url, String json) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(20))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** The sum of every series of {@code name} whose labels contain all of {@code labels}. */
    static double sum(String text, String name, String... labels) {
        return fold(text, name, false, labels);
    }

    /** The largest value of any series of {@code name} whose labels contain all of {@code labels}; 0 when none. */
    static double max(String text, String name, String... labels) {
        return fold(text, name, true, labels);
    }

    private static double fold(String text, String name, boolean max, String... labels) {
        double total = 0;
        int from = 0;
        while (true) {
            int at = text.indexOf(name, from);
            if (at < 0) {
                return total;
            }
            int end = text.indexOf('\n', at);
            if (end < 0) {
                end = text.length();
            }
            from = end;
            boolean lineStart = at == 0 || text.charAt(at - 1) == '\n';
            char after = at + name.length() < text.length() ? text.charAt(at + name.length()) : ' ';
            if (!lineStart || (after != '{' && after != ' ')) {
                continue;
            }
            String line = text.substring(at, end);
            boolean all = true;
            for (String l : labels) {
                all &= line.contains(l);
            }
            if (all) {
                double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                total = max ? Math.max(total, v) : total + v;
            }
        }
    }
}
