package dev.crossbar.gateway.admin;

import static dev.crossbar.gateway.admin.AdminHttp.allow;
import static dev.crossbar.gateway.admin.AdminHttp.body;
import static dev.crossbar.gateway.admin.AdminHttp.bodyFailed;
import static dev.crossbar.gateway.admin.AdminHttp.decode;
import static dev.crossbar.gateway.admin.AdminHttp.error;
import static dev.crossbar.gateway.admin.AdminHttp.failed;
import static dev.crossbar.gateway.admin.AdminHttp.identifier;
import static dev.crossbar.gateway.admin.AdminHttp.limits;
import static dev.crossbar.gateway.admin.AdminHttp.notFound;
import static dev.crossbar.gateway.admin.AdminHttp.object;
import static dev.crossbar.gateway.admin.AdminHttp.onlyFields;
import static dev.crossbar.gateway.admin.AdminHttp.send;
import static dev.crossbar.gateway.admin.AdminHttp.text;
import static dev.crossbar.gateway.admin.AdminHttp.whole;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.cluster.ClusterState;
import dev.crossbar.cluster.ledger.KeyCommand;
import dev.crossbar.cluster.ledger.KeyLimits;
import dev.crossbar.cluster.ledger.KeyState;
import dev.crossbar.cluster.ledger.Ledger;
import dev.crossbar.cluster.members.MemberStats;
import dev.crossbar.cluster.members.MemberView;
import dev.crossbar.cluster.records.ProviderKeyRecord;
import dev.crossbar.gateway.admin.AdminHttp.BadRequest;
import dev.crossbar.gateway.admin.AdminHttp.Conflict;
import dev.crossbar.gateway.auth.ClientKeys;
import dev.crossbar.gateway.config.BucketConfig;
import dev.crossbar.gateway.config.ModelConfig;
import dev.crossbar.gateway.keys.BucketEntry;
import dev.crossbar.gateway.pricing.Pricing;
import dev.crossbar.gateway.routing.ModelRoutes;
import dev.crossbar.gateway.routing.Target;
import dev.crossbar.gateway.upstream.KeyFingerprint;
import dev.crossbar.gateway.upstream.ProviderKey;
import dev.crossbar.gateway.upstream.RateLimitHeaders;
import dev.crossbar.gateway.upstream.Upstream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API under {@code /admin/api/}: the cluster's members, every key's use and state, the
 * models' health, and key changes (add, disable, enable, delete) that reach every node through the
 * cluster's maps; gateway client keys are handled by {@link ClientKeyAdmin}. Needs the admin token;
 * answers JSON; never shows a secret.
 *
 * <p>Reads of the local ledger snapshot stay on the event loop; the key directory's map reads block,
 * so they run on a worker.
 */
final class AdminApi {

    static final String PREFIX = "/admin/api";
    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KEY_FIELDS =
            Set.of("id", "provider", "secret", "requests", "tokens", "concurrent", "window", "weight");
    private static final int MAX_WEIGHT = 1000;
    private static final String DEFAULT_DISABLE_REASON = "disabled by an admin";

    private final Vertx vertx;
    private final Operations.Node node;
    private final ClusterState cluster;
    private final AdminAuth auth;
    private final MemberStatsPublisher publisher;
    private final Throughput throughput;
    private final ClientKeyAdmin clientKeys;
    private final LoginThrottle throttle = new LoginThrottle(System::nanoTime);
    private final PriceAdmin prices;
    private final UsageAdmin usage;
    private final BudgetAdmin budgets;

    AdminApi(Vertx vertx, Operations.Node node, AdminAuth auth, MemberStatsPublisher publisher, Throughput throughput) {
        this.vertx = vertx;
        this.node = node;
        this.cluster = node.cluster();
        this.auth = auth;
        this.publisher = publisher;
        this.throughput = throughput;
        this.clientKeys = new ClientKeyAdmin(vertx, node.clientKeys());
        this.prices = new PriceAdmin(
                vertx, node.prices(), node.config().models(), node.upstreams().keySet());
        this.usage = new UsageAdmin(node.usage());
        this.budgets = new BudgetAdmin(vertx, node.budgets());
    }

