package dev.crossbar.gateway.pricing;

import dev.crossbar.cluster.records.BudgetRecord;
import dev.crossbar.cluster.records.RecordStore;
import dev.crossbar.cluster.spend.BudgetLedger;
import dev.crossbar.cluster.spend.Period;
import dev.crossbar.cluster.spend.SpendAnswer;
import dev.crossbar.cluster.spend.SpendCommand;
import dev.crossbar.cluster.spend.SpendState;
import dev.crossbar.gateway.config.BudgetConfig;
import dev.crossbar.gateway.config.ClientKeyConfig;
import dev.crossbar.gateway.config.GatewayConfig;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Budgets in US dollars per client key and per team, per UTC day or month, enforced cluster-wide: a call
 * reserves the most it can cost in the budget ledger before it goes, and settles to what it cost after
 * (docs/spend.md, Budgets). The budgets themselves come from config and admins through signed records that every
 * node watches. Thread-safe.
 */
public final class Budgets {

    private static final Logger LOG = LoggerFactory.getLogger(Budgets.class);
    private static final int NANOS_SCALE = 9;

    /** A limit in dollars per period. */
    public record Budget(BigDecimal usd, Period period) {
        long limitNanos() {
            return nanos(usd);
        }
    }

    /** What a call that may go holds reserved; {@link #NONE} when no budget applies. */
    public record Held(List<Hold> holds) {
        public static final Held NONE = new Held(List.of());

        public long reservedNanos() {
            return holds.isEmpty() ? 0 : holds.get(0).nanos();
        }
    }

    /** One reservation in one subject's period. */
    public record Hold(String subject, Period period, long periodStart, long nanos) {}

    /** The answer to a reservation: the call may go, or a budget would be crossed. */
    public sealed interface Reservation permits Granted, Over {}

    public record Granted(Held held) implements Reservation {}

    /**
     * The call would cross a budget.
     *
     * @param kind    {@code client key} or {@code team}
     * @param name    the client key's or the team's name
     * @param resetsAt when the budget's period ends
     */
    public record Over(String kind, String name, Budget budget, BigDecimal spent, Instant resetsAt)
            implements Reservation {}

    /** A subject's budget and where it stands in its current period. */
    public record Standing(
            String subject,
            Budget budget,
            BigDecimal spent,
            BigDecimal reserved,
            BigDecimal remaining,
            Instant resetsAt) {}

    private final RecordStore<BudgetRecord> records;
    private final BudgetLedger ledger;
    private volatile Map<String, Budget> budgets = Map.of();
    private final Overrun overruns = new Overrun();
    private final Map<String, Overrun> overrunsBySubject = new ConcurrentHashMap<>();

    /** Loads the cluster's budgets and watches them. Blocks: call off the event loop. */
    public Budgets(RecordStore<BudgetRecord> records, BudgetLedger ledger) {
        this.records = records;
        this.ledger = ledger;
        records.watch(this::refresh);
        refresh();
    }

    /** Seeds the config's budgets where the cluster has none (nor a cleared one). Blocks. */
    public void seed(GatewayConfig config) {
        for (ClientKeyConfig key : config.clientKeys()) {
            if (key.budget() != null) {
                records.seed(BudgetRecord.client(key.name()), record(BudgetRecord.client(key.name()), key.budget()));
            }
        }
        config.teams().forEach((name, team) -> {
            if (team.budget() != null) {
                records.seed(BudgetRecord.team(name), record(BudgetRecord.team(name), team.budget()));
            }
        });
        refresh();
    }

    private void refresh() {
        Map<String, Budget> next = new HashMap<>();
        records.all().forEach((subject, r) -> {
            if (r.usd() != null) {
                try {
                    next.put(subject, new Budget(new BigDecimal(r.usd()), Period.of(r.period())));
                } catch (RuntimeException e) {
                    LOG.warn("budget of {} is unreadable and applies no limit: {}", subject, e.getMessage());
                }
            }
        });
        budgets = Map.copyOf(next);
    }

    /** True when the client key or its team has a budget: its calls must be priced. */
    public boolean applies(String clientKey, @Nullable String team) {
        Map<String, Budget> b = budgets;
        return b.containsKey(BudgetRecord.client(clientKey))
                || (team != null && b.containsKey(BudgetRecord.team(team)));
    }

