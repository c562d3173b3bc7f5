package dev.crossbar.gateway.admin;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard at {@code /admin}: one static page with its stylesheet and script, read from the
 * classpath once. The page holds no data; it asks for the admin token and calls the admin API.
 */
final class Dashboard {

    private static final String ROOT = "/crossbar-admin/";
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private record Asset(Buffer body, String contentType) {}

    private final Map<String, Asset> assets;

    Dashboard() {
        assets = Map.of(
                "/admin", asset("index.html", "text/html; charset=utf-8"),
                "/admin/", asset("index.html", "text/html; charset=utf-8"),
                "/admin/dashboard.css", asset("dashboard.css", "text/css; charset=utf-8"),
                "/admin/dashboard.js", asset("dashboard.js", "text/javascript; charset=utf-8"));
    }

    void handle(HttpServerRequest request, boolean enabled) {
        HttpServerResponse response = request.response();
        if (!enabled) {
            response.setStatusCode(403)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .end("The admin dashboard is disabled: set admin.token in the node's config to turn it on.\n");
            return;
        }
        Asset asset = assets.get(request.path());
        if (asset == null) {
            response.setStatusCode(404)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .end("Not found. The dashboard is at /admin.\n");
            return;
        }
        if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
            response.setStatusCode(405)
                    .putHeader(HttpHeaders.ALLOW, "GET, HEAD")
                    .end();
            return;
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, asset.contentType())
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .putHeader("Content-Security-Policy", CSP)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer");
        if (HttpMethod.HEAD.equals(request.method())) {
            response.putHeader(
                            HttpHeaders.CONTENT_LENGTH,
                            String.valueOf(asset.body().length()))
                    .end();
        } else {
            response.end(asset.body());
        }
    }

    private static Asset asset(String name, String contentType) {
        try (InputStream in = Dashboard.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard resource " + ROOT + name + " is missing from the build");
            }
            return new Asset(Buffer.buffer(in.readAllBytes()), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
