package dev.crossbar.it;

import dev.crossbar.gateway.config.AdminConfig;
import dev.crossbar.gateway.config.BucketConfig;
import dev.crossbar.gateway.config.BudgetConfig;
import dev.crossbar.gateway.config.ClientKeyConfig;
import dev.crossbar.gateway.config.ClusterConfig;
import dev.crossbar.gateway.config.DatabaseConfig;
import dev.crossbar.gateway.config.DurationText;
import dev.crossbar.gateway.config.GatewayConfig;
import dev.crossbar.gateway.config.KeyHealthConfig;
import dev.crossbar.gateway.config.LimitsConfig;
import dev.crossbar.gateway.config.MetricsConfig;
import dev.crossbar.gateway.config.ModelConfig;
import dev.crossbar.gateway.config.ModelPriceConfig;
import dev.crossbar.gateway.config.NodeConfig;
import dev.crossbar.gateway.config.ProviderConfig;
import dev.crossbar.gateway.config.ProviderKeyConfig;
import dev.crossbar.gateway.config.RoutingConfig;
import dev.crossbar.gateway.config.TeamConfig;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The integration tests' usual node config, built from the typed config records: one provider on the mock
 * ({@code mock-openai}, OpenAI's API at {@code /v1}, 5 s timeout; {@link #provider} for another, {@link #providers}
 * for several {@link TestProvider}s) with the given
 * keys ({@code key-1}, {@code key-2}, ...), the client key {@link GatewayHarness#CLIENT_KEY} named {@code test},
 * admin token {@code test-admin-token}, one model {@code test-model} on {@code gpt-test}, and a 3 s queue
 * timeout. Each setter changes one thing; {@link #apply} builds the config for the mock's base URL, which is why
 * a config is a function of it.
 *
 * <p>A key is written {@code "secret:requests:tokens:concurrent:window"}, trailing parts optional
 * ({@code "sk-a:600:100000:10"}, {@code "sk-b:1:0:0:10s"}).
 */
public final class TestConfig implements Function<String, GatewayConfig> {

    public static final String ADMIN_TOKEN = "test-admin-token";
    public static final String PROVIDER = "mock-openai";
    public static final String MODEL = "test-model";

    private final String providerId;
    private final String basePath;
    private final String targetModel;
    private List<ProviderKeyConfig> keys;
    private Map<String, TeamConfig> teams;
    private String providerType;
    private Duration providerTimeout = Duration.ofSeconds(5);
    private Duration streamIdleTimeout;
    private final List<Function<String, ProviderConfig>> moreProviders = new ArrayList<>();
    private final List<String> moreModels = new ArrayList<>();
    private final List<Function<String, ProviderConfig>> otherProviders = new ArrayList<>();
    private List<Function<String, ProviderConfig>> onlyProviders;
    private List<ModelConfig> models;
    private List<ModelPriceConfig> prices;
    private MetricsConfig metrics;
    private DatabaseConfig database;
    private Integer maxAttempts;
    private List<BucketConfig> buckets;
    private String api;
    private List<ClientKeyConfig> clientKeys = List.of(testClientKey());
    private AdminConfig admin = new AdminConfig(ADMIN_TOKEN);
    private String strategy;
    private Duration queueTimeout = Duration.ofSeconds(3);
    private KeyHealthConfig keyHealth;
    private String unprovenMembers;
    private Long maxBodyBytes;
    private Integer eventLoops;
    private NodeConfig.TlsConfig tls;
    private Duration drainTimeout;
    private Duration drainNotice;
    private Duration idleTimeout;
    private Duration headerTimeout;
    private Duration bodyTimeout;
    private Integer managementPort;
    private Integer maxConnections;

    private TestConfig(String providerId, String type, String basePath, String targetModel, String... keys) {
        this.providerId = providerId;
        this.providerType = type;
        this.basePath = basePath;
        this.targetModel = targetModel;
        this.keys = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            this.keys.add(key("key-" + (i + 1), keys[i]));
        }
    }

    /** The usual config with these provider keys ({@code "secret:requests:tokens:concurrent:window"}). */
    public static TestConfig openAi(String... keys) {
        return new TestConfig(PROVIDER, "openai", "/v1", "gpt-test", keys);
    }

    /**
     * The usual config on another provider of the mock: its id and type, the path of its API on the mock
     * ({@code /v1beta} for Gemini) and the model {@code test-model} names there.
     */
    public static TestConfig provider(String id, String type, String basePath, String targetModel, String... keys) {
        return new TestConfig(id, type, basePath, targetModel, keys);
    }

    /**
     * The usual config on these providers instead of its one: {@link #models} names their models, and the usual provider's setters do not apply.
     */
    public static TestConfig providers(TestProvider... providers) {
        TestConfig config = new TestConfig(PROVIDER, "openai", "/v1", "gpt-test");
        config.onlyProviders = List.of(providers);
        return config;
    }

    /** A provider key with this id from {@code "secret:requests:tokens:concurrent:window"}. */
    public static ProviderKeyConfig key(String id, String spec) {
        String[] f = spec.split(":", -1);
        return new ProviderKeyConfig(
                id,
                f[0],
                f.length > 1 ? Long.valueOf(f[1]) : null,
                f.length > 2 ? Long.valueOf(f[2]) : null,
                f.length > 3 ? Integer.valueOf(f[3]) : null,
                f.length > 4 ? DurationText.parse(f[4]) : null,
                null,
                null,
                null,
                null);
    }

    /**
     * A provider on the mock (given its base URL) with the node's defaults: its id and type, the path of its
     * API on the mock ({@code /v1beta} for Gemini) and its keys.
     */
    public static Function<String, ProviderConfig> mockProvider(
            String id, String type, String basePath, ProviderKeyConfig... keys) {
        return mockProvider(id, type, null, basePath, keys);
    }

    /** A provider on the mock with the node's defaults but its API ({@code responses}, or null for its type's). */
    public static Function<String, ProviderConfig> mockProvider(
            String id, String type, String api, String basePath, ProviderKeyConfig... keys) {
        return TestProvider.onMock(id, type, basePath).api(api).keys(keys);
    }

    /** A model with one target: the provider's id and the model it knows. */
    public static ModelConfig model(String name, String provider, String target) {
        return new ModelConfig(name, null, List.of(new ModelConfig.TargetConfig(provider, target, null)), null);
    }

    /** A price (US dollars per million tokens) for a provider's model, input and output only. */
    public static ModelPriceConfig price(String provider, String model, String input, String output) {
        return new ModelPriceConfig(
                provider, model, new BigDecimal(input), null, null, null, new BigDecimal(output), null, null, null);
    }

    /** The client key {@link GatewayHarness#CLIENT_KEY}, named {@code test}, with no limits. */
    public static ClientKeyConfig testClientKey() {
        return clientKey("test", GatewayHarness.CLIENT_KEY);
    }

    /** A client key with no limits. */
    public static ClientKeyConfig clientKey(String name, String key) {
        return new ClientKeyConfig(name, key, null, null);
    }

    /** A client key with a limit. */
    public static ClientKeyConfig clientKey(String name, String key, LimitsConfig limits) {
        return new ClientKeyConfig(name, key, null, limits);
    }

    /** A client key of a team, with its own budget or none. */
    public static ClientKeyConfig clientKey(String name, String key, String team, BudgetConfig budget) {
        return new ClientKeyConfig(name, key, null, null, team, budget, null, null);
    }

    /** A budget of this many US dollars a {@code day} or {@code month}. */
    public static BudgetConfig budget(String usd, String period) {
        return new BudgetConfig(new BigDecimal(usd), period);
    }

    /** What a node is given when a config leaves them out: no admin API, the node's provider and queue timeouts. */
    public TestConfig withNodeDefaults() {
        admin = null;
        providerTimeout = null;
        queueTimeout = null;
        return this;
    }

    /** One more provider (given the mock's base URL) that only {@link #models} name. */
    public TestConfig andProvider(Function<String, ProviderConfig> provider) {
        otherProviders.add(provider);
        return this;
    }

    /** These models instead of {@code test-model}. */
    public TestConfig models(ModelConfig... byName) {
        models = List.of(byName);
        return this;
    }

    /** Prices overriding the node's shipped table. */
    public TestConfig prices(ModelPriceConfig... modelPrices) {
        prices = List.of(modelPrices);
        return this;
    }

    /** How many client and team labels the metrics keep. */
    public TestConfig metricsLabels(int clients, int teams) {
        metrics = new MetricsConfig(clients, teams);
        return this;
    }

    /** Where usage records are kept. */
    public TestConfig database(DatabaseConfig usageDatabase) {
        database = usageDatabase;
        return this;
    }

    /** The provider's API ({@code responses} for OpenAI's Responses API) instead of its type's default. */
    public TestConfig api(String name) {
        api = name;
        return this;
    }

    /** Rate limits the provider's keys share (an organisation's), over all keys unless a bucket names some. */
    public TestConfig buckets(BucketConfig... shared) {
        buckets = List.of(shared);
        return this;
    }

    public TestConfig maxAttempts(int attempts) {
        maxAttempts = attempts;
        return this;
    }

    /** The provider's type instead of {@code openai} (its base URL stays the mock's {@code /v1}). */
    public TestConfig providerType(String type) {
        providerType = type;
        return this;
    }

    /** These provider keys instead of {@code key-1}, {@code key-2}, ... */
    public TestConfig keys(ProviderKeyConfig... providerKeys) {
        keys = List.of(providerKeys);
        return this;
    }

    /** Teams by name (their budgets and weights). */
    public TestConfig teams(Map<String, TeamConfig> byName) {
        teams = byName;
        return this;
    }

    /** The provider's timeout; null for the node's default. */
    public TestConfig providerTimeout(Duration timeout) {
        providerTimeout = timeout;
        return this;
    }

    public TestConfig streamIdleTimeout(Duration timeout) {
        streamIdleTimeout = timeout;
        return this;
    }

    /** One more provider (given the mock's base URL), and {@code test-model}'s next target on it. */
    public TestConfig fallback(Function<String, ProviderConfig> provider, String model) {
        moreProviders.add(provider);
        moreModels.add(model);
        return this;
    }

    /** These client keys instead of the test one. */
    public TestConfig clientKeys(ClientKeyConfig... keys) {
        clientKeys = List.of(keys);
        return this;
    }

    /** No admin token: the admin API is off. */
    public TestConfig withoutAdmin() {
        admin = null;
        return this;
    }

    public TestConfig adminToken(String token) {
        admin = new AdminConfig(token);
        return this;
    }

    public TestConfig strategy(String name) {
        strategy = name;
        return this;
    }

    public TestConfig queueTimeout(Duration timeout) {
        queueTimeout = timeout;
        return this;
    }

    public TestConfig keyHealth(KeyHealthConfig health) {
        keyHealth = health;
        return this;
    }

    public TestConfig unprovenMembers(String policy) {
        unprovenMembers = policy;
        return this;
    }

    public TestConfig maxBodyBytes(long bytes) {
        maxBodyBytes = bytes;
        return this;
    }

    public TestConfig eventLoops(int loops) {
        eventLoops = loops;
        return this;
    }

    public TestConfig tls(String certPath, String keyPath) {
        tls = new NodeConfig.TlsConfig(certPath, keyPath);
        return this;
    }

    public TestConfig drainTimeout(Duration timeout) {
        drainTimeout = timeout;
        return this;
    }

    public TestConfig drainNotice(Duration notice) {
        drainNotice = notice;
        return this;
    }

    public TestConfig idleTimeout(Duration timeout) {
        idleTimeout = timeout;
        return this;
    }

    public TestConfig headerTimeout(Duration timeout) {
        headerTimeout = timeout;
        return this;
    }

    public TestConfig bodyTimeout(Duration timeout) {
        bodyTimeout = timeout;
        return this;
    }

    public TestConfig managementPort(int port) {
        managementPort = port;
        return this;
    }

    public TestConfig maxConnections(int connections) {
        maxConnections = connections;
        return this;
    }

    /** The config with the mock at {@code mockUrl}. */
    @Override
    public GatewayConfig apply(String mockUrl) {
        List<ProviderConfig> providers = new ArrayList<>();
        List<ModelConfig.TargetConfig> targets = new ArrayList<>();
        if (onlyProviders != null) {
            if (models == null) {
                throw new IllegalStateException("TestConfig.providers(...) needs models(...) naming their models");
            }
            onlyProviders.forEach(provider -> providers.add(provider.apply(mockUrl)));
        } else {
            providers.add(new ProviderConfig(
                    providerId,
                    providerType,
                    mockUrl + basePath,
                    keys,
                    providerTimeout,
                    streamIdleTimeout,
                    null,
                    null,
                    null,
                    api,
                    null,
                    null,
                    null,
                    null,
                    buckets));
            targets.add(new ModelConfig.TargetConfig(providerId, targetModel, null));
            for (int i = 0; i < moreProviders.size(); i++) {
                ProviderConfig more = moreProviders.get(i).apply(mockUrl);
                providers.add(more);
                targets.add(new ModelConfig.TargetConfig(more.id(), moreModels.get(i), null));
            }
        }
        otherProviders.forEach(other -> providers.add(other.apply(mockUrl)));
        ClusterConfig cluster = unprovenMembers == null
                ? null
                : new ClusterConfig(null, null, null, null, null, null, null, null, null, null, unprovenMembers);
        return new GatewayConfig(
                new NodeConfig(
                        null,
                        null,
                        maxBodyBytes,
                        eventLoops,
                        tls,
                        drainTimeout,
                        drainNotice,
                        idleTimeout,
                        headerTimeout,
                        bodyTimeout,
                        managementPort,
                        null,
                        maxConnections),
                cluster,
                admin,
                clientKeys,
                providers,
                models != null ? models : List.of(new ModelConfig(MODEL, null, targets, null)),
                new RoutingConfig(strategy, maxAttempts, null, queueTimeout, null, null, keyHealth),
                prices,
                metrics,
                database,
                teams);
    }
}
