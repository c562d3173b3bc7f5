package dev.crossbar.gateway.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.cluster.lease.Acquisition;
import dev.crossbar.cluster.lease.Permit;
import dev.crossbar.cluster.ledger.KeyState;
import dev.crossbar.cluster.ledger.Outcome;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.model.Message;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.codecs.spi.ClientCodec;
import dev.crossbar.codecs.spi.Protocol;
import dev.crossbar.codecs.spi.UpstreamError;
import dev.crossbar.codecs.spi.UpstreamRequest;
import dev.crossbar.gateway.auth.ClientKey;
import dev.crossbar.gateway.config.BuiltinToolPolicy;
import dev.crossbar.gateway.http.BodyReader;
import dev.crossbar.gateway.http.ClientErrors;
import dev.crossbar.gateway.keys.AdmissionQueue;
import dev.crossbar.gateway.keys.KeyPool;
import dev.crossbar.gateway.keys.ProviderKey;
import dev.crossbar.gateway.node.NodeServices;
import dev.crossbar.gateway.pricing.Cost;
import dev.crossbar.gateway.responses.ResponsesTurn;
import dev.crossbar.gateway.routing.ModelRoutes;
import dev.crossbar.gateway.routing.Target;
import dev.crossbar.gateway.upstream.ErrorVerdict;
import dev.crossbar.gateway.upstream.RateLimitHeaders;
import dev.crossbar.gateway.upstream.Upstream;
import dev.crossbar.gateway.upstream.auth.CredentialException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One chat request from first byte to last: reads and decodes it, finds a key (waiting in the admission
 * queue when all are saturated), calls the upstream, fails over to other keys and fallback targets while
 * nothing has reached the client, and relays the answer (whole or streamed) in the client's protocol.
 * Lives on one event loop; not thread-safe.
 */
public final class ChatExchange {

    private static final ApiError SHUTTING_DOWN =
            ApiError.of(ErrorKind.OVERLOADED, "this gateway node is shutting down; retry the request");

    private final NodeServices services;
    private final LoopResources loop;
    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final Protocol protocol;
    private ClientCodec clientCodec;
    private final String pathModel;
    private final boolean pathStream;
    private final String requestId;
    private final Endpoint endpoint;
    private final long startNanos = System.nanoTime();

    private ClientKey clientKey;
    private ObjectNode body;
    private byte[] rawBody;
    private int bodyBytes;
    private ChatRequest chat;
    private ModelRoutes.Route route;
    private long estimatedTokens;
    private long deadlineNanos;
    private Permit clientPermit;
    private final Set<String> failedKeys = new HashSet<>();
    private List<Target> targets;
    private int targetIndex;
    private int attempts;
    private ApiError lastError;
    /** Set once, before anything else happens on the way out: every callback of the upstream call checks it. */
    private boolean finished;
    /** Tokens the client key is charged: what the last call that reached a provider settled to. */
    private long clientCharge;

    private long queueNanos;
    private long upstreamNanos;
    private Target target;
    private ProviderKey key;
    private Permit permit;
    private boolean permitArrived;
    private boolean sent;
    private HttpClientRequest upstreamRequest;
    /** The options of the current attempt once its credential is on: a 401 names the token it refused. */
    private RequestOptions upstreamOptions;
    /** A cloud refused an access token once already: a second refusal blames the key. */
    private boolean tokenRenewed;

    private StreamRelay relay;
    private TokenMeter meter;
    private long attemptStartNanos;
    private long firstByteNanos = -1;
    private String droppedTools;

    /** @param endpoint a chat turn, or an endpoint forwarded as is to targets of its protocol */
    public ChatExchange(
            NodeServices services,
            LoopResources loop,
            HttpServerRequest request,
            Protocol protocol,
            String pathModel,
            boolean pathStream,
            String requestId,
            Endpoint endpoint) {
        this.endpoint = endpoint;
        this.services = services;
        this.loop = loop;
        this.request = request;
        this.response = request.response();
        this.protocol = protocol;
        this.clientCodec = services.codecs().client(protocol);
        this.pathModel = pathModel;
        this.pathStream = pathStream;
        this.requestId = requestId;
    }

