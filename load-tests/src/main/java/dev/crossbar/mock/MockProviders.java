package dev.crossbar.mock;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Mock OpenAI (Chat Completions and Responses), Anthropic and Gemini providers, Azure OpenAI and Vertex AI with
 * their token endpoints (Entra ID, Google), and Bedrock with SigV4 checked, on one port of 127.0.0.1: the referee of the
 * gateway's tests and benchmarks. They give deterministic replies, enforce each key's request,
 * token and concurrency limits exactly, count everything per key, and inject latency and faults
 * that can be changed while they run. See {@code load-tests/MOCKS.md}.
 */
public final class MockProviders {

    private static final AtomicInteger SHARED_PORT_IDS = new AtomicInteger();

    private final Vertx vertx;
    private final KeyRegistry keys;
    private final RuntimeFaults faults;
    private final OpenAiMock openAi;
    private final OpenAiResponsesMock responses;
    private final AnthropicMock anthropic;
    private final GeminiMock gemini;
    private final CloudTokens cloudTokens;
    private final AzureOpenAiMock azure;
    private final VertexMock vertex;
    private final BedrockMock bedrock;
    private final EntraTokenMock entraTokens;
    private final GoogleTokenMock googleTokens;
    private final MockAdmin admin;
    private final RequestLog requests = new RequestLog();
    private volatile String deploymentId;
    private volatile String host = MockServerVerticle.HOST;
    private volatile int port;

    private MockProviders(Vertx vertx, MockConfig config, Clock clock) {
        this.vertx = vertx;
        this.keys = new KeyRegistry(config.keys(), config.billing(), config.buckets(), clock);
        this.faults = new RuntimeFaults(
                config.faults(), config.keyFaults(), config.revokedKeys(), config.noCreditKeys(), config.echoKeys());
        Delivery delivery = new Delivery(vertx);
        Ids ids = new Ids();
        this.openAi = new OpenAiMock(keys, faults, delivery, ids);
        this.responses = new OpenAiResponsesMock(keys, faults, delivery, ids, openAi);
        this.anthropic = new AnthropicMock(keys, faults, delivery, ids);
        this.gemini = new GeminiMock(keys, faults, delivery, ids);
        this.cloudTokens = new CloudTokens(keys);
        this.azure = new AzureOpenAiMock(keys, faults, delivery, ids, cloudTokens);
        this.vertex = new VertexMock(keys, faults, delivery, ids, cloudTokens);
        this.bedrock = new BedrockMock(keys, faults, delivery, ids, Clock.systemUTC());
        this.entraTokens = new EntraTokenMock(keys, faults, cloudTokens);
        this.googleTokens = new GoogleTokenMock(keys, faults, cloudTokens, () -> baseUrl() + GoogleTokenMock.PATH);
        this.admin = new MockAdmin(this);
    }

    /** Starts on 127.0.0.1 and {@code config.port()} (0 = a free port), reading the system clock. */
    public static Future<MockProviders> start(Vertx vertx, MockConfig config) {
        return start(vertx, config, new MonotonicClock());
    }

    /** Starts with the given clock driving every bucket: tests pass a fake one. */
    public static Future<MockProviders> start(Vertx vertx, MockConfig config, Clock clock) {
        return start(vertx, config, clock, MockServerVerticle.HOST);
    }

    /**
     * Starts on {@code host} instead of 127.0.0.1: only for a container (Docker Compose), where the
     * gateway nodes reach the mock over the compose network.
     */
    public static Future<MockProviders> start(Vertx vertx, MockConfig config, Clock clock, String host) {
        MockProviders mock = new MockProviders(vertx, config, clock);
        mock.host = host;
        // Several servers share a port only if they bind the same value: a fixed port, or for an
        // ephemeral one a negative id that Vert.x resolves to one random port per id.
        int bindPort = config.port() != 0 || config.eventLoops() == 1
                ? config.port()
                : -(SHARED_PORT_IDS.getAndIncrement() % 30_000 + 1);
        List<MockServerVerticle> servers = new CopyOnWriteArrayList<>();
        Supplier<MockServerVerticle> server = () -> {
            MockServerVerticle v = new MockServerVerticle(host, bindPort, mock::route);
            servers.add(v);
            return v;
        };
        return vertx.deployVerticle(server, new DeploymentOptions().setInstances(config.eventLoops()))
                .map(id -> {
                    mock.deploymentId = id;
                    mock.port = servers.get(0).actualPort();
                    return mock;
                });
    }

