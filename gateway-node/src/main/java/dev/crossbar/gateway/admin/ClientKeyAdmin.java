package dev.crossbar.gateway.admin;

import static dev.crossbar.gateway.admin.AdminHttp.allow;
import static dev.crossbar.gateway.admin.AdminHttp.body;
import static dev.crossbar.gateway.admin.AdminHttp.bodyFailed;
import static dev.crossbar.gateway.admin.AdminHttp.decode;
import static dev.crossbar.gateway.admin.AdminHttp.error;
import static dev.crossbar.gateway.admin.AdminHttp.failed;
import static dev.crossbar.gateway.admin.AdminHttp.identifier;
import static dev.crossbar.gateway.admin.AdminHttp.limits;
import static dev.crossbar.gateway.admin.AdminHttp.notFound;
import static dev.crossbar.gateway.admin.AdminHttp.object;
import static dev.crossbar.gateway.admin.AdminHttp.onlyFields;
import static dev.crossbar.gateway.admin.AdminHttp.send;
import static dev.crossbar.gateway.admin.AdminHttp.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.cluster.ledger.KeyLimits;
import dev.crossbar.cluster.records.ClientKeyRecord;
import dev.crossbar.gateway.admin.AdminHttp.BadRequest;
import dev.crossbar.gateway.admin.AdminHttp.Conflict;
import dev.crossbar.gateway.auth.ClientKeyDirectory;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /admin/api/client-keys}: list, create and delete gateway client keys on every node at once.
 * A created key is generated here (or given by the admin), answered once, and stored only as its digest.
 */
final class ClientKeyAdmin {

    static final String RESOURCE = "client-keys";
    private static final Logger LOG = LoggerFactory.getLogger(ClientKeyAdmin.class);
    private static final Set<String> FIELDS =
            Set.of("name", "key", "models", "requests", "tokens", "concurrent", "window", "team");
    private static final int MAX_MODELS = 1000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Vertx vertx;
    private final ClientKeyDirectory directory;

    ClientKeyAdmin(Vertx vertx, ClientKeyDirectory directory) {
        this.vertx = vertx;
        this.directory = directory;
    }

    /** Handles {@code client-keys} and {@code client-keys/{name}} (the path's parts after the prefix). */
    void route(HttpServerRequest request, List<String> parts) {
        if (parts.size() == 1) {
            if (HttpMethod.GET.equals(request.method())) {
                list(request.response());
            } else if (allow(request, "GET, POST")) {
                create(request);
            }
        } else if (parts.size() == 2) {
            if (allow(request, "DELETE")) {
                delete(request.response(), decode(parts.get(1)));
            }
        } else {
            notFound(request);
        }
    }

    private void list(HttpServerResponse response) {
        vertx.executeBlocking(directory::records, false)
                .onSuccess(records -> {
                    List<Views.ClientKey> keys = new ArrayList<>();
                    for (ClientKeyRecord r : records) {
                        keys.add(view(r, null));
                    }
                    send(response, 200, new Views.ClientKeys(keys));
                })
                .onFailure(err -> failed(response, "list client keys", err));
    }

    private void create(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        Context context = vertx.getOrCreateContext();
        body(request)
                .onSuccess(body -> {
                    ClientKeyRecord record;
                    String key;
                    try {
                        JsonNode root = object(body, true);
                        key = root.hasNonNull("key") ? checkedKey(text(root, "key")) : generatedKey();
                        record = parse(root, key, directory);
                    } catch (BadRequest e) {
                        error(response, 400, "invalid_request_error", e.getMessage());
                        return;
                    }
                    vertx.executeBlocking(
                                    () -> directory.records().stream()
                                            .anyMatch(r -> r.name().equals(record.name())),
                                    false)
                            .compose(exists -> exists
                                    ? Future.failedFuture(new Conflict(
                                            "client key '" + record.name() + "' exists; DELETE " + AdminApi.PREFIX + "/"
                                                    + RESOURCE + "/" + record.name() + " first to replace it"))
                                    : Future.fromCompletionStage(directory.add(record), context))
                            .onSuccess(done -> {
                                LOG.info("admin: added client key {} for models {}", record.name(), record.models());
                                send(response, 201, view(record, key));
                            })
                            .onFailure(err -> {
                                if (err instanceof Conflict) {
                                    error(response, 409, "conflict_error", err.getMessage());
                                } else {
                                    failed(response, "add client key " + record.name(), err);
                                }
                            });
                })
                .onFailure(err -> bodyFailed(response, err));
    }

    private void delete(HttpServerResponse response, String name) {
        Context context = vertx.getOrCreateContext();
        vertx.executeBlocking(() -> directory.delete(name), false)
                .compose(stage -> Future.fromCompletionStage(stage, context))
                .onSuccess(deleted -> {
                    if (!deleted) {
                        error(response, 404, "not_found_error", "no client key '" + name + "'");
                        return;
                    }
                    LOG.info("admin: deleted client key {}", name);
                    send(response, 200, new Views.ClientKey(name, null, null, null, null));
                })
                .onFailure(err -> failed(response, "delete client key " + name, err));
    }

    /** Reads and checks a client key to create; every complaint names the field. */
    static ClientKeyRecord parse(JsonNode root, String key, ClientKeyDirectory directory) {
        onlyFields(root, FIELDS, "a client key");
        String name = identifier(root, "name");
        KeyLimits limits = limits(root);
        return directory.recordFor(
                name, key, models(root), limits, root.hasNonNull("team") ? identifier(root, "team") : null);
    }

    private static List<String> models(JsonNode root) {
        JsonNode m = root.get("models");
        if (m == null || m.isNull()) {
            return List.of("*");
        }
        if (!m.isArray() || m.isEmpty() || m.size() > MAX_MODELS) {
            throw new BadRequest("models must be a list of 1 to " + MAX_MODELS + " model names, or [\"*\"] for all");
        }
        List<String> models = new ArrayList<>();
        for (JsonNode model : m) {
            if (!model.isTextual() || model.asText().isBlank()) {
                throw new BadRequest("models must hold model names as non-empty strings, found " + model);
            }
            models.add(model.asText());
        }
        return List.copyOf(models);
    }

    private static String checkedKey(String key) {
        if (key.length() < 16 || key.length() > 256 || key.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new BadRequest("key must be 16 to 256 characters without spaces or control characters; "
                    + "leave it out and the gateway generates one");
        }
        return key;
    }

    /** 32 random bytes, URL-safe: what the client will send as its Bearer token. */
    private static String generatedKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "cbk-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Views.ClientKey view(ClientKeyRecord r, @Nullable String key) {
        return new Views.ClientKey(
                r.name(),
                r.models(),
                new Views.Limits(
                        r.limits().requests(),
                        r.limits().tokens(),
                        r.limits().concurrent(),
                        r.limits().windowMillis()),
                r.team(),
                key);
    }
}