    /** Authenticates the client, then reads and routes the body. */
    public void start(ClientKey authenticated) {
        this.clientKey = authenticated;
        services.inFlight().incrementAndGet();
        loop.exchanges().add(this);
        response.closeHandler(v -> onClientGone());
        response.putHeader("x-request-id", requestId);
        BodyReader.read(
                        loop.vertx(),
                        request,
                        services.config().node().maxBodyBytes(),
                        services.config().node().bodyTimeout().toMillis())
                .onComplete(read -> {
                    if (read.failed()) {
                        response.putHeader(HttpHeaders.CONNECTION, "close");
                        fail(errorOf(read.cause()));
                        BodyReader.discardRest(
                                loop.vertx(),
                                request,
                                services.config().node().bodyTimeout().toMillis());
                        return;
                    }
                    try {
                        onBody(read.result());
                    } catch (CodecException e) {
                        fail(e.error());
                    }
                });
    }

    private void onBody(Buffer raw) {
        rawBody = raw.getBytes();
        bodyBytes = rawBody.length;
        body = Json.parseObject(rawBody);
        if (endpoint == Endpoint.CHAT && protocol == Protocol.OPENAI_RESPONSES) {
            ResponsesTurn turn = services.responsesState().begin(body, clientKey);
            body = turn.body(body);
            rawBody = turn.rawBody(rawBody);
            clientCodec = turn.codec(clientCodec);
        }
        chat = switch (endpoint) {
            case CHAT -> clientCodec.decodeRequest(body, pathModel, pathStream);
            case EMBEDDINGS -> EmbeddingRequests.validate(body);
            case COUNT_TOKENS -> CountTokens.validate(clientCodec, body);
        };
        route = services.routes().resolve(chat.model());
        if (route == null) {
            fail(new ApiError(
                    404,
                    ErrorKind.NOT_FOUND,
                    "model '" + chat.model() + "' does not exist; GET /v1/models lists the models this gateway serves",
                    "model",
                    -1));
            return;
        }
        if (!clientKey.allows(route.name())) {
            fail(new ApiError(
                    403,
                    ErrorKind.PERMISSION,
                    "this client key may not use model '" + chat.model() + "'",
                    "model",
                    -1));
            return;
        }
        targets = !endpoint.forwardsAsIs()
                ? route.targets()
                : route.targets().stream()
                        .filter(t -> endpoint.servedBy(t.upstream().protocol()))
                        .toList();
        if (!chat.builtinTools().isEmpty() && route.builtinTools() == BuiltinToolPolicy.REFUSE) {
            // Only a provider of the client's own protocol gets the built-in tools, in the body as sent.
            targets = targets.stream().filter(this::passthrough).toList();
            if (targets.isEmpty()) {
                fail(BuiltinTools.refusal(chat.builtinTools(), route.name()));
                return;
            }
        }
        if (targets.isEmpty()) {
            if (endpoint == Endpoint.COUNT_TOKENS) {
                answer(Buffer.buffer(CountTokens.estimate(clientCodec, chat)));
            } else {
                fail(CodecException.invalid(
                                "model",
                                "model '" + route.name() + "' is served by no "
                                        + "OpenAI-compatible provider; embeddings need one")
                        .error());
            }
            return;
        }
        int allowance = chat.maxTokens() != null
                ? chat.maxTokens()
                : services.config().routing().defaultMaxTokens();
        // Counting tokens generates none, and providers limit it apart from messages: it spends a request only.
        estimatedTokens = endpoint == Endpoint.COUNT_TOKENS ? 0 : (bodyBytes + 3) / 4 + allowance;
        deadlineNanos = startNanos + services.config().routing().deadline().toNanos();
        admitClient();
    }

