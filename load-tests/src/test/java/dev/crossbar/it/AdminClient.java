package dev.crossbar.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;

/** Calls one node's admin API with a token, and waits on conditions with a deadline (no fixed sleeps). */
final class AdminClient {

    static final String TOKEN = "test-admin-token";
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private final String token;

    AdminClient(String baseUrl) {
        this(baseUrl, TOKEN);
    }

    AdminClient(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    Http.Reply get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    Http.Reply post(String path, String json) throws IOException, InterruptedException {
        return send("POST", path, json);
    }

    Http.Reply delete(String path) throws IOException, InterruptedException {
        return send("DELETE", path, null);
    }

    Http.Reply send(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("content-type", "application/json");
        }
        if (token != null) {
            b.header("authorization", "Bearer " + token);
        }
        HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Http.Reply(r.statusCode(), r.headers().map(), r.body());
    }

    /** The key's JSON from GET /admin/api/keys, or null when the node does not list it. */
    JsonNode key(String id) throws IOException, InterruptedException {
        Http.Reply r = get("/admin/api/keys");
        if (r.status() != 200) {
            throw new AssertionError("GET /admin/api/keys answered " + r.status() + ": " + r.body());
        }
        for (JsonNode k : r.json().path("keys")) {
            if (k.path("id").asText().equals(id)) {
                return k;
            }
        }
        return null;
    }

    /** Polls {@code condition} until it holds; fails with {@code what} after {@code within}. Returns the time taken. */
    static Duration eventually(Duration within, String what, Callable<Boolean> condition) throws Exception {
        long start = System.nanoTime();
        long deadline = start + within.toNanos();
        while (true) {
            if (Boolean.TRUE.equals(condition.call())) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + within.toMillis() + " ms: " + what);
            }
            Thread.sleep(20);
        }
    }
}
