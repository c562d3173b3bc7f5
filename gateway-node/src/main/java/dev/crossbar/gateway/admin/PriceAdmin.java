package dev.crossbar.gateway.admin;

import static dev.crossbar.gateway.admin.AdminHttp.allow;
import static dev.crossbar.gateway.admin.AdminHttp.body;
import static dev.crossbar.gateway.admin.AdminHttp.bodyFailed;
import static dev.crossbar.gateway.admin.AdminHttp.decode;
import static dev.crossbar.gateway.admin.AdminHttp.error;
import static dev.crossbar.gateway.admin.AdminHttp.failed;
import static dev.crossbar.gateway.admin.AdminHttp.notFound;
import static dev.crossbar.gateway.admin.AdminHttp.onlyFields;
import static dev.crossbar.gateway.admin.AdminHttp.send;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.crossbar.gateway.admin.AdminHttp.BadRequest;
import dev.crossbar.gateway.config.ModelConfig;
import dev.crossbar.gateway.config.PriceConfig;
import dev.crossbar.gateway.pricing.PriceDirectory;
import dev.crossbar.gateway.pricing.PriceOverride;
import dev.crossbar.gateway.pricing.Prices;
import dev.crossbar.gateway.pricing.Pricing;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /admin/api/prices}: the price each model target is charged at and where it comes from, the
 * targets with no price (flagged, never taken as free), and the overrides set here on every node at once
 * ({@code PUT} and {@code DELETE /admin/api/prices/{provider}/{model}}).
 */
final class PriceAdmin {