    /** The client key's own limits, counted cluster-wide in the same ledger as provider keys. */
    private void admitClient() {
        if (clientKey.ledgerId() == null) {
            nextAttempt();
            return;
        }
        Future.fromCompletionStage(services.leases().acquire(clientKey.ledgerId(), estimatedTokens), loop.context())
                .onComplete(ar -> {
                    if (ar.succeeded() && ar.result() instanceof Permit p) {
                        if (finished) {
                            // The client left while its key's permit was on the way: nothing was sent.
                            services.leases().release(p, false, 0, Outcome.NEUTRAL, 0, -1, null);
                            return;
                        }
                        clientPermit = p;
                        nextAttempt();
                    } else {
                        long retry = ar.succeeded() ? ((Acquisition.Denied) ar.result()).retryAfterMillis() : 1_000;
                        fail(new ApiError(
                                429,
                                ErrorKind.RATE_LIMIT,
                                "this client key is over its own rate limit",
                                null,
                                capRetry(retry)));
                    }
                });
    }

    // ---- finding capacity --------------------------------------------------------------------------

    private void nextAttempt() {
        if (finished) {
            return;
        }
        if (attempts >= services.config().routing().maxAttempts() || System.nanoTime() >= deadlineNanos) {
            fail(
                    lastError != null
                            ? lastError
                            : ApiError.of(ErrorKind.OVERLOADED, "no upstream could serve the request in time"));
            return;
        }
        AdmissionQueue queue = loop.queue(route.name());
        if (!queue.isEmpty() && queueNanos == 0) {
            waitInQueue(queue, 1);
            return;
        }
        tryTargets().onComplete(ar -> {
            if (ar.failed()) {
                fail(errorOf(ar.cause()));
            } else if (ar.result() instanceof KeyPool.Refusal refusal) {
                onAllKeysRefused(refusal);
            }
        });
    }

    /**
     * Tries the route's targets in order from the current one. Completes with null once a call is under
     * way, or with the refusal of the last target when none had capacity.
     */
    private Future<Object> tryTargets() {
        if (targetIndex >= targets.size()) {
            targetIndex = 0;
        }
        Target candidate = targets.get(targetIndex);
        long stickiness = services.pool().usesStickiness() ? stickiness() : 0;
        return services.pool()
                .acquire(candidate.upstream().keys(), estimatedTokens, stickiness, failedKeys, loop.context())
                .compose(result -> {
                    if (result instanceof KeyPool.Grant grant) {
                        if (finished) {
                            services.leases().release(grant.permit(), false, 0, Outcome.NEUTRAL, 0, -1, null);
                            return Future.succeededFuture(null);
                        }
                        call(candidate, grant);
                        return Future.succeededFuture(null);
                    }
                    if (targetIndex + 1 < targets.size()) {
                        targetIndex++;
                        services.observer().retried(candidate.upstream().id(), null, "no capacity", true);
                        return tryTargets();
                    }
                    targetIndex = 0;
                    return Future.succeededFuture(result);
                });
    }

    private void onAllKeysRefused(KeyPool.Refusal refusal) {
        if (refusal.retryAfterMillis() == Long.MAX_VALUE) {
            fail(
                    lastError != null
                            ? lastError
                            : new ApiError(
                                    503,
                                    ErrorKind.OVERLOADED,
                                    "no usable key for model '" + route.name() + "' (" + refusal.reason() + ")",
                                    null,
                                    -1));
            return;
        }
        loop.queue(route.name()).refusedFor(refusal.retryAfterMillis());
        waitInQueue(loop.queue(route.name()), refusal.retryAfterMillis());
    }

    private void waitInQueue(AdmissionQueue queue, long retryAfterMillis) {
        long waitUntil = Math.min(
                deadlineNanos,
                System.nanoTime() + services.config().routing().queueTimeout().toNanos());
        long queuedAt = System.nanoTime();
        boolean accepted = System.nanoTime() < waitUntil
                && queue.offer(
                        new AdmissionQueue.Waiter() {
                            @Override
                            public Future<Boolean> tryAdmit() {
                                if (finished) {
                                    return Future.succeededFuture(true);
                                }
                                return tryTargets()
                                        .map(result -> {
                                            if (result instanceof KeyPool.Refusal refusal) {
                                                queue.refusedFor(refusal.retryAfterMillis());
                                                return false;
                                            }
                                            queueNanos += System.nanoTime() - queuedAt;
                                            services.observer()
                                                    .queued(route.name(), System.nanoTime() - queuedAt, true);
                                            return true;
                                        })
                                        .otherwise(false);
                            }

                            @Override
                            public void expire(long retryAfter) {
                                queueNanos += System.nanoTime() - queuedAt;
                                services.observer().queued(route.name(), System.nanoTime() - queuedAt, false);
                                failSaturated(retryAfter);
                            }

                            @Override
                            public long deadlineNanos() {
                                return waitUntil;
                            }

                            @Override
                            public String clientKey() {
                                return clientKey.name();
                            }
                        },
                        retryAfterMillis);
        if (!accepted) {
            services.observer().queued(route.name(), 0, false);
            failSaturated(retryAfterMillis);
        }
    }

