package dev.crossbar.gateway.proxy;

import dev.crossbar.cluster.lease.LocalLeases;
import dev.crossbar.cluster.ledger.Ledger;
import dev.crossbar.gateway.auth.ClientKey;
import dev.crossbar.gateway.config.GatewayConfig;
import dev.crossbar.gateway.config.RoutingConfig;
import dev.crossbar.gateway.keys.KeyPool;
import dev.crossbar.gateway.pricing.Budgets;
import dev.crossbar.gateway.pricing.Prices;
import dev.crossbar.gateway.responses.ResponsesState;
import dev.crossbar.gateway.routing.ModelRoutes;
import dev.crossbar.gateway.upstream.LimitLearner;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Supplier;

/**
 * The request path of a node (DESIGN.md 2), what every exchange shares: intake, the client keys' limits and budgets, the key
 * pool, rate-limit learning, settlement's leases, observer and prices, and the node's traffic. Starts an {@link
 * Exchange} per request. Immutable; shared by the node's event loops.
 */
public final class Pipeline {

    final Intake intake;
    final ClientLimit clientLimit;
    final BudgetGate budgetGate;
    final Budgets budgets;
    final KeyPool pool;
    final LocalLeases leases;
    final LimitLearner learner;
    final RoutingConfig routing;
    final RequestObserver observer;
    final Supplier<Prices> prices;
    final Traffic traffic;
    final FieldPolicy fieldPolicy;
    final Ledger ledger;

    public Pipeline(
            GatewayConfig config,
            ModelRoutes routes,
            KeyPool pool,
            LocalLeases leases,
            Ledger ledger,
            RequestObserver observer,
            Supplier<Prices> prices,
            Budgets budgets,
            Traffic traffic,
            FieldPolicy fieldPolicy,
            ResponsesState responses) {
        this.intake = new Intake(routes, config.node(), config.routing(), responses);
        this.clientLimit = new ClientLimit(leases);
        this.budgetGate = new BudgetGate(budgets, prices, System::currentTimeMillis);
        this.budgets = budgets;
        this.pool = pool;
        this.leases = leases;
        this.learner = new LimitLearner(leases, ledger);
        this.ledger = ledger;
        this.routing = config.routing();
        this.observer = observer;
        this.prices = prices;
        this.traffic = traffic;
        this.fieldPolicy = fieldPolicy;
    }

    /** Serves one authenticated request on the loop it arrived on. */
    public void start(
            LoopResources loop, HttpServerRequest request, ClientRequest asked, ClientKey clientKey, String requestId) {
        new Exchange(this, loop, request, asked, clientKey, requestId).start();
    }
}
