package dev.crossbar.gateway.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.crossbar.cluster.ledger.KeyState;
import dev.crossbar.cluster.ledger.NodeLease;
import dev.crossbar.cluster.members.MemberStats;
import dev.crossbar.gateway.config.PriceConfig;
import dev.crossbar.gateway.metrics.KeyUse;
import dev.crossbar.gateway.pricing.Price;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The admin API's JSON, as records. Everything here is safe to show: key ids and fingerprints,
 * never secrets. Times are epoch milliseconds; {@code now} in each answer is the server's clock, so a
 * client counts down without trusting its own.
 */
public final class Views {

    private Views() {}

    /** {@code GET /admin/api/cluster}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cluster(
            String cluster, int size, String self, long now, List<Member> members, Totals totals, Trust trust) {}

    /**
     * What this node trusts in the cluster.
     *
     * @param clusterKey      the fingerprint of the cluster key this node writes with ({@code ephemeral}: a
     *                        random key of a node alone)
     * @param unprovenMembers members that show no proof of the cluster key
     * @param unprovenPolicy  refuse (readiness fails while there are any) or warn
     * @param refusedValues   values in cluster state this node ignored since it started (not authentic, foreign)
     */
    public record Trust(String clusterKey, int unprovenMembers, String unprovenPolicy, long refusedValues) {}

    /**
     * One member. The numbers come from the member's own record; {@code reporting} false when it has none yet.
     *
     * @param proven     it showed proof that it holds the cluster key when it joined
     * @param clusterKey the fingerprint of the cluster key it writes with (from its record)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Member(
            String id,
            String address,
            boolean self,
            boolean proven,
            boolean reporting,
            @Nullable String http,
            @Nullable String version,
            @Nullable Long startedAt,
            @Nullable Long uptimeSeconds,
            @Nullable Double requestsPerSecond,
            @Nullable Integer inFlight,
            @Nullable Long requestsTotal,
            @Nullable Boolean draining,
            @Nullable Long reportedAt,
            @Nullable String clusterKey) {

        static Member of(
                String id, String address, boolean self, boolean proven, @Nullable MemberStats stats, long now) {
            if (stats == null) {
                return new Member(
                        id, address, self, proven, false, null, null, null, null, null, null, null, null, null, null);
            }
            return new Member(
                    id,
                    address,
                    self,
                    proven,
                    true,
                    stats.http(),
                    stats.version(),
                    stats.startedAt(),
                    Math.max(0, now - stats.startedAt()) / 1000,
                    stats.requestsPerSecond(),
                    stats.inFlight(),
                    stats.requestsTotal(),
                    stats.draining(),
                    stats.reportedAt(),
                    stats.clusterKey());
        }
    }

    public record Totals(double requestsPerSecond, int inFlight) {}

    /** {@code GET /admin/api/keys}: provider keys, and the client keys that have limits (ledger ids {@code client:*}). */
    public record Keys(long now, List<Key> keys, List<Key> clientKeys) {}

    /**
     * One key across the cluster.
     *
     * @param state      active, cooling_down, disabled, probing, or pending (added, not yet in the ledger)
     * @param until      end of the cooldown (cooling_down only)
     * @param use        per limit: the limit, what is in use now and the ratio; limit 0 means unlimited
     * @param headroom   share of the tightest limit still free (1 idle, 0 exhausted)
     * @param nodes      members holding a lease on the key
     * @param lastCheck  the last scheduled check of a key the provider refused, when one was made
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Key(
            String id,
            String kind,
            @Nullable String provider,
            @Nullable String fingerprint,
            @Nullable Integer weight,
            String state,
            String stateText,
            @Nullable String reason,
            @Nullable Long until,
            @Nullable Limits limits,
            @Nullable Use use,
            @Nullable Double headroom,
            @Nullable Integer inFlight,
            @Nullable Stats stats,
            List<Lease> leases,
            List<String> nodes,
            @Nullable LastCheck lastCheck) {}

    /**
     * A scheduled check of a key the provider refused: one call to its models list.
     *
     * @param at     when a node made it (epoch milliseconds)
     * @param result what the provider answered, or null while it is under way
     */
    public record LastCheck(long at, @Nullable String result) {}

    public record Limits(long requests, long tokens, int concurrent, long windowMillis) {}