    private void failSaturated(long retryAfterMillis) {
        fail(new ApiError(
                429,
                ErrorKind.RATE_LIMIT,
                "every key for model '" + route.name() + "' is at its rate limit; retry after the time in Retry-After",
                null,
                capRetry(retryAfterMillis)));
    }

    private static long capRetry(long retryAfterMillis) {
        return Math.max(1, Math.min(retryAfterMillis, TimeUnit.HOURS.toMillis(1)));
    }

    private long stickiness() {
        String session = request.getHeader("x-crossbar-session");
        if (session != null) {
            return session.hashCode();
        }
        long h = 17;
        List<Message> messages = chat.messages();
        for (int i = 0; i < Math.min(2, messages.size()); i++) {
            h = 31 * h + messages.get(i).text().hashCode();
        }
        return h;
    }

    // ---- one upstream call -------------------------------------------------------------------------

    private boolean passthrough(Target t) {
        return endpoint.forwardsAsIs() || t.upstream().protocol() == protocol;
    }

    private void call(Target t, KeyPool.Grant grant) {
        target = t;
        key = grant.key();
        permit = grant.permit();
        permitArrived = false;
        sent = false;
        upstreamRequest = null;
        upstreamOptions = null;
        relay = null;
        meter = new TokenMeter(
                estimatedTokens,
                (bodyBytes + 3) / 4,
                chat.maxTokens() == null ? 0 : chat.maxTokens(),
                t.upstream().type().countsCacheReadsAgainstLimits());
        attempts++;
        Upstream upstream = t.upstream();
        String wireModel = upstream.wireModel(t.model());
        UpstreamRequest encoded;
        try {
            encoded = encodeFor(new Target(upstream, wireModel));
            noteDroppedTools(t);
        } catch (CodecException e) {
            fail(e.error());
            return;
        }
        byte[] body = upstream.body(encoded.path(), encoded.body());
        attemptStartNanos = System.nanoTime();
        upstream.request(encoded.path(), wireModel, key, encoded.stream())
                .compose(options -> {
                    upstreamOptions = options;
                    return loop.clients().forProvider(upstream.id()).request(options);
                })
                .compose(req -> {
                    if (finished) {
                        req.reset();
                        return Future.failedFuture("the exchange ended before the call was sent");
                    }
                    upstreamRequest = req;
                    sent = true;
                    return req.send(Buffer.buffer(body));
                })
                .onComplete(ar -> {
                    if (finished) {
                        if (ar.succeeded()) {
                            ar.result().request().reset();
                        }
                        return;
                    }
                    if (ar.failed() && ar.cause() instanceof CredentialException noToken) {
                        attemptFailed(
                                noToken.refused() ? Outcome.REJECTED : Outcome.FAILED,
                                -1,
                                ApiError.of(ErrorKind.BAD_GATEWAY, "no access token could be had for the provider"),
                                noToken.getMessage());
                    } else if (ar.failed()) {
                        attemptFailed(
                                Outcome.FAILED,
                                -1,
                                ApiError.of(ErrorKind.BAD_GATEWAY, "the upstream provider could not be reached"),
                                describe(ar.cause()));
                    } else {
                        onUpstreamResponse(ar.result());
                    }
                });
    }

