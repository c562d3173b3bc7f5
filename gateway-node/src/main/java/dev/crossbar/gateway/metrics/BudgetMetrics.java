package dev.crossbar.gateway.metrics;

import dev.crossbar.gateway.pricing.Budgets;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per-budget series, labelled by the budget's {@code kind} ({@code client_key} or {@code team}) and {@code name}:
 * its limit, what the cluster counts spent and reserved in the current period (this node's view of the budget
 * ledger), and this node's overruns (calls whose provider charged more than they reserved). Budgets come and go at
 * run time, so the series are brought up to date before every scrape; a budget's overrun counters stay while it
 * has any, so a rate over them never drops. Names only, never a client key's secret.
 */
final class BudgetMetrics {

    private final MeterRegistry registry;
    private final Budgets budgets;
    private final Map<String, List<Meter>> standing = new HashMap<>();
    private final Map<String, List<Meter>> overruns = new HashMap<>();

    BudgetMetrics(MeterRegistry registry, Budgets budgets) {
        this.registry = registry;
        this.budgets = budgets;
    }

    synchronized void sync() {
        Map<String, Budgets.Standing> current = new HashMap<>();
        for (Budgets.Standing s : budgets.all()) {
            current.put(s.subject(), s);
        }
        for (Iterator<Map.Entry<String, List<Meter>>> it = standing.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, List<Meter>> e = it.next();
            if (!current.containsKey(e.getKey())) {
                e.getValue().forEach(registry::remove);
                it.remove();
            }
        }
        current.keySet().forEach(subject -> standing.computeIfAbsent(subject, this::registerStanding));
        Set<String> overrun = new HashSet<>(current.keySet());
        overrun.addAll(budgets.overrunSubjects());
        overrun.forEach(subject -> overruns.computeIfAbsent(subject, this::registerOverruns));
    }

    private List<Meter> registerStanding(String subject) {
        String[] tags = tags(subject);
        List<Meter> meters = new ArrayList<>();
        meters.add(Gauge.builder("crossbar.budget.limit.usd", budgets, b -> read(b, subject, Field.LIMIT))
                .description("The budget's limit in US dollars per period")
                .tags(tags)
                .register(registry));
        meters.add(Gauge.builder("crossbar.budget.spent.usd", budgets, b -> read(b, subject, Field.SPENT))
                .description("What the budget's calls cost in the current period, cluster-wide")
                .tags(tags)
                .register(registry));
        meters.add(Gauge.builder("crossbar.budget.reserved.usd", budgets, b -> read(b, subject, Field.RESERVED))
                .description("What calls running now hold reserved against the budget, cluster-wide")
                .tags(tags)
                .register(registry));
        return meters;
    }

    private List<Meter> registerOverruns(String subject) {
        String[] tags = tags(subject);
        return List.of(
                FunctionCounter.builder(
                                "crossbar.budget.overrun.calls",
                                budgets,
                                b -> b.overruns(subject).calls())
                        .description(
                                "Calls on this node whose provider charged more than they reserved of the" + " budget")
                        .tags(tags)
                        .register(registry),
                FunctionCounter.builder(
                                "crossbar.budget.overrun.usd",
                                budgets,
                                b -> b.overruns(subject).usd().doubleValue())
                        .description("US dollars the budget's calls on this node cost beyond what they reserved")
                        .tags(tags)
                        .register(registry));
    }

    private enum Field {
        LIMIT,
        SPENT,
        RESERVED
    }

    private static double read(Budgets budgets, String subject, Field field) {
        int colon = subject.indexOf(':');
        String name = subject.substring(colon + 1);
        Budgets.Standing s = subject.startsWith("team:") ? budgets.team(name) : budgets.clientKey(name);
        if (s == null) {
            return Double.NaN;
        }
        return switch (field) {
            case LIMIT -> s.budget().usd().doubleValue();
            case SPENT -> s.spent().doubleValue();
            case RESERVED -> s.reserved().doubleValue();
        };
    }

    private static String[] tags(String subject) {
        int colon = subject.indexOf(':');
        String kind = subject.startsWith("team:") ? "team" : "client_key";
        return new String[] {"kind", kind, "name", subject.substring(colon + 1)};
    }
}