    /**
     * Reserves {@code maxCost} against the client key's budget and its team's, at once; either refusing gives the
     * other back. Never fails: a ledger that cannot answer fails the stage, and the caller refuses the call.
     */
    public CompletionStage<Reservation> reserve(String clientKey, @Nullable String team, BigDecimal maxCost) {
        Map<String, Budget> b = budgets;
        List<String> subjects = new ArrayList<>(2);
        if (b.containsKey(BudgetRecord.client(clientKey))) {
            subjects.add(BudgetRecord.client(clientKey));
        }
        if (team != null && b.containsKey(BudgetRecord.team(team))) {
            subjects.add(BudgetRecord.team(team));
        }
        if (subjects.isEmpty()) {
            return CompletableFuture.completedFuture(new Granted(Held.NONE));
        }
        long amount = nanos(maxCost);
        List<CompletableFuture<SpendAnswer>> answers = new ArrayList<>();
        for (String subject : subjects) {
            Budget budget = Objects.requireNonNull(b.get(subject), "subjects holds budgeted ones only");
            answers.add(ledger.execute(
                            subject,
                            new SpendCommand.Reserve(ledger.nodeId(), budget.period(), amount, budget.limitNanos()))
                    .toCompletableFuture());
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .handle((ok, failed) -> {
                    List<Hold> granted = new ArrayList<>();
                    Over over = null;
                    for (int i = 0; i < subjects.size(); i++) {
                        CompletableFuture<SpendAnswer> f = answers.get(i);
                        SpendAnswer a = f.isCompletedExceptionally() ? null : f.join();
                        String subject = subjects.get(i);
                        Budget budget = Objects.requireNonNull(b.get(subject), "subjects holds budgeted ones only");
                        if (a != null && a.granted()) {
                            granted.add(new Hold(subject, budget.period(), a.periodStart(), amount));
                        } else if (over == null && a != null) {
                            over = over(subject, budget, a);
                        }
                    }
                    if (over == null && granted.size() == subjects.size()) {
                        return new Granted(new Held(List.copyOf(granted)));
                    }
                    settle(new Held(granted), BigDecimal.ZERO);
                    if (over == null) {
                        throw new IllegalStateException("the budget ledger did not answer", failed);
                    }
                    return over;
                });
    }

    private static Over over(String subject, Budget budget, SpendAnswer a) {
        boolean team = subject.startsWith("team:");
        return new Over(
                team ? "team" : "client key",
                subject.substring(subject.indexOf(':') + 1),
                budget,
                dollars(a.spentNanos()),
                Instant.ofEpochMilli(a.periodEnd()));
    }

    /**
     * Ends a call's reservations with what it cost: {@link Cost.Known} settles to its amount, an unpriced cost
     * (its price removed while the call ran) to the reservation, since it cannot be counted as less. Once per
     * {@link Held}. A provider that charged more than the reservation is counted as an overrun.
     */
    public void settle(Held held, Cost cost) {
        if (held.holds().isEmpty()) {
            return;
        }
        BigDecimal actual = cost instanceof Cost.Known known ? known.usd() : dollars(held.reservedNanos());
        settle(held, actual);
    }

    /** Ends a call's reservations charging all of them: a call whose cost nobody can know (cut in flight). */
    public void settleInFull(Held held) {
        if (!held.holds().isEmpty()) {
            settle(held, dollars(held.reservedNanos()));
        }
    }

    private void settle(Held held, BigDecimal actualUsd) {
        long actual = nanos(actualUsd);
        for (Hold hold : held.holds()) {
            ledger.execute(
                            hold.subject(),
                            new SpendCommand.Settle(
                                    ledger.nodeId(), hold.period(), hold.periodStart(), hold.nanos(), actual))
                    .whenComplete((a, err) -> {
                        if (err != null) {
                            LOG.warn("could not settle a budget reservation of {}: {}", hold.subject(), err.toString());
                        }
                    });
        }
        long over = actual - held.reservedNanos();
        if (over > 0) {
            overruns.add(over);
            for (Hold hold : held.holds()) {
                overrunsBySubject
                        .computeIfAbsent(hold.subject(), s -> new Overrun())
                        .add(over);
            }
        }
    }

    /** Calls whose provider charged more than their reservation: how many, by how much in all, the largest. */
    public record Overruns(long calls, BigDecimal usd, BigDecimal largestUsd) {
        static final Overruns NONE = new Overruns(0, BigDecimal.ZERO, BigDecimal.ZERO);
    }

    /** This node's overruns of every budget together (a call over two budgets counts once). */
    public Overruns overruns() {
        return overruns.read();
    }

    /** This node's overruns of one budget ({@code client:<name>} or {@code team:<name>}). */
    public Overruns overruns(String subject) {
        Overrun o = overrunsBySubject.get(subject);
        return o == null ? Overruns.NONE : o.read();
    }

    /** The subjects this node has seen overrun, with or without a budget now. */
    public Set<String> overrunSubjects() {
        return Set.copyOf(overrunsBySubject.keySet());
    }

    private static final class Overrun {
        private final LongAdder calls = new LongAdder();
        private final AtomicLong nanos = new AtomicLong();
        private final AtomicLong largest = new AtomicLong();

        void add(long over) {
            calls.increment();
            nanos.addAndGet(over);
            largest.accumulateAndGet(over, Math::max);
        }

        Overruns read() {
            return new Overruns(calls.sum(), dollars(nanos.get()), dollars(largest.get()));
        }
    }

    /** The client key's budget standing now, or null when it has none. Cheap: read from this node's view. */
    public @Nullable Standing clientKey(String name) {
        return standing(BudgetRecord.client(name));
    }

    /** The team's budget standing now, or null when it has none. Cheap: read from this node's view. */
    public @Nullable Standing team(String name) {
        return standing(BudgetRecord.team(name));
    }

    /** Every budget's standing, by subject. */
    public List<Standing> all() {
        List<Standing> all = new ArrayList<>();
        // One view of the budgets throughout: a refresh between listing and reading could lose a subject.
        budgets.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> all.add(standing(e.getKey(), e.getValue())));
        return all;
    }