    static final String RESOURCE = "prices";
    private static final Logger LOG = LoggerFactory.getLogger(PriceAdmin.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final int MAX_MODEL_LENGTH = 256;
    private static final Set<String> LONG_CONTEXT_FIELDS =
            Set.of("aboveInputTokens", "input", "cacheRead", "cacheWrite", "cacheWrite1h", "output", "reasoning");
    private static final Set<String> FIELDS =
            Set.of("input", "cacheRead", "cacheWrite", "cacheWrite1h", "output", "reasoning", "request", "longContext");

    private final Vertx vertx;
    private final PriceDirectory directory;
    private final List<ModelConfig> models;
    private final Set<String> providers;

    PriceAdmin(Vertx vertx, PriceDirectory directory, List<ModelConfig> models, Set<String> providers) {
        this.vertx = vertx;
        this.directory = directory;
        this.models = List.copyOf(models);
        this.providers = Set.copyOf(providers);
    }

    /** Handles {@code prices} and {@code prices/{provider}/{model}} (the path's parts after the prefix). */
    void route(HttpServerRequest request, List<String> parts) {
        if (parts.size() == 1) {
            if (allow(request, "GET")) {
                list(request.response());
            }
        } else if (parts.size() == 3) {
            String provider = decode(parts.get(1));
            String model = decode(parts.get(2));
            if (HttpMethod.PUT.equals(request.method())) {
                put(request, provider, model);
            } else if (allow(request, "PUT, DELETE")) {
                remove(request.response(), provider, model);
            }
        } else {
            notFound(request);
        }
    }

    private void list(HttpServerResponse response) {
        vertx.executeBlocking(directory::overrides, false)
                .onSuccess(overrides -> send(response, 200, view(directory.current(), models, overrides)))
                .onFailure(err -> failed(response, "list prices", err));
    }

    /** Every configured model's targets with their price, and the overrides in force. */
    static Views.Prices view(Prices prices, List<ModelConfig> models, List<PriceOverride> overrides) {
        List<Views.TargetPrice> targets = new ArrayList<>();
        int unpriced = 0;
        for (ModelConfig model : models) {
            for (ModelConfig.TargetConfig t : model.targets()) {
                Pricing pricing = prices.lookup(model.name(), t.provider(), t.model());
                if (pricing instanceof Pricing.Priced p) {
                    targets.add(
                            new Views.TargetPrice(model.name(), t.provider(), t.model(), true, p.source(), p.price()));
                } else {
                    unpriced++;
                    targets.add(new Views.TargetPrice(model.name(), t.provider(), t.model(), false, null, null));
                }
            }
        }
        List<Views.PriceOverride> set = overrides.stream()
                .map(o -> new Views.PriceOverride(o.provider(), o.model(), o.price()))
                .collect(Collectors.toList());
        return new Views.Prices(prices.tableDate(), unpriced, targets, set);
    }

    private void put(HttpServerRequest request, String provider, String model) {
        HttpServerResponse response = request.response();
        Context context = vertx.getOrCreateContext();
        body(request)
                .onSuccess(body -> {
                    PriceConfig price;
                    try {
                        checkTarget(provider, model);
                        price = parse(body);
                    } catch (BadRequest e) {
                        error(response, 400, "invalid_request_error", e.getMessage());
                        return;
                    }
                    Future.fromCompletionStage(directory.put(provider, model, price), context)
                            .onSuccess(done -> {
                                LOG.info("admin: set the price of {} at provider {}", model, provider);
                                send(response, 200, new Views.PriceOverride(provider, model, price));
                            })
                            .onFailure(err -> failed(response, "set the price of " + model, err));
                })
                .onFailure(err -> bodyFailed(response, err));
    }

    private void remove(HttpServerResponse response, String provider, String model) {
        Context context = vertx.getOrCreateContext();
        vertx.executeBlocking(
                        () -> directory.overrides().stream()
                                .anyMatch(o -> o.provider().equals(provider)
                                        && o.model().equals(model)),
                        false)
                .compose(exists -> {
                    if (!exists) {
                        return Future.succeededFuture(false);
                    }
                    return Future.fromCompletionStage(directory.remove(provider, model), context)
                            .map(true);
                })
                .onSuccess(removed -> {
                    if (!removed) {
                        error(
                                response,
                                404,
                                "not_found_error",
                                "no price set through the admin API for '" + model + "' of provider '" + provider
                                        + "'");
                        return;
                    }
                    LOG.info("admin: removed the price override of {} at provider {}", model, provider);
                    send(response, 200, new Views.PriceOverride(provider, model, null));
                })
                .onFailure(err -> failed(response, "remove the price of " + model, err));
    }

    private void checkTarget(String provider, String model) {
        if (!providers.contains(provider)) {
            throw new BadRequest("no provider with id '" + provider + "'; known: " + providers);
        }
        if (model.isBlank()
                || model.length() > MAX_MODEL_LENGTH
                || model.chars().anyMatch(c -> c < ' ')) {
            throw new BadRequest("the model must be 1 to " + MAX_MODEL_LENGTH + " characters without control "
                    + "characters (a '/' in it written %2F)");
        }
    }

    /** Reads a price; every complaint names the field. */
    static PriceConfig parse(Buffer body) {
        JsonNode root = tree(body);
        onlyFields(root, FIELDS, "a price");
        JsonNode longContext = root.get("longContext");
        if (longContext != null && longContext.isObject()) {
            onlyFields(longContext, LONG_CONTEXT_FIELDS, "longContext");
        }
        try {
            PriceConfig price = JSON.treeToValue(root, PriceConfig.class);
            if (price == null) {
                throw new BadRequest("the body must be a JSON object: a price");
            }
            return price;
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String where = path(e);
            throw new BadRequest((where.isEmpty() ? "" : where + ": ") + cause.getMessage());
        } catch (JsonMappingException e) {
            throw new BadRequest(path(e) + " must be a number of US dollars (per million tokens, or per request)");
        } catch (IOException e) {
            throw new BadRequest("the body is not valid JSON: " + e.getMessage());
        }
    }

    /** The body as a JSON object, its decimals read exactly (never through a binary double). */
    private static JsonNode tree(Buffer body) {
        JsonNode root;
        try {
            root = body.length() == 0 ? null : JSON.readTree(body.getBytes());
        } catch (IOException e) {
            throw new BadRequest("the body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new BadRequest("the body must be a JSON object: a price, e.g. {\"input\": 2.5, \"output\": 10}");
        }
        return root;
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
