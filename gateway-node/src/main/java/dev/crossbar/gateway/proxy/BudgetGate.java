package dev.crossbar.gateway.proxy;

import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.gateway.pricing.Budgets;
import dev.crossbar.gateway.pricing.MaxCost;
import dev.crossbar.gateway.pricing.Prices;
import dev.crossbar.gateway.pricing.Pricing;
import dev.crossbar.gateway.routing.Target;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The client key's and its team's budgets (DESIGN.md 4): a call reserves the most it can cost, at the dearest of
 * its targets' prices, before it looks for a provider; {@link Settlement} settles the reservation to what it
 * cost. A call that would cross a budget is refused with a 429 naming the budget and when it resets; a call to an
 * unpriced target cannot be counted against a budget and is refused too (never counted as free). Stateless.
 */
final class BudgetGate {

    sealed interface Result permits Admitted, Refused {}

    /** @param held what the call holds reserved ({@link Budgets.Held#NONE} when no budget applies) */
    record Admitted(Budgets.Held held) implements Result {}

    record Refused(ApiError error) implements Result {}

    private static final Admitted UNBUDGETED = new Admitted(Budgets.Held.NONE);

    private final Budgets budgets;
    private final Supplier<Prices> prices;
    private final LongSupplier clock;

    BudgetGate(Budgets budgets, Supplier<Prices> prices, LongSupplier clock) {
        this.budgets = budgets;
        this.prices = prices;
        this.clock = clock;
    }

    /** Never fails: a budget ledger that cannot answer refuses the call for a second. */
    Future<Result> reserve(Call call, Context context) {
        String client = call.clientKey().name();
        String team = call.clientKey().team();
        if (budgets == null || !budgets.applies(client, team)) {
            return Future.succeededFuture(UNBUDGETED);
        }
        long input = call.inputEstimate();
        long output = Math.max(0, call.estimatedTokens() - input);
        BigDecimal max = BigDecimal.ZERO;
        Prices now = prices.get();
        for (Target t : call.targets()) {
            Pricing pricing = now.lookup(call.route().name(), t.upstream().id(), t.model());
            if (pricing instanceof Pricing.Priced priced) {
                max = max.max(MaxCost.of(priced.price(), input, output));
            } else {
                return Future.succeededFuture(new Refused(new ApiError(
                        403,
                        ErrorKind.PERMISSION,
                        "model '" + call.route().name() + "' goes to '" + t.model() + "' of provider '"
                                + t.upstream().id() + "', which has no price, and a budget applies to this client key:"
                                + " a call of unknown cost cannot be counted against it (an admin can set a price)",
                        "model",
                        -1)));
            }
        }
        BigDecimal most = max;
        return Future.fromCompletionStage(budgets.reserve(client, team, most), context)
                .transform(ar -> {
                    if (ar.failed()) {
                        return Future.succeededFuture(new Refused(new ApiError(
                                503,
                                ErrorKind.OVERLOADED,
                                "the gateway could not check the budget; retry",
                                null,
                                1_000)));
                    }
                    if (ar.result() instanceof Budgets.Granted granted) {
                        return Future.succeededFuture(new Admitted(granted.held()));
                    }
                    return Future.succeededFuture(new Refused(refusal((Budgets.Over) ar.result(), most)));
                });
    }

    private ApiError refusal(Budgets.Over over, BigDecimal max) {
        String message = "this call would cross the budget of " + over.kind() + " '" + over.name() + "': $"
                + over.budget().usd().toPlainString() + " per "
                + over.budget().period().label() + " (UTC), $"
                + over.spent().setScale(6, RoundingMode.HALF_UP).toPlainString()
                + " spent, and this call may cost up to $"
                + max.setScale(6, RoundingMode.UP).toPlainString()
                + "; the budget resets at " + over.resetsAt();
        long retry = Math.max(1_000, over.resetsAt().toEpochMilli() - clock.getAsLong());
        return new ApiError(429, ErrorKind.RATE_LIMIT, message, null, retry);
    }
}