    private @Nullable Standing standing(String subject) {
        Budget budget = budgets.get(subject);
        return budget == null ? null : standing(subject, budget);
    }

    private Standing standing(String subject, Budget budget) {
        long now = ledger.now();
        long start = budget.period().start(now);
        SpendState state = ledger.snapshot().get(subject);
        long spent = 0;
        long reserved = 0;
        if (state != null && state.period() == budget.period() && state.periodStart() == start) {
            spent = state.spentNanos();
            reserved = state.reservedNanos();
        }
        return new Standing(
                subject,
                budget,
                dollars(spent),
                dollars(reserved),
                dollars(Math.max(0, budget.limitNanos() - spent - reserved)),
                Instant.ofEpochMilli(budget.period().end(now)));
    }

    /** Sets a budget on every node. */
    public CompletionStage<Void> put(String subject, BudgetConfig budget) {
        return records.put(subject, record(subject, budget)).thenRun(this::refresh);
    }

    /** Clears a budget on every node; a config that has one does not bring it back. */
    public CompletionStage<Void> clear(String subject) {
        return records.put(subject, BudgetRecord.cleared(subject)).thenRun(this::refresh);
    }

    /**
     * When the cluster holds no spend of the current period for any budget (it starts from nothing), sets each
     * budget's spend to what {@code history} remembers since its period began: one question per kind of period in
     * use. Blocks until done: call at startup, before budgets are enforced.
     */
    public void restore(SpendHistory history) {
        Map<String, Budget> b = budgets;
        long now = ledger.now();
        for (var e : b.entrySet()) {
            SpendState s = ledger.snapshot().get(e.getKey());
            if (s != null
                    && s.period() == e.getValue().period()
                    && s.periodStart() == e.getValue().period().start(now)) {
                return;
            }
        }
        for (Period period : Period.values()) {
            List<String> subjects = b.entrySet().stream()
                    .filter(e -> e.getValue().period() == period)
                    .map(Map.Entry::getKey)
                    .toList();
            if (subjects.isEmpty()) {
                continue;
            }
            SpendHistory.Spent spent = history.since(Instant.ofEpochMilli(period.start(now)))
                    .toCompletableFuture()
                    .join();
            List<CompletableFuture<SpendAnswer>> writes = new ArrayList<>();
            for (String subject : subjects) {
                String name = subject.substring(subject.indexOf(':') + 1);
                BigDecimal usd = subject.startsWith("team:")
                        ? spent.byTeam().get(name)
                        : spent.byClientKey().get(name);
                if (usd != null && usd.signum() > 0) {
                    writes.add(ledger.execute(subject, new SpendCommand.Restore(period, nanos(usd)))
                            .toCompletableFuture());
                }
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
            LOG.info("restored the {} spend of {} budgets from the usage records", period.label(), writes.size());
        }
    }

    private static BudgetRecord record(String subject, BudgetConfig budget) {
        return new BudgetRecord(subject, budget.usd().toPlainString(), budget.period());
    }

    /** Dollars as whole nano-dollars, rounded up: a charge is never counted as less than it was. */
    static long nanos(BigDecimal usd) {
        return usd.movePointRight(NANOS_SCALE).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    static BigDecimal dollars(long nanos) {
        return BigDecimal.valueOf(nanos, NANOS_SCALE).stripTrailingZeros();
    }
}
