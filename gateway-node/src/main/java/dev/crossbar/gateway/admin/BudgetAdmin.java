package dev.crossbar.gateway.admin;

import static dev.crossbar.gateway.admin.AdminHttp.allow;
import static dev.crossbar.gateway.admin.AdminHttp.body;
import static dev.crossbar.gateway.admin.AdminHttp.bodyFailed;
import static dev.crossbar.gateway.admin.AdminHttp.decode;
import static dev.crossbar.gateway.admin.AdminHttp.error;
import static dev.crossbar.gateway.admin.AdminHttp.failed;
import static dev.crossbar.gateway.admin.AdminHttp.notFound;
import static dev.crossbar.gateway.admin.AdminHttp.object;
import static dev.crossbar.gateway.admin.AdminHttp.onlyFields;
import static dev.crossbar.gateway.admin.AdminHttp.send;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.cluster.records.BudgetRecord;
import dev.crossbar.gateway.admin.AdminHttp.BadRequest;
import dev.crossbar.gateway.config.BudgetConfig;
import dev.crossbar.gateway.config.ClientKeyConfig;
import dev.crossbar.gateway.pricing.Budgets;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /admin/api/budgets}: every budget with what its subject spent and has left in the current period, and
 * the calls that cost more than they reserved; {@code GET}, {@code PUT} and {@code DELETE}
 * {@code /admin/api/budgets/client-keys/{name}} and {@code /admin/api/budgets/teams/{name}} read, set and clear
 * one on every node at once.
 */
final class BudgetAdmin {

    static final String RESOURCE = "budgets";
    private static final Logger LOG = LoggerFactory.getLogger(BudgetAdmin.class);
    private static final Set<String> FIELDS = Set.of("usd", "period");

    private final Vertx vertx;
    private final Budgets budgets;

    BudgetAdmin(Vertx vertx, Budgets budgets) {
        this.vertx = vertx;
        this.budgets = budgets;
    }

    void route(HttpServerRequest request, List<String> parts) {
        if (parts.size() == 1) {
            if (allow(request, "GET")) {
                Budgets.Overruns o = budgets.overruns();
                send(
                        request.response(),
                        200,
                        new Views.Budgets(
                                budgets.all().stream().map(BudgetAdmin::view).toList(),
                                new Views.Overruns(o.calls(), o.usd(), o.largestUsd())));
            }
            return;
        }
        if (parts.size() != 3
                || !(parts.get(1).equals("client-keys") || parts.get(1).equals("teams"))) {
            notFound(request);
            return;
        }
        String name = decode(parts.get(2));
        if (!ClientKeyConfig.TEAM.matcher(name).matches()) {
            error(
                    request.response(),
                    400,
                    "invalid_request_error",
                    "the name must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
            return;
        }
        boolean team = parts.get(1).equals("teams");
        String subject = team ? BudgetRecord.team(name) : BudgetRecord.client(name);
        if (HttpMethod.PUT.equals(request.method())) {
            put(request, subject);
        } else if (HttpMethod.DELETE.equals(request.method())) {
            clear(request, subject);
        } else if (allow(request, "GET, PUT, DELETE")) {
            Budgets.Standing standing = team ? budgets.team(name) : budgets.clientKey(name);
            if (standing == null) {
                error(request.response(), 404, "not_found_error", "no budget for " + subject.replace(':', ' '));
            } else {
                send(request.response(), 200, view(standing));
            }
        }
    }

    private void put(HttpServerRequest request, String subject) {
        Context context = vertx.getOrCreateContext();
        body(request)
                .onSuccess(body -> {
                    BudgetConfig budget;
                    try {
                        budget = parse(body);
                    } catch (BadRequest | IllegalArgumentException e) {
                        error(request.response(), 400, "invalid_request_error", e.getMessage());
                        return;
                    }
                    Future.fromCompletionStage(budgets.put(subject, budget), context)
                            .onSuccess(done -> {
                                LOG.info(
                                        "admin: set the budget of {} to {} USD per {}",
                                        subject,
                                        budget.usd(),
                                        budget.period());
                                send(
                                        request.response(),
                                        200,
                                        new Views.Budget(
                                                subject, budget.usd(), budget.period(), null, null, null, null));
                            })
                            .onFailure(err -> failed(request.response(), "set the budget of " + subject, err));
                })
                .onFailure(err -> bodyFailed(request.response(), err));
    }

    private void clear(HttpServerRequest request, String subject) {
        Context context = vertx.getOrCreateContext();
        Future.fromCompletionStage(budgets.clear(subject), context)
                .onSuccess(done -> {
                    LOG.info("admin: cleared the budget of {}", subject);
                    send(request.response(), 200, new Views.Budget(subject, null, null, null, null, null, null));
                })
                .onFailure(err -> failed(request.response(), "clear the budget of " + subject, err));
    }

    /** {@code {"usd": 25.5, "period": "day"}}; every complaint names the field. */
    static BudgetConfig parse(Buffer body) {
        JsonNode root = object(body, true);
        onlyFields(root, FIELDS, "a budget");
        JsonNode usd = root.get("usd");
        if (usd == null || usd.isNull()) {
            throw new BadRequest("usd is required: US dollars per period");
        }
        BigDecimal amount;
        if (usd.isNumber()) {
            amount = usd.decimalValue();
        } else if (usd.isTextual()) {
            try {
                amount = new BigDecimal(usd.asText());
            } catch (NumberFormatException e) {
                throw new BadRequest("usd must be a number of US dollars, was '" + usd.asText() + "'");
            }
        } else {
            throw new BadRequest("usd must be a number of US dollars");
        }
        JsonNode period = root.get("period");
        if (period != null && !period.isNull() && !period.isTextual()) {
            throw new BadRequest("period must be 'day' or 'month'");
        }
        return new BudgetConfig(amount, period == null || period.isNull() ? null : period.asText());
    }

    private static Views.Budget view(Budgets.Standing s) {
        return new Views.Budget(
                s.subject(),
                s.budget().usd(),
                s.budget().period().label(),
                s.spent(),
                s.reserved(),
                s.remaining(),
                s.resetsAt().toString());
    }
}
