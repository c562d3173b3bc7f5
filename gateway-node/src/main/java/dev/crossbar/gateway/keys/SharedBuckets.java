package dev.crossbar.gateway.keys;

import dev.crossbar.cluster.ledger.KeyLimits;
import dev.crossbar.gateway.config.BucketConfig;
import dev.crossbar.gateway.config.BucketWindowConfig;
import dev.crossbar.gateway.config.DurationText;
import dev.crossbar.gateway.config.GatewayConfig;
import dev.crossbar.gateway.config.ModelConfig;
import dev.crossbar.gateway.config.ProviderConfig;
import dev.crossbar.gateway.upstream.LimitLearner;
import dev.crossbar.gateway.upstream.ProviderKey;
import dev.crossbar.gateway.upstream.RateLimitHeaders;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The providers' shared buckets (docs/key-pool.md, "Shared buckets"): every ledger entry they make, and which of
 * them a call on a key for a model draws from. Immutable but for a cache of that answer.
 */
public final class SharedBuckets {

    public static final SharedBuckets NONE = new SharedBuckets(List.of(), p -> List.of());

    private final List<BucketEntry> entries;
    /** Per provider, its bucket entries with what each applies to. */
    private final Map<String, List<Applying>> byProvider;

    private final Map<String, List<BucketEntry>> cache = new ConcurrentHashMap<>();
    /** The provider's own figures for each entry, as this node last saw them in its rate-limit headers. */
    private final Map<String, RateLimitHeaders.Seen> lastSeen = new ConcurrentHashMap<>();

    private record Applying(BucketConfig bucket, String model, BucketEntry entry) {
        boolean appliesTo(String keyId, String upstreamModel) {
            if (!bucket.covers(keyId)) {
                return false;
            }
            if (model != null) {
                return model.equals(upstreamModel);
            }
            return bucket.models() == null || bucket.models().contains(upstreamModel);
        }
    }

    /**
     * @param routedModels the upstream models the routes send to a provider: the models of a per-model bucket
     *                     that names none
     */
    public SharedBuckets(List<ProviderConfig> providers, Function<String, List<String>> routedModels) {
        List<BucketEntry> all = new ArrayList<>();
        Map<String, List<Applying>> applying = new ConcurrentHashMap<>();
        for (ProviderConfig provider : providers) {
            List<Applying> ofProvider = new ArrayList<>();
            for (BucketConfig bucket : provider.buckets()) {
                List<String> models = !bucket.perModel()
                        ? java.util.Collections.singletonList(null)
                        : bucket.models() != null ? bucket.models() : routedModels.apply(provider.id());
                for (String model : models) {
                    for (BucketEntry entry : entriesOf(provider.id(), bucket, model)) {
                        all.add(entry);
                        ofProvider.add(new Applying(bucket, model, entry));
                    }
                }
            }
            applying.put(provider.id(), List.copyOf(ofProvider));
        }
        this.entries = List.copyOf(all);
        this.byProvider = Map.copyOf(applying);
    }

    private static List<BucketEntry> entriesOf(String provider, BucketConfig bucket, String model) {
        long shortest = bucket.windows().stream()
                .map(w -> w.window().toMillis())
                .min(Comparator.naturalOrder())
                .orElseThrow();
        String base = BucketEntry.PREFIX + provider + "/" + bucket.name() + (model == null ? "" : "/" + model) + "#";
        List<BucketEntry> out = new ArrayList<>();
        for (BucketWindowConfig w : bucket.windows()) {
            long millis = w.window().toMillis();
            String window = DurationText.format(w.window());
            boolean isShortest = millis == shortest;
            if (w.requests() > 0 || w.tokens() > 0) {
                out.add(entry(
                        base,
                        provider,
                        bucket,
                        model,
                        window,
                        TokenPart.TOTAL,
                        w.requests(),
                        w.tokens(),
                        millis,
                        isShortest));
            }
            if (w.inputTokens() > 0) {
                out.add(entry(
                        base,
                        provider,
                        bucket,
                        model,
                        window,
                        TokenPart.INPUT,
                        0,
                        w.inputTokens(),
                        millis,
                        isShortest));
            }
            if (w.outputTokens() > 0) {
                out.add(entry(
                        base,
                        provider,
                        bucket,
                        model,
                        window,
                        TokenPart.OUTPUT,
                        0,
                        w.outputTokens(),
                        millis,
                        isShortest));
            }
        }
        return out;
    }