    /** {@code GET /admin/api/client-keys}: every gateway client key, by name. */
    public record ClientKeys(List<ClientKey> clientKeys) {}

    /**
     * A gateway client key. The cluster keeps only its digest, so {@code key} is shown once, in the answer
     * that creates it, and never again.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClientKey(
            String name,
            @Nullable List<String> models,
            @Nullable Limits limits,
            @Nullable String team,
            @Nullable String key) {}

    public record Use(
            Dimension requests, Dimension tokens, @Nullable Dimension concurrent) {}

    /** {@code GET /admin/api/buckets}: every window of every shared bucket (docs/key-pool.md, "Shared buckets"). */
    public record Buckets(long at, List<Bucket> buckets) {}

    /**
     * One ledger entry of a shared bucket: one window (and model, and token part) of it.
     *
     * @param model    the model a per-model bucket counts here, absent otherwise
     * @param models   the models the bucket counts, absent for every model
     * @param counts   what its token limit counts: all tokens, input or output
     * @param keys     the ids of the keys that draw from it
     * @param free     what is free in the ledger now (requests, tokens)
     * @param provider the provider's own figures for it as this node last read them in its headers, absent
     *                 until an answer carried them
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Bucket(
            String id,
            String provider,
            String bucket,
            @Nullable String model,
            @Nullable List<String> models,
            String window,
            String counts,
            @Nullable List<String> keys,
            @Nullable Use use,
            @Nullable Free free,
            @Nullable ProviderFigures providerFigures) {}

    /** Free capacity in the ledger now. */
    public record Free(double requests, double tokens) {}

    /** What the provider's rate-limit headers said (absent: not said). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProviderFigures(
            @Nullable Long requestLimit,
            @Nullable Long requestsRemaining,
            @Nullable Long tokenLimit,
            @Nullable Long tokensRemaining) {}

    static Use use(KeyState s, long now) {
        long rl = s.requestLimit();
        long tl = s.tokenLimit();
        double ru = KeyUse.requestsUsed(s, now);
        double tu = KeyUse.tokensUsed(s, now);
        return new Use(
                new Dimension(rl, round(ru), s.leasedRequests(), rl > 0 ? round(ru / rl) : null),
                new Dimension(tl, round(tu), s.leasedTokens(), tl > 0 ? round(tu / tl) : null),
                null);
    }

    /**
     * One limit of a key and how much of it is taken.
     *
     * @param used   requests or tokens counted against the window now (spent or leased to a node); in
     *               flight for concurrency
     * @param leased the part of {@code used} nodes hold but have not spent yet
     * @param ratio  used / limit, absent when unlimited
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Dimension(
            long limit,
            double used,
            @Nullable Long leased,
            @Nullable Double ratio) {}

    /**
     * How a key's calls ended, and what it has served.
     *
     * @param errorRate         failures / (successes + failures); 429s count as failures
     * @param meanLatencyMillis over successful calls, absent before the first
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Stats(
            long successes,
            long failures,
            long rateLimited,
            @Nullable Double errorRate,
            @Nullable Double meanLatencyMillis,
            long requests,
            long tokens) {}

    public record Lease(String node, long requests, long tokens, int slots, int inFlight, long expiresInMillis) {}

    /** {@code GET /admin/api/models}. */
    public record Models(long now, List<Model> models) {}

    /**
     * A model as clients name it, and how well its targets can serve it.
     *
     * @param health healthy (every target fully usable), degraded (some keys or targets out), down (none usable)
     */
    public record Model(String name, List<String> aliases, String health, int targetsUsable, List<Target> targets) {}

    /**
     * One target of a model.
     *
     * @param priced false when the target has no price: its requests' cost is unknown
     */
    public record Target(
            String provider,
            String model,
            String health,
            int keysUsable,
            int keysTotal,
            List<String> keysBlocked,
            boolean priced) {}

    /**
     * {@code GET /admin/api/prices}.
     *
     * @param table    the date of the price table shipped with this build
     * @param unpriced how many model targets have no price (their requests' cost is unknown, not zero)
     */
    public record Prices(String table, int unpriced, List<TargetPrice> targets, List<PriceOverride> overrides) {}

    /**
     * A model target's price: {@code source} says where it comes from ({@code admin}, {@code
     * models[i].targets[j].price}, {@code prices[i]}, {@code table <date>}); both null when unpriced.
     */
    public record TargetPrice(
            String model,
            String provider,
            String upstreamModel,
            boolean priced,
            @Nullable String source,
            @Nullable Price price) {}