    private UpstreamRequest encodeFor(Target t) {
        if (endpoint.forwardsAsIs()) {
            return new UpstreamRequest(
                    endpoint.path(), PassThroughBody.of(rawBody, body, chat.model(), t.model(), false), false);
        }
        if (!passthrough(t)) {
            return t.upstream().codec().encodeRequest(chat, t.model());
        }
        if (protocol == Protocol.GEMINI) {
            String method = chat.stream() ? ":streamGenerateContent?alt=sse" : ":generateContent";
            return new UpstreamRequest("/models/" + t.model() + method, rawBody, chat.stream());
        }
        String path = switch (protocol) {
            case ANTHROPIC -> "/messages";
            case OPENAI_RESPONSES -> "/responses";
            default -> "/chat/completions";
        };
        return new UpstreamRequest(
                path, PassThroughBody.of(rawBody, body, chat.model(), t.model(), asksForUsage(t)), chat.stream());
    }

    /**
     * A Chat Completions stream passed through whose client did not ask for usage: the gateway asks on its own
     * account (the key must be charged what the answer cost) and the relay takes the usage back out.
     */
    private boolean asksForUsage(Target t) {
        return protocol == Protocol.OPENAI_CHAT
                && chat.stream()
                && !chat.includeUsage()
                && t.upstream().codec().asksForStreamUsage();
    }

    /**
     * A translated request goes without its built-in tools (the encoders leave them out): the client hears
     * which in a header, the access log records them. A same-protocol target gets them, and clears the note.
     */
    private void noteDroppedTools(Target t) {
        if (chat.builtinTools().isEmpty() || endpoint.forwardsAsIs()) {
            return;
        }
        if (passthrough(t)) {
            droppedTools = null;
            response.headers().remove(BuiltinTools.HEADER);
        } else {
            droppedTools = BuiltinTools.dropped(chat.builtinTools());
            response.putHeader(BuiltinTools.HEADER, droppedTools);
        }
    }

    private void onUpstreamResponse(HttpClientResponse upstream) {
        firstByteNanos = System.nanoTime() - attemptStartNanos;
        services.leases().arrived(permit);
        permitArrived = true;
        int status = upstream.statusCode();
        learnLimits(upstream);
        if (status >= 200 && status < 300) {
            if (chat.stream()) {
                relay = new StreamRelay(this, upstream);
                relay.start();
            } else {
                upstream.body().onComplete(ar -> {
                    if (finished) {
                        return;
                    }
                    if (ar.failed()) {
                        attemptFailed(
                                Outcome.FAILED,
                                -1,
                                ApiError.of(ErrorKind.BAD_GATEWAY, "the upstream provider broke off its answer"),
                                describe(ar.cause()));
                    } else {
                        onWholeAnswer(ar.result());
                    }
                });
            }
            return;
        }
        upstream.body().onComplete(ar -> {
            if (finished) {
                return;
            }
            byte[] errorBody = ar.succeeded() ? ar.result().getBytes() : new byte[0];
            onUpstreamError(status, upstream, errorBody);
        });
    }

    private void learnLimits(HttpClientResponse upstream) {
        RateLimitHeaders.Seen seen = RateLimitHeaders.read(upstream.headers());
        // Compared with the limits in force, so a limit already learned is not sent again with every answer.
        KeyState inForce = services.ledger().snapshot().get(key.id());
        if (!seen.isEmpty() && inForce != null && seen.worthTelling(inForce.requestLimit(), inForce.tokenLimit())) {
            services.leases()
                    .learn(
                            key.id(),
                            seen.requestLimit(),
                            seen.requestsRemaining(),
                            seen.tokenLimit(),
                            seen.tokensRemaining());
        }
    }

    private void onUpstreamError(int status, HttpClientResponse upstream, byte[] errorBody) {
        UpstreamError decoded = target.upstream().codec().decodeError(status, errorBody);
        ErrorVerdict verdict = ErrorVerdict.of(
                decoded,
                RateLimitHeaders.retryAfterMillis(upstream.headers(), System.currentTimeMillis()),
                target.upstream().id());
        if (status == 401 && !tokenRenewed && target.upstream().refused(upstreamOptions, key)) {
            // The cloud refused an access token (revoked, or its lifetime cut short), not necessarily the key:
            // the same key once more with a new token; the token endpoint judges the credential itself.
            tokenRenewed = true;
            upstreamNanos += System.nanoTime() - attemptStartNanos;
            releaseKey(Outcome.NEUTRAL, -1, -1, null);
            lastError = verdict.clientError();
            services.observer().retried(target.upstream().id(), key.id(), "access token refused", false);
            nextAttempt();
            return;
        }
        if (verdict.failOver()) {
            attemptFailed(verdict.keyOutcome(), verdict.retryAfterMillis(), verdict.clientError(), verdict.reason());
        } else {
            releaseKey(Outcome.NEUTRAL, -1, -1, null);
            fail(verdict.clientError());
        }
    }

