package dev.crossbar.gateway.proxy;

import dev.crossbar.gateway.auth.ClientKey;
import dev.crossbar.gateway.pricing.Budgets;
import io.vertx.core.http.HttpServerResponse;
import java.math.RoundingMode;

/**
 * A client's standing against its budget, in response headers: of its client key's budget and its team's, the
 * one with less left ({@code x-crossbar-budget}: {@code client key 'web'} or {@code team 'search'}), what it
 * allows this period ({@code x-crossbar-budget-limit-usd}), what is left of it now, spent and reserved calls
 * taken off ({@code x-crossbar-budget-remaining-usd}), and when the period starts again
 * ({@code x-crossbar-budget-reset}, RFC 3339). Read from this node's view of the budgets (no cluster round trip);
 * a client key with no budget of its own or its team's gets none.
 */
final class BudgetHeaders {

    private BudgetHeaders() {}

    static void add(HttpServerResponse response, Budgets budgets, ClientKey client) {
        Budgets.Standing own = budgets.clientKey(client.name());
        Budgets.Standing team = client.team() == null ? null : budgets.team(client.team());
        boolean ownIsTighter = own != null && (team == null || own.remaining().compareTo(team.remaining()) <= 0);
        Budgets.Standing tighter = ownIsTighter ? own : team;
        if (tighter == null) {
            return;
        }
        response.putHeader(
                "x-crossbar-budget",
                ownIsTighter ? "client key '" + client.name() + "'" : "team '" + client.team() + "'");
        response.putHeader(
                "x-crossbar-budget-limit-usd",
                tighter.budget().usd().stripTrailingZeros().toPlainString());
        response.putHeader(
                "x-crossbar-budget-remaining-usd",
                tighter.remaining().setScale(6, RoundingMode.DOWN).toPlainString());
        response.putHeader("x-crossbar-budget-reset", tighter.resetsAt().toString());
    }
}