    private void route(HttpServerRequest req) {
        String path = req.path();
        if (path.startsWith(MockAdmin.PREFIX)) {
            admin.handle(req);
            return;
        }
        if (GoogleTokenMock.PATH.equals(path)) {
            req.body().onSuccess(body -> googleTokens.handle(req, body));
            return;
        }
        if (EntraTokenMock.PATH.matcher(path).matches()) {
            req.body().onSuccess(body -> entraTokens.handle(req, body));
            return;
        }
        keys.countRequest();
        if (path.startsWith(BedrockMock.PREFIX)) {
            req.body().onSuccess(body -> {
                requests.record(req, body);
                bedrock.handle(req, body);
            });
            return;
        }
        if (path.startsWith(AzureOpenAiMock.PREFIX) || path.startsWith(VertexMock.PREFIX)) {
            req.body().onSuccess(body -> {
                requests.record(req, body);
                if (path.startsWith(VertexMock.PREFIX)) {
                    vertex.handle(req, body);
                } else {
                    azure.handle(req, body);
                }
            });
            return;
        }
        ProviderMock target = path.startsWith(GeminiMock.PREFIX)
                ? gemini
                : AnthropicMock.MESSAGES.equals(path) || AnthropicMock.COUNT_TOKENS.equals(path)
                        ? anthropic
                        : OpenAiResponsesMock.RESPONSES.equals(path) ? responses : openAi;
        req.body().onSuccess(body -> {
            requests.record(req, body);
            target.handle(req, body);
        });
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>} (or the host it was started on). */
    public String baseUrl() {
        return "http://" + host + ":" + port;
    }

    /** A snapshot of every key's counters. */
    public MockStats stats() {
        return keys.stats();
    }

    /**
     * The last {@value RequestLog#CAPACITY} provider requests (admin paths excluded), oldest first:
     * what a gateway under test actually sent upstream.
     */
    public List<SeenRequest> requests() {
        return requests.snapshot();
    }

    /** The most recent provider request, or null when there was none since the last reset. */
    public SeenRequest lastRequest() {
        List<SeenRequest> all = requests.snapshot();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** Zeroes the counters, refills the buckets, restarts the fault schedules and forgets the requests. */
    public void reset() {
        keys.reset();
        cloudTokens.resetCounts();
        faults.restart();
        requests.clear();
    }

    /**
     * Lets a Vertex service account sign in at the mock's Google token endpoint ({@code /token}): JWTs it signs are
     * checked with {@code publicKey}. Its key is the configured {@code vertex} key whose secret is
     * {@code clientEmail}.
     */
    public void registerServiceAccount(String clientEmail, PublicKey publicKey) {
        requireConfigured(clientEmail);
        googleTokens.register(clientEmail, publicKey);
    }

    /** How long access tokens issued from now on live (Entra ID's and Google's alike); an hour by default. */
    public void setTokenLifetime(Duration lifetime) {
        cloudTokens.setLifetime(lifetime);
    }

    /** The access tokens issued to a key (an Azure client secret, a service account's email) since the last reset. */
    public long tokensIssuedTo(String secret) {
        return cloudTokens.issuedTo(secret);
    }

    /** Every access token issued to a key so far stops working (the cloud's answer to it becomes a 401). */
    public void revokeTokensOf(String secret) {
        requireConfigured(secret);
        cloudTokens.revoke(secret);
    }

    /** Replaces the plan of every key without its own. */
    public void setFaults(FaultPlan plan) {
        faults.setGlobal(plan);
    }

    /** Gives one key its own plan; null puts it back on the global plan. */
    public void setKeyFaults(String secret, FaultPlan plan) {
        requireConfigured(secret);
        faults.setForKey(secret, plan);
    }

    /** Keys refused from now on as the provider refuses a revoked key; replaces the previous set. */
    public void setRevokedKeys(Set<String> secrets) {
        secrets.forEach(this::requireConfigured);
        faults.setRevoked(secrets);
    }

    /** Keys whose account is out of credit from now on (each provider's own answer); replaces the previous set. */
    public void setNoCreditKeys(Set<String> secrets) {
        secrets.forEach(this::requireConfigured);
        faults.setNoCredit(secrets);
    }

    boolean isConfigured(String secret) {
        return keys.isConfigured(secret);
    }

    RuntimeFaults faults() {
        return faults;
    }

    /** Stops listening; open connections (stalled streams too) are closed. */
    public Future<Void> close() {
        String id = deploymentId;
        deploymentId = null;
        return id == null ? Future.succeededFuture() : vertx.undeploy(id);
    }

    private void requireConfigured(String secret) {
        if (!keys.isConfigured(secret)) {
            throw new IllegalArgumentException("no such key: " + secret);
        }
    }
}
