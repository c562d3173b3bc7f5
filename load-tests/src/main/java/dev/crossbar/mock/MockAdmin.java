package dev.crossbar.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.util.Map;

/**
 * The {@code /_mock/*} surface: {@code GET stats}, {@code POST reset}, {@code GET|POST config}
 * (faults and revoked keys at runtime) and {@code GET health}.
 */
final class MockAdmin {

    static final String PREFIX = "/_mock/";

    private final MockProviders mock;

    MockAdmin(MockProviders mock) {
        this.mock = mock;
    }

    void handle(HttpServerRequest req) {
        String path = req.path();
        HttpMethod method = req.method();
        if ("/_mock/stats".equals(path) && HttpMethod.GET.equals(method)) {
            ok(req, mock.stats().toJson());
        } else if ("/_mock/reset".equals(path) && HttpMethod.POST.equals(method)) {
            mock.reset();
            ok(req, mock.stats().toJson());
        } else if ("/_mock/config".equals(path) && HttpMethod.GET.equals(method)) {
            ok(req, runtimeConfig());
        } else if ("/_mock/config".equals(path) && HttpMethod.POST.equals(method)) {
            req.body().onSuccess(body -> configure(req, body));
        } else if ("/_mock/health".equals(path) && HttpMethod.GET.equals(method)) {
            ok(req, Json.object().put("status", "UP"));
        } else {
            error(req, 404, "unknown admin path " + method + " " + path);
        }
    }

    /**
     * Applies {@code {"faults":FaultPlan, "keyFaults":{"secret":FaultPlan|null}, "revokedKeys":[..],
     * "noCreditKeys":[..]}}:
     * each field present replaces what it names (a null key plan puts that key back on the global
     * plan); absent fields stay as they are. All-or-nothing: a bad field changes nothing.
     */
    private void configure(HttpServerRequest req, Buffer body) {
        try {
            JsonNode json = Json.MAPPER.readTree(body.getBytes());
            JsonFields f = new JsonFields(json);
            f.only("faults", "keyFaults", "revokedKeys", "noCreditKeys");
            FaultPlan global = f.has("faults") ? parsePlan("faults.", f.get("faults")) : null;
            Map<String, FaultPlan> perKey = MockConfig.keyFaultsFromJson(f.get("keyFaults"));
            for (String secret : perKey.keySet()) {
                requireKey("keyFaults", secret);
            }
            var revoked = f.has("revokedKeys") ? MockConfig.keySetFromJson("revokedKeys", f.get("revokedKeys")) : null;
            if (revoked != null) {
                revoked.forEach(secret -> requireKey("revokedKeys", secret));
            }
            var noCredit =
                    f.has("noCreditKeys") ? MockConfig.keySetFromJson("noCreditKeys", f.get("noCreditKeys")) : null;
            if (noCredit != null) {
                noCredit.forEach(secret -> requireKey("noCreditKeys", secret));
            }
            if (global != null) {
                mock.setFaults(global);
            }
            perKey.forEach(mock::setKeyFaults);
            if (revoked != null) {
                mock.setRevokedKeys(revoked);
            }
            if (noCredit != null) {
                mock.setNoCreditKeys(noCredit);
            }
            ok(req, runtimeConfig());
        } catch (IOException | IllegalArgumentException e) {
            error(req, 400, e.getMessage());
        }
    }

    private void requireKey(String field, String secret) {
        if (!mock.isConfigured(secret)) {
            throw new IllegalArgumentException(field + " names an unknown key, was \"" + secret + "\"");
        }
    }

    private static FaultPlan parsePlan(String prefix, JsonNode node) {
        try {
            return FaultPlan.fromJson(node);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + e.getMessage(), e);
        }
    }

    private ObjectNode runtimeConfig() {
        ObjectNode n = Json.object();
        n.set("faults", mock.faults().globalPlan().toJson());
        ObjectNode perKey = n.putObject("keyFaults");
        mock.faults().keyPlans().forEach((k, v) -> perKey.set(k, v.toJson()));
        var revoked = n.putArray("revokedKeys");
        mock.faults().revoked().forEach(revoked::add);
        var noCredit = n.putArray("noCreditKeys");
        mock.faults().noCredit().forEach(noCredit::add);
        return n;
    }

    private static void ok(HttpServerRequest req, JsonNode body) {
        req.response().putHeader("content-type", Rendering.JSON).end(Json.write(body));
    }

    private static void error(HttpServerRequest req, int status, String message) {
        req.response()
                .setStatusCode(status)
                .putHeader("content-type", Rendering.JSON)
                .end(Json.write(Json.object().put("error", message)));
    }
}