    void handle(HttpServerRequest request) {
        if (!authorised(request)) {
            return;
        }
        String rest = request.path().substring(PREFIX.length());
        List<String> parts = new ArrayList<>();
        for (String p : rest.split("/", -1)) {
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        HttpMethod method = request.method();
        try {
            route(request, method, parts);
        } catch (RuntimeException e) {
            LOG.warn("admin API: {} {} failed: {}", method, request.path(), e.toString());
            error(request.response(), 500, "api_error", "the admin API failed to answer; see the node's log");
        }
    }

    private void route(HttpServerRequest request, HttpMethod method, List<String> parts) {
        HttpServerResponse response = request.response();
        String first = parts.isEmpty() ? "" : parts.get(0);
        if (first.equals(ClientKeyAdmin.RESOURCE)) {
            clientKeys.route(request, parts);
            return;
        }
        if (first.equals(PriceAdmin.RESOURCE)) {
            prices.route(request, parts);
            return;
        }
        if (first.equals(UsageAdmin.RESOURCE)) {
            usage.route(request, parts);
            return;
        }
        if (first.equals(BudgetAdmin.RESOURCE)) {
            budgets.route(request, parts);
            return;
        }
        switch (parts.size()) {
            case 1 -> {
                switch (first) {
                    case "cluster" -> {
                        if (allow(request, "GET")) {
                            cluster(response);
                        }
                    }
                    case "models" -> {
                        if (allow(request, "GET")) {
                            models(response);
                        }
                    }
                    case "buckets" -> {
                        if (allow(request, "GET")) {
                            send(response, 200, bucketsView());
                        }
                    }
                    case "history" -> {
                        if (allow(request, "GET")) {
                            send(response, 200, throughput.history());
                        }
                    }
                    case "keys" -> {
                        if (HttpMethod.GET.equals(method)) {
                            keys(response);
                        } else if (allow(request, "GET, POST")) {
                            addKey(request);
                        }
                    }
                    default -> notFound(request);
                }
            }
            case 2 -> {
                if (!first.equals("keys")) {
                    notFound(request);
                } else if (HttpMethod.GET.equals(method)) {
                    key(response, decode(parts.get(1)));
                } else if (allow(request, "GET, DELETE")) {
                    deleteKey(response, decode(parts.get(1)));
                }
            }
            case 3 -> {
                String action = parts.get(2);
                if (!first.equals("keys") || !(action.equals("disable") || action.equals("enable"))) {
                    notFound(request);
                } else if (allow(request, "POST")) {
                    setDisabled(request, decode(parts.get(1)), action.equals("disable"));
                }
            }
            default -> notFound(request);
        }
    }

    // ---- auth ---------------------------------------------------------------------------------------

    private boolean authorised(HttpServerRequest request) {
        String address =
                request.remoteAddress() == null ? "?" : request.remoteAddress().hostAddress();
        long refusedFor = throttle.refusedForMillis(address);
        if (refusedFor > 0) {
            request.response().putHeader("Retry-After", String.valueOf((refusedFor + 999) / 1000));
            error(
                    request.response(),
                    429,
                    "rate_limit_error",
                    "too many wrong admin tokens from this address; retry after the time in Retry-After");
            return false;
        }
        AdminAuth.Verdict verdict = auth.check(request.getHeader(HttpHeaders.AUTHORIZATION));
        switch (verdict) {
            case ALLOWED -> {
                return true;
            }
            case DISABLED -> {
                error(
                        request.response(),
                        403,
                        "permission_error",
                        "the admin API is disabled: set admin.token in the node's config to turn it on");
                return false;
            }
            default -> {
                // The presented token is never logged, not even in part.
                if (verdict == AdminAuth.Verdict.MISSING) {
                    LOG.debug("admin API: refused {} {} from {}: no token", request.method(), request.path(), address);
                } else {
                    logWrongToken(request, address, throttle.failed(address));
                }
                request.response().putHeader("WWW-Authenticate", "Bearer realm=\"crossbar-admin\"");
                error(
                        request.response(),
                        401,
                        "authentication_error",
                        "missing or wrong admin token: send it as 'Authorization: Bearer <admin.token>'");
                return false;
            }
        }
    }

    /** Once per burst from an address, and once more when the address is refused: never once per try. */
    private static void logWrongToken(HttpServerRequest request, String address, LoginThrottle.Failure failure) {
        long windowSeconds = LoginThrottle.WINDOW_NANOS / 1_000_000_000L;
        switch (failure) {
            case FIRST_OF_BURST ->
                LOG.warn(
                        "admin API: refused {} {} from {}: wrong token (more from this address within {} s are"
                                + " counted, not logged)",
                        request.method(),
                        request.path(),
                        address,
                        windowSeconds);
            case NOW_REFUSED ->
                LOG.warn(
                        "admin API: {} wrong tokens from {} within {} s: the address is refused until the window"
                                + " ends",
                        LoginThrottle.MAX_FAILURES,
                        address,
                        windowSeconds);
            case COUNTED -> {}
        }
    }

    // ---- reads --------------------------------------------------------------------------------------

    private void cluster(HttpServerResponse response) {
        Context context = vertx.getOrCreateContext();
        String self = node.nodeId();
        List<MemberView> members = cluster.members().list();
        List<Future<MemberStats>> records = new ArrayList<>();
        for (MemberView m : members) {
            records.add(Future.fromCompletionStage(cluster.memberStats().read(m.id()), context));
        }
        Future.join(records).onComplete(done -> {
            long now = System.currentTimeMillis();
            List<Views.Member> views = new ArrayList<>();
            double rate = 0;
            int inFlight = 0;
            int unproven = 0;
            for (int i = 0; i < members.size(); i++) {
                MemberView m = members.get(i);
                Future<MemberStats> f = records.get(i);
                // Only a proven member's record counts: the stats board holds nothing unsigned anyway.
                MemberStats stats = f.succeeded() && m.proven() ? f.result() : null;
                if (stats == null && m.id().equals(self)) {
                    stats = publisher.latest();
                }
                views.add(Views.Member.of(m.id(), m.address(), m.id().equals(self), m.proven(), stats, now));
                if (stats != null) {
                    rate += stats.requestsPerSecond();
                    inFlight += stats.inFlight();
                }
                unproven += m.proven() ? 0 : 1;
            }
            send(
                    response,
                    200,
                    new Views.Cluster(
                            cluster.members().clusterName(),
                            members.size(),
                            self,
                            now,
                            views,
                            new Views.Totals(Views.round(rate), inFlight),
                            new Views.Trust(
                                    cluster.keyring().isEphemeral()
                                            ? "ephemeral"
                                            : cluster.keyring().current().idText(),
                                    unproven,
                                    node.config().cluster().unprovenMembers(),
                                    cluster.rejections().total())));
        });
    }

    private void keys(HttpServerResponse response) {
        records()
                .onSuccess(records -> send(response, 200, keysView(records)))
                .onFailure(err -> failed(response, "list keys", err));
    }

    private void key(HttpServerResponse response, String id) {
        records()
                .onSuccess(records -> {
                    Views.Keys all = keysView(records);
                    for (Views.Key k : all.keys()) {
                        if (k.id().equals(id)) {
                            send(response, 200, k);
                            return;
                        }
                    }
                    for (Views.Key k : all.clientKeys()) {
                        if (k.id().equals(id)) {
                            send(response, 200, k);
                            return;
                        }
                    }
                    error(response, 404, "not_found_error", "no key '" + id + "'");
                })
                .onFailure(err -> failed(response, "read key", err));
    }

    private Future<List<ProviderKeyRecord>> records() {
        return vertx.executeBlocking(() -> node.keyDirectory().records(), false);
    }

    private Views.Keys keysView(List<ProviderKeyRecord> records) {
        Ledger ledger = node.ledger();
        long now = ledger.now();
        Map<String, KeyState> snapshot = ledger.snapshot();
        List<Views.Key> keys = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        for (ProviderKeyRecord r : records) {
            keys.add(Views.key(
                    r.id(),
                    "provider",
                    r.providerId(),
                    KeyFingerprint.of(r.secret()),
                    r.weight(),
                    snapshot.get(r.id()),
                    now));
            listed.add(r.id());
        }
        for (Upstream upstream : node.upstreams().values()) {
            for (ProviderKey k : upstream.keys()) {
                if (k.secret() == null && listed.add(k.id())) {
                    keys.add(Views.key(
                            k.id(),
                            "keyless",
                            k.providerId(),
                            KeyFingerprint.of(null),
                            k.weight(),
                            snapshot.get(k.id()),
                            now));
                }
            }
        }
        List<Views.Key> clients = new ArrayList<>();
        for (String id : new TreeSet<>(snapshot.keySet())) {
            if (id.startsWith(ClientKeys.LEDGER_PREFIX)) {
                clients.add(Views.key(id, "client", null, null, null, snapshot.get(id), now));
            }
        }
        return new Views.Keys(now, keys, clients);
    }

    private Views.Buckets bucketsView() {
        long now = node.ledger().now();
        Map<String, KeyState> snapshot = node.ledger().snapshot();
        List<Views.Bucket> out = new ArrayList<>();
        for (BucketEntry e : node.buckets().entries()) {
            KeyState s = snapshot.get(e.id());
            RateLimitHeaders.Seen seen = node.buckets().lastSeen(e.id());
            Upstream upstream = node.upstreams().get(e.provider());
            List<String> keys = e.keys() != null || upstream == null
                    ? e.keys()
                    : upstream.keys().stream().map(ProviderKey::id).toList();
            List<String> models = node.config().providers().stream()
                    .filter(p -> p.id().equals(e.provider()))
                    .flatMap(p -> p.buckets().stream())
                    .filter(b -> b.name().equals(e.bucket()))
                    .findFirst()
                    .map(BucketConfig::models)
                    .orElse(null);
            out.add(new Views.Bucket(
                    e.id(),
                    e.provider(),
                    e.bucket(),
                    e.model(),
                    e.model() == null ? models : null,
                    e.window(),
                    e.part().name().toLowerCase(java.util.Locale.ROOT),
                    keys,
                    s == null ? null : Views.use(s, now),
                    s == null ? null : new Views.Free(Views.round(s.freeRequests()), Views.round(s.freeTokens())),
                    seen == null
                            ? null
                            : new Views.ProviderFigures(
                                    known(seen.requestLimit()),
                                    known(seen.requestsRemaining()),
                                    known(seen.tokenLimit()),
                                    known(seen.tokensRemaining()))));
        }
        return new Views.Buckets(now, out);
    }

    private static @Nullable Long known(long figure) {
        return figure < 0 ? null : figure;
    }

    private void models(HttpServerResponse response) {
        long now = node.ledger().now();
        Map<String, KeyState> snapshot = node.ledger().snapshot();
        ModelRoutes routes = node.routes();
        List<Views.Model> models = new ArrayList<>();
        for (ModelConfig config : node.config().models()) {
            ModelRoutes.Route route = routes.resolve(config.name());
            if (route == null) {
                continue;
            }
            List<Views.Target> targets = new ArrayList<>();
            int usableTargets = 0;
            boolean allHealthy = true;
            for (Target t : route.targets()) {
                List<ProviderKey> keys = t.upstream().keys();
                int usable = 0;
                List<String> blocked = new ArrayList<>();
                for (ProviderKey k : keys) {
                    KeyState s = snapshot.get(k.id());
                    if (s != null && !s.blockedAt(now)) {
                        usable++;
                    } else {
                        blocked.add(k.id());
                    }
                }
                String health = usable == 0 ? "down" : usable == keys.size() ? "healthy" : "degraded";
                allHealthy &= health.equals("healthy");
                if (usable > 0) {
                    usableTargets++;
                }
                boolean priced = node.prices()
                                .current()
                                .lookup(config.name(), t.upstream().id(), t.model())
                        instanceof Pricing.Priced;
                targets.add(
                        new Views.Target(t.upstream().id(), t.model(), health, usable, keys.size(), blocked, priced));
            }
            String health = allHealthy ? "healthy" : usableTargets > 0 ? "degraded" : "down";
            models.add(new Views.Model(config.name(), config.aliases(), health, usableTargets, targets));
        }
        send(response, 200, new Views.Models(now, models));
    }

    // ---- changes ------------------------------------------------------------------------------------

    private void addKey(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        Context context = vertx.getOrCreateContext();
        body(request)
                .onSuccess(body -> {
                    ProviderKey key;
                    try {
                        key = parseKey(body);
                    } catch (BadRequest e) {
                        error(response, 400, "invalid_request_error", e.getMessage());
                        return;
                    }
                    vertx.executeBlocking(
                                    () -> node.keyDirectory().records().stream().anyMatch(r -> r.id().equals(key.id()))
                                            || node.ledger().snapshot().containsKey(key.id()),
                                    false)
                            .compose(exists -> {
                                if (exists) {
                                    return Future.failedFuture(new Conflict("key '" + key.id()
                                            + "' exists; DELETE /admin/api/keys/" + key.id() + " first to replace it"));
                                }
                                return Future.fromCompletionStage(
                                        node.keyDirectory().add(key), context);
                            })
                            .onSuccess(done -> {
                                LOG.info(
                                        "admin: added key {} ({}) to provider {}",
                                        key.id(),
                                        key.fingerprint(),
                                        key.providerId());
                                KeyLimits l = key.limits();
                                send(
                                        response,
                                        201,
                                        new Views.Key(
                                                key.id(),
                                                "provider",
                                                key.providerId(),
                                                key.fingerprint(),
                                                key.weight(),
                                                "pending",
                                                "added; every node uses it from now on",
                                                null,
                                                null,
                                                new Views.Limits(
                                                        l.requests(), l.tokens(), l.concurrent(), l.windowMillis()),
                                                null,
                                                null,
                                                null,
                                                null,
                                                List.of(),
                                                List.of(),
                                                null));
                            })
                            .onFailure(err -> {
                                if (err instanceof Conflict) {
                                    error(response, 409, "conflict_error", err.getMessage());
                                } else if (err instanceof IllegalArgumentException) {
                                    error(response, 400, "invalid_request_error", err.getMessage());
                                } else {
                                    failed(response, "add key " + key.id(), err);
                                }
                            });
                })
                .onFailure(err -> bodyFailed(response, err));
    }

    private void setDisabled(HttpServerRequest request, String id, boolean disable) {
        HttpServerResponse response = request.response();
        Context context = vertx.getOrCreateContext();
        body(request)
                .onSuccess(body -> {
                    String reason;
                    try {
                        reason = disable ? reason(body) : null;
                    } catch (BadRequest e) {
                        error(response, 400, "invalid_request_error", e.getMessage());
                        return;
                    }
                    Future.fromCompletionStage(
                                    node.ledger().execute(id, new KeyCommand.SetDisabled(disable, reason)), context)
                            .onSuccess(found -> {
                                if (!Boolean.TRUE.equals(found)) {
                                    error(response, 404, "not_found_error", "no key '" + id + "'");
                                    return;
                                }
                                LOG.info(
                                        "admin: key {} {}{}",
                                        id,
                                        disable ? "disabled" : "enabled",
                                        disable ? " (" + reason + ")" : "");
                                ObjectNode answer = JSON.createObjectNode()
                                        .put("id", id)
                                        .put("state", disable ? "disabled" : "probing");
                                if (disable) {
                                    answer.put("reason", reason);
                                }
                                send(response, 200, answer);
                            })
                            .onFailure(err -> failed(response, (disable ? "disable " : "enable ") + id, err));
                })
                .onFailure(err -> bodyFailed(response, err));
    }

    private void deleteKey(HttpServerResponse response, String id) {
        Context context = vertx.getOrCreateContext();
        vertx.executeBlocking(() -> node.keyDirectory().delete(id), false)
                .compose(stage -> Future.fromCompletionStage(stage, context))
                .onSuccess(deleted -> {
                    if (!deleted) {
                        error(response, 404, "not_found_error", "no key '" + id + "'");
                        return;
                    }
                    LOG.info("admin: deleted key {}", id);
                    send(response, 200, JSON.createObjectNode().put("id", id).put("deleted", true));
                })
                .onFailure(err -> failed(response, "delete key " + id, err));
    }

    /** Reads and checks a key to add; every complaint names the field. */
    ProviderKey parseKey(Buffer body) {
        JsonNode root = object(body, true);
        onlyFields(root, KEY_FIELDS, "a key");
        String id = identifier(root, "id");
        String provider = text(root, "provider");
        if (!node.upstreams().containsKey(provider)) {
            throw new BadRequest(
                    "provider must be one of " + new TreeSet<>(node.upstreams().keySet()) + ", was '" + provider + "'");
        }
        String secret = text(root, "secret");
        if (secret.length() > 4096 || secret.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new BadRequest("secret must be at most 4096 characters without spaces or control characters");
        }
        int weight = (int) whole(root, "weight", 1, MAX_WEIGHT, "");
        return new ProviderKey(id, provider, secret, limits(root), weight);
    }

    private static String reason(Buffer body) {
        if (body.length() == 0) {
            return DEFAULT_DISABLE_REASON;
        }
        JsonNode root = object(body, false);
        JsonNode r = root.get("reason");
        if (r == null || r.isNull()) {
            return DEFAULT_DISABLE_REASON;
        }
        if (!r.isTextual()) {
            throw new BadRequest("reason must be a string");
        }
        String clean = r.asText().replaceAll("\\p{Cntrl}", " ").strip();
        if (clean.isEmpty()) {
            return DEFAULT_DISABLE_REASON;
        }
        return clean.length() > 200 ? clean.substring(0, 200) : clean;
    }
}