    /** A price set through the admin API; {@code price} null in the answer to its removal. */
    public record PriceOverride(
            String provider, String model, @Nullable PriceConfig price) {}

    /** The error shape of every admin answer that is not 2xx. */
    @SuppressWarnings("JavaLangClash") // always written Views.Error; it names the JSON's "error" object
    public record Error(Body error) {
        public record Body(@Nullable String message, String type) {}

        static Error of(String type, @Nullable String message) {
            return new Error(new Body(message, type));
        }
    }

    /** A key's view; {@code state} null means the ledger does not know it (yet). */
    static Key key(
            String id,
            String kind,
            @Nullable String provider,
            @Nullable String fingerprint,
            @Nullable Integer weight,
            @Nullable KeyState s,
            long now) {
        if (s == null) {
            return new Key(
                    id,
                    kind,
                    provider,
                    fingerprint,
                    weight,
                    "pending",
                    "pending: not in the ledger yet",
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    List.of(),
                    List.of(),
                    null);
        }
        KeyUse.State state = KeyUse.state(s, now);
        String reason = null;
        Long until = null;
        String text = state.word();
        switch (state) {
            case DISABLED -> {
                reason = s.disabledReason();
                text = "disabled" + (reason == null ? "" : " (" + reason + ")");
            }
            case COOLING_DOWN -> {
                reason = s.cooldownReason();
                until = s.cooldownUntil();
                text = "cooling down until " + Instant.ofEpochMilli(until)
                        + (reason == null ? "" : " (" + reason + ")");
            }
            case PROBING -> text = "probing: one trial call decides whether it takes traffic again";
            default -> text = "active";
        }
        long rl = s.requestLimit();
        long tl = s.tokenLimit();
        int cl = s.limits().concurrent();
        int inFlight = s.inFlight();
        double ru = KeyUse.requestsUsed(s, now);
        double tu = KeyUse.tokensUsed(s, now);
        Use use = new Use(
                new Dimension(rl, round(ru), s.leasedRequests(), rl > 0 ? round(ru / rl) : null),
                new Dimension(tl, round(tu), s.leasedTokens(), tl > 0 ? round(tu / tl) : null),
                new Dimension(cl, inFlight, null, cl > 0 ? round((double) inFlight / cl) : null));
        long calls = s.successes() + s.failures();
        double latency = KeyUse.meanLatencyMillis(s);
        Stats stats = new Stats(
                s.successes(),
                s.failures(),
                s.rateLimited(),
                calls == 0 ? null : round((double) s.failures() / calls),
                latency < 0 ? null : round(latency),
                s.requestsConsumed(),
                s.tokensConsumed());
        List<Lease> leases = new ArrayList<>();
        Map<String, NodeLease> sorted = new TreeMap<>(s.leases());
        sorted.forEach((node, l) -> leases.add(
                new Lease(node, l.requests(), l.tokens(), l.slots(), l.inFlight(), Math.max(0, l.expiresAt() - now))));
        return new Key(
                id,
                kind,
                provider,
                fingerprint,
                weight,
                state.word(),
                text,
                reason,
                until,
                new Limits(rl, tl, cl, s.limits().windowMillis()),
                use,
                round(s.headroom(now)),
                inFlight,
                stats,
                leases,
                List.copyOf(sorted.keySet()),
                s.checkedAt() > 0 ? new LastCheck(s.checkedAt(), s.checkResult()) : null);
    }

    /** Every budget's standing and the calls that cost more than they reserved. */
    public record Budgets(List<Budget> budgets, Overruns overruns) {}

    /**
     * A budget and, when read, where it stands in its current period (dollars); the fields of a cleared budget are
     * null.
     *
     * @param subject {@code client:<name>} or {@code team:<name>}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Budget(
            String subject,
            java.math.@Nullable BigDecimal usd,
            @Nullable String period,
            java.math.@Nullable BigDecimal spent,
            java.math.@Nullable BigDecimal reserved,
            java.math.@Nullable BigDecimal remaining,
            @Nullable String resetsAt) {}

    /** Calls whose provider charged more than the call had reserved: how many, by how much, the largest. */
    public record Overruns(long calls, java.math.BigDecimal usd, java.math.BigDecimal largestUsd) {}

    static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