    /** The attempt failed before any byte reached the client: note it on the key and try elsewhere. */
    void attemptFailed(Outcome outcome, long retryAfterMillis, ApiError error, String reason) {
        upstreamNanos += System.nanoTime() - attemptStartNanos;
        releaseKey(outcome, -1, retryAfterMillis, reason);
        failedKeys.add(key.id());
        lastError = error;
        services.observer().retried(target.upstream().id(), key.id(), reason, false);
        nextAttempt();
    }

    private void onWholeAnswer(Buffer answer) {
        if (endpoint.forwardsAsIs()) {
            if (endpoint == Endpoint.EMBEDDINGS) {
                meter.reported(EmbeddingRequests.usage(answer.getBytes()));
            }
            upstreamNanos += System.nanoTime() - attemptStartNanos;
            releaseKey(
                    Outcome.SUCCESS, meter.usage() == null ? -1 : meter.usage().inputTokens(), -1, null);
            answer(answer);
            return;
        }
        Buffer out;
        try {
            byte[] bytes = answer.getBytes();
            if (passthrough(target)) {
                // Forwarded as sent: only its usage is read, without decoding the whole answer unless it has none.
                meter.reported(target.upstream().codec().usageOf(bytes));
                if (meter.usage() == null) {
                    meter.produced(target.upstream().codec().decodeResponse(bytes));
                }
                out = answer;
            } else {
                ChatResponse decoded = target.upstream().codec().decodeResponse(bytes);
                meter.produced(decoded);
                out = Buffer.buffer(clientCodec.encodeResponse(decoded, chat));
            }
        } catch (CodecException | IllegalArgumentException e) {
            attemptFailed(
                    Outcome.FAILED,
                    -1,
                    ApiError.of(ErrorKind.BAD_GATEWAY, "the upstream provider returned a malformed response"),
                    "malformed answer");
            return;
        }
        upstreamNanos += System.nanoTime() - attemptStartNanos;
        releaseKey(Outcome.SUCCESS, meter.charge(true), -1, null);
        answer(out);
    }

    private void answer(Buffer json) {
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        response.end(json);
        complete(200, "success");
    }

    // ---- what StreamRelay needs ----------------------------------------------------------------------

    HttpServerResponse response() {
        return response;
    }

    Vertx vertx() {
        return loop.vertx();
    }

    ClientCodec clientCodec() {
        return clientCodec;
    }

    ChatRequest chat() {
        return chat;
    }

    Target target() {
        return target;
    }

    boolean passthroughNow() {
        return passthrough(target);
    }

    boolean finished() {
        return finished;
    }

    /** True when the gateway asked for the stream's usage on its own account: the client must not see it. */
    boolean usageUnasked() {
        return asksForUsage(target);
    }

    TokenMeter meter() {
        return meter;
    }

    /** The stream ended, well or by the provider's fault, after bytes reached the client. */
    void streamEnded(Ending ending, String reason) {
        upstreamNanos += System.nanoTime() - attemptStartNanos;
        releaseKey(ending.keyOutcome, meter.charge(ending == Ending.ANSWERED), -1, reason);
        complete(ending.status, ending.outcome);
    }

    // ---- endings -------------------------------------------------------------------------------------

    /**
     * @param charged tokens to settle to, or -1 for the estimate; a call never sent settles to none, since
     *                the provider never saw it (DESIGN.md 4)
     */
    private void releaseKey(Outcome outcome, long charged, long retryAfterMillis, String reason) {
        if (permit != null) {
            long settled = !sent ? 0 : charged >= 0 ? charged : permit.estimatedTokens();
            if (sent) {
                clientCharge = settled;
            }
            long latencyMillis = (System.nanoTime() - attemptStartNanos) / 1_000_000;
            services.leases().release(permit, permitArrived, settled, outcome, latencyMillis, retryAfterMillis, reason);
            permit = null;
        }
    }