    private static BucketEntry entry(
            String base,
            String provider,
            BucketConfig bucket,
            String model,
            String window,
            TokenPart part,
            long requests,
            long tokens,
            long millis,
            boolean shortest) {
        return new BucketEntry(
                base + window + part.suffix(),
                provider,
                bucket.name(),
                model,
                window,
                part,
                new KeyLimits(requests, tokens, 0, millis),
                bucket.keys(),
                shortest);
    }

    /** The buckets of {@code config}; a per-model bucket that names no models counts those its routes send. */
    public static SharedBuckets of(GatewayConfig config) {
        return new SharedBuckets(
                config.providers(),
                provider -> config.models().stream()
                        .flatMap(m -> m.targets().stream())
                        .filter(t -> t.provider().equals(provider))
                        .map(ModelConfig.TargetConfig::model)
                        .distinct()
                        .toList());
    }

    /**
     * Sends what an answer's rate-limit headers say to the entry they describe: the provider's real bucket.
     * When the call drew from shared buckets, the request and token figures go to the shortest window of the
     * first bucket (in config order) that counts all tokens, Anthropic's input and output token figures to the
     * shortest input-only and output-only windows; else, and for what no bucket takes, to the key's own entry.
     */
    public void learn(LimitLearner learner, String keyId, List<SharedPermit> shared, MultiMap headers) {
        RateLimitHeaders.Seen seen = RateLimitHeaders.read(headers);
        if (shared.isEmpty()) {
            learner.learn(keyId, seen);
            return;
        }
        String total = keyId;
        for (SharedPermit permit : shared) {
            BucketEntry entry = permit.entry();
            if (!entry.shortest()) {
                continue;
            }
            if (entry.part() == TokenPart.TOTAL && total.equals(keyId)) {
                total = entry.id();
            } else if (entry.part() != TokenPart.TOTAL) {
                RateLimitHeaders.Seen part =
                        RateLimitHeaders.readTokens(headers, entry.part() == TokenPart.INPUT ? "input" : "output");
                learner.learn(entry.id(), part);
                saw(entry.id(), part);
            }
        }
        learner.learn(total, seen);
        if (!total.equals(keyId)) {
            saw(total, seen);
        }
    }

    private void saw(String entryId, RateLimitHeaders.Seen seen) {
        if (!seen.isEmpty()) {
            lastSeen.put(entryId, seen);
        }
    }

    /** The provider's figures for {@code entryId} as this node last saw them, or null. */
    public RateLimitHeaders.@Nullable Seen lastSeen(String entryId) {
        return lastSeen.get(entryId);
    }

    /** Every ledger entry of every shared bucket, to create at start. */
    public List<BucketEntry> entries() {
        return entries;
    }

    /** The shared bucket entries a call on {@code key} for the provider's {@code model} draws from. */
    public List<BucketEntry> drawnBy(ProviderKey key, String model) {
        List<Applying> ofProvider = byProvider.get(key.providerId());
        if (ofProvider == null || ofProvider.isEmpty()) {
            return List.of();
        }
        return cache.computeIfAbsent(key.id() + '\u0000' + model, k -> {
            List<BucketEntry> drawn = new ArrayList<>();
            for (Applying a : ofProvider) {
                if (a.appliesTo(key.id(), model)) {
                    drawn.add(a.entry());
                }
            }
            return List.copyOf(drawn);
        });
    }
}