    private void onClientGone() {
        if (!response.ended()) {
            cut(Ending.CLIENT_GONE);
        }
    }

    /**
     * The node's drain timeout ran out with this exchange still running: the client hears it in its own
     * protocol (an error event ends a stream, a 503 answers a call still waiting) and the key is not blamed.
     */
    public void drain() {
        cut(Ending.DRAINED);
    }

    /**
     * Ends the exchange from outside the provider. Marked finished first: cutting the upstream call makes it
     * fail or break, and no callback of it may then count against the key.
     */
    private void cut(Ending ending) {
        if (finished) {
            return;
        }
        finished = true;
        if (permit != null) {
            upstreamNanos += System.nanoTime() - attemptStartNanos;
            releaseKey(Outcome.NEUTRAL, meter.charge(false), -1, null);
        }
        boolean drained = ending == Ending.DRAINED;
        boolean told = relay != null && relay.cut(drained ? SHUTTING_DOWN : null);
        if (drained && !told && !response.headWritten()) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
            ClientErrors.send(response, clientCodec, SHUTTING_DOWN);
        }
        if (upstreamRequest != null) {
            upstreamRequest.reset();
        }
        record(ending.status, ending.outcome);
    }

    private void fail(ApiError error) {
        if (finished) {
            return;
        }
        releaseKey(Outcome.NEUTRAL, -1, -1, null);
        ClientErrors.send(response, clientCodec, error);
        complete(error.status(), outcomeOf(error));
    }

    private static String outcomeOf(ApiError error) {
        return switch (error.kind()) {
            case RATE_LIMIT -> "rate_limited";
            case AUTHENTICATION, PERMISSION -> "unauthorized";
            case INVALID_REQUEST, NOT_FOUND, REQUEST_TOO_LARGE -> "client_error";
            default -> "upstream_error";
        };
    }

    private void complete(int status, String outcome) {
        if (finished) {
            return;
        }
        finished = true;
        record(status, outcome);
    }

    /** Settles the client key and tells the observer; once, after {@link #finished} was set. */
    private void record(int status, String outcome) {
        services.inFlight().decrementAndGet();
        loop.exchanges().remove(this);
        if (clientPermit != null) {
            // A request that never reached a provider gives its estimate back.
            services.leases().release(clientPermit, false, clientCharge, Outcome.NEUTRAL, 0, -1, null);
            clientPermit = null;
        }
        Usage usage = meter == null ? null : meter.usage();
        Cost cost = costOfLastCall();
        services.observer()
                .completed(new RequestRecord(
                        requestId,
                        protocol.label(),
                        clientKey == null ? null : clientKey.name(),
                        clientKey == null ? null : clientKey.team(),
                        route == null ? null : route.name(),
                        target == null ? null : target.upstream().id(),
                        key == null ? null : key.id(),
                        key == null ? null : key.fingerprint(),
                        status,
                        outcome,
                        attempts,
                        chat != null && chat.stream(),
                        usage,
                        System.nanoTime() - startNanos,
                        upstreamNanos,
                        firstByteNanos,
                        queueNanos,
                        droppedTools,
                        cost));
    }

    /** What the last call that reached a provider cost at its target's price; nothing when none answered. */
    private Cost costOfLastCall() {
        Usage billable = meter == null || target == null ? null : meter.billable();
        if (billable == null) {
            return Cost.NONE;
        }
        return services.prices()
                .lookup(route.name(), target.upstream().id(), target.model())
                .cost(billable, meter.billableIsEstimate());
    }

    static ApiError errorOf(Throwable t) {
        if (t instanceof CodecException ce) {
            return ce.error();
        }
        return ApiError.of(ErrorKind.SERVER_ERROR, "the gateway failed to handle the request");
    }

    private static String describe(Throwable t) {
        String name = t.getClass().getSimpleName();
        return t.getMessage() == null ? name : name + ": " + t.getMessage();
    }
}
