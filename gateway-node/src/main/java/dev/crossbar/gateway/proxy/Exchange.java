package dev.crossbar.gateway.proxy;

import dev.crossbar.cluster.lease.Permit;
import dev.crossbar.cluster.ledger.Outcome;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.gateway.auth.ClientKey;
import dev.crossbar.gateway.keys.SharedPermit;
import dev.crossbar.gateway.pricing.Budgets;
import dev.crossbar.gateway.upstream.ProviderAnswer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One request from first byte to last, as a sequence of phases with immutable hand-offs (DESIGN.md 2):
 * {@link Intake} makes the {@link Call}; {@link ClientLimit} admits it on the client key's own limits and
 * {@link BudgetGate} reserves its most on the budgets;
 * {@link Attempts} finds a target and a key ({@link Translation} says which targets can take it); an {@link
 * UpstreamCall} sends it and classifies the answer; {@link WholeAnswer} or a {@link StreamRelay} gives it to the
 * client; {@link Settlement} releases, charges and records. This class only sequences them, and ends the
 * exchange once, whichever way it ends: answered, refused, failed over to nothing, or cut by the client's
 * leaving or the node's drain. Lives on one event loop; not thread-safe.
 */
public final class Exchange {

    private static final ApiError SHUTTING_DOWN =
            ApiError.of(ErrorKind.OVERLOADED, "this gateway node is shutting down; retry the request");

    private final Pipeline pipeline;
    private final LoopResources loop;
    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final ClientRequest asked;
    private final ClientKey clientKey;
    private final String requestId;
    private final long startNanos = System.nanoTime();
    private final Settlement settlement;

    private Call call;
    private Translation translation;
    /** When what the client codec keeps of the answer is kept: the answer waits for it. */
    private Supplier<Future<Void>> kept;

    private Attempts attempts;
    private @Nullable UpstreamCall current;
    private @Nullable StreamRelay relay;
    private @Nullable String droppedTools;
    private @Nullable String droppedFields;
    /** A cloud refused an access token once already: a second refusal blames the key. */
    private boolean tokenRenewed;
    /** Set once, before anything else happens on the way out: every callback of a phase checks it. */
    private boolean finished;

    @SuppressWarnings("NullAway.Init") // call, translation, kept and attempts are set by onIntake, before any use
    Exchange(
            Pipeline pipeline,
            LoopResources loop,
            HttpServerRequest request,
            ClientRequest asked,
            ClientKey clientKey,
            String requestId) {
        this.pipeline = pipeline;
        this.loop = loop;
        this.request = request;
        this.response = request.response();
        this.asked = asked;
        this.clientKey = clientKey;
        this.requestId = requestId;
        this.settlement = new Settlement(
                pipeline.leases,
                pipeline.observer,
                pipeline.prices,
                pipeline.budgets,
                requestId,
                asked.codec().protocol().label(),
                clientKey.name(),
                clientKey.team(),
                startNanos);
    }

    void start() {
        pipeline.traffic.entered();
        loop.exchanges().add(this);
        response.closeHandler(v -> onClientGone());
        response.putHeader("x-request-id", requestId);
        ClientRateLimitHeaders.add(response, asked.codec().protocol(), pipeline.ledger, clientKey.ledgerId());
        BudgetHeaders.add(response, pipeline.budgets, clientKey);
        pipeline.intake.read(loop, request).onComplete(read -> {
            if (read.failed()) {
                ConnectionEnds.closeAfter(request);
                fail(errorOf(read.cause()));
                pipeline.intake.discardRest(loop.vertx(), request);
                return;
            }
            pipeline.intake
                    .admit(read.result(), asked, clientKey, requestId, startNanos)
                    .onComplete(admitted -> {
                        if (admitted.succeeded()) {
                            onIntake(admitted.result());
                        } else {
                            fail(errorOf(admitted.cause()));
                        }
                    });
        });
    }

    private void onIntake(Intake.Result result) {
        if (result instanceof Intake.Refused refused) {
            settlement.asked(refused.model(), refused.stream());
            fail(refused.error());
            return;
        }
        if (result instanceof Intake.Answered answered) {
            settlement.asked(answered.model(), false);
            answer(Buffer.buffer(answered.body()));
            return;
        }
        Intake.Admitted admitted = (Intake.Admitted) result;
        call = admitted.call();
        settlement.asked(call.route().name(), call.facts().stream());
        translation = new Translation(call, admitted.tree(), pipeline.fieldPolicy);
        kept = admitted.kept();
        long stickiness = pipeline.pool.usesStickiness() ? stickiness() : 0;
        attempts = new Attempts(
                call,
                translation,
                (keys, model, tokens, exclude) ->
                        pipeline.pool.acquire(keys, model, tokens, stickiness, exclude, loop.context()),
                loop.queue(call.route().name()),
                pipeline.routing,
                pipeline.observer,
                () -> finished);
        pipeline.clientLimit
                .admit(clientKey, call.estimatedTokens(), loop.context())
                .onComplete(ar -> onClientLimit(ar.result()));
    }

    private void onClientLimit(ClientLimit.Result result) {
        if (result instanceof ClientLimit.Refused refused) {
            fail(refused.error());
            return;
        }
        Permit permit = ((ClientLimit.Admitted) result).permit();
        if (finished) {
            if (permit != null) {
                // The client left while its key's permit was on the way: nothing was sent.
                settlement.unused(permit);
            }
            return;
        }
        settlement.clientAdmitted(permit);
        pipeline.budgetGate.reserve(call, loop.context()).onComplete(ar -> onBudget(ar.result()));
    }

    private void onBudget(BudgetGate.Result result) {
        if (result instanceof BudgetGate.Refused refused) {
            fail(refused.error());
            return;
        }
        Budgets.Held held = ((BudgetGate.Admitted) result).held();
        if (finished) {
            // The client left while the reservation was on the way: nothing was spent.
            settlement.unused(held);
            return;
        }
        settlement.budgetHeld(held);
        nextAttempt();
    }

    private void nextAttempt() {
        if (finished) {
            return;
        }
        attempts.next().onComplete(ar -> {
            if (ar.failed()) {
                fail(errorOf(ar.cause()));
            } else if (ar.result() instanceof Attempts.Granted granted) {
                if (finished) {
                    settlement.unused(granted);
                } else {
                    send(granted);
                }
            } else {
                fail(((Attempts.Refused) ar.result()).error());
            }
        });
    }

    private void send(Attempts.Granted granted) {
        Translation.Prepared prepared;
        try {
            prepared = translation.prepare(granted.target());
        } catch (CodecException e) {
            settlement.unused(granted);
            if (call.passesThrough(granted.target())) {
                fail(e.error());
            } else {
                attempts.cannotCarry(granted.target(), e.error());
                nextAttempt();
            }
            return;
        }
        noteDroppedTools(prepared.droppedTools());
        noteDroppedFields(prepared.droppedFields());
        UpstreamCall attempt = new UpstreamCall(
                granted.target(),
                granted.key(),
                granted.permit(),
                granted.shared(),
                prepared,
                new TokenMeter(
                        call.estimatedTokens(),
                        call.inputEstimate(),
                        call.reservedOutput(),
                        granted.target().upstream().type().countsCacheReadsAgainstLimits()),
                !tokenRenewed);
        current = attempt;
        relay = null;
        settlement.attempting(attempt);
        attempt.send(loop, () -> finished, head -> onHead(attempt, head)).onComplete(ar -> {
            if (!finished) {
                onAnswer(attempt, ar.result());
            }
        });
    }

    /**
     * A translated call goes without the built-in tools its target cannot run: the client hears which in a
     * header, the access log records them. A call that gets them (its body unchanged) clears the note.
     */
    private void noteDroppedTools(@Nullable String dropped) {
        if (dropped != null) {
            response.putHeader(BuiltinTools.HEADER, dropped);
        } else if (droppedTools != null) {
            response.headers().remove(BuiltinTools.HEADER);
        }
        droppedTools = dropped;
    }

    /** The same for the fields the field policy took out of a body passed through. */
    private void noteDroppedFields(@Nullable String dropped) {
        if (dropped != null) {
            response.putHeader(FieldPolicy.HEADER, dropped);
        } else if (droppedFields != null) {
            response.headers().remove(FieldPolicy.HEADER);
        }
        droppedFields = dropped;
    }

    private void onHead(UpstreamCall attempt, ProviderAnswer head) {
        pipeline.leases.arrived(attempt.permit());
        for (SharedPermit shared : attempt.shared()) {
            pipeline.leases.arrived(shared.permit());
        }
        settlement.answered(attempt);
        pipeline.pool.buckets().learn(pipeline.learner, attempt.key().id(), attempt.shared(), head.headers());
    }

    private void onAnswer(UpstreamCall attempt, UpstreamCall.Answer answer) {
        if (answer instanceof UpstreamCall.Streaming streaming) {
            relay = new StreamRelay(
                    loop.vertx(),
                    response,
                    streaming.response(),
                    attempt,
                    call.codec().streamEncoder(translation.forEncoder()),
                    kept);
            relay.start().onComplete(end -> {
                if (!finished) {
                    onStreamEnd(attempt, end.result());
                }
            });
        } else if (answer instanceof UpstreamCall.Whole whole) {
            onWholeAnswer(attempt, whole.body());
        } else if (answer instanceof UpstreamCall.TokenRefused refused) {
            tokenRenewed = true;
            settlement.releaseKey(Outcome.NEUTRAL, -1, -1, null);
            attempts.tokenRefused(attempt.target(), attempt.key(), refused.error());
            nextAttempt();
        } else if (answer instanceof UpstreamCall.FailOver failOver) {
            attemptFailed(
                    attempt, failOver.keyOutcome(), failOver.retryAfterMillis(), failOver.error(), failOver.reason());
        } else {
            settlement.releaseKey(Outcome.NEUTRAL, -1, -1, null);
            fail(((UpstreamCall.Rejected) answer).error());
        }
    }

    private void onWholeAnswer(UpstreamCall attempt, Buffer body) {
        WholeAnswer.Result result = WholeAnswer.read(call, attempt, translation, body);
        if (result instanceof WholeAnswer.Relayed relayed) {
            settlement.releaseKey(Outcome.SUCCESS, relayed.charge(), -1, null);
            kept.get().onComplete(done -> {
                if (!finished) {
                    answer(relayed.body());
                }
            });
        } else {
            attemptFailed(
                    attempt,
                    Outcome.FAILED,
                    -1,
                    ApiError.of(ErrorKind.BAD_GATEWAY, "the upstream provider returned a malformed response"),
                    "malformed answer");
        }
    }

    private void onStreamEnd(UpstreamCall attempt, StreamRelay.End end) {
        if (end instanceof StreamRelay.Retry retry) {
            attemptFailed(attempt, Outcome.FAILED, -1, retry.error(), retry.reason());
            return;
        }
        Ending ending = ((StreamRelay.Ended) end).ending();
        settlement.releaseKey(
                ending.keyOutcome,
                attempt.meter().charge(ending == Ending.ANSWERED),
                -1,
                ((StreamRelay.Ended) end).reason());
        complete(ending.status, ending.outcome);
    }

    /** The attempt failed before any byte reached the client: note it on the key and try elsewhere. */
    private void attemptFailed(
            UpstreamCall attempt, Outcome outcome, long retryAfterMillis, ApiError error, @Nullable String reason) {
        settlement.releaseKey(outcome, -1, retryAfterMillis, reason);
        attempts.failed(attempt.target(), attempt.key(), error, reason);
        nextAttempt();
    }

    private void answer(Buffer json) {
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        response.end(json);
        complete(200, "success");
    }

    // ---- endings -------------------------------------------------------------------------------------

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
        if (current != null) {
            settlement.cut(current.meter().charge(false));
        }
        boolean drained = ending == Ending.DRAINED;
        boolean told = relay != null && relay.cut(drained ? SHUTTING_DOWN : null);
        if (drained && !told && !response.headWritten()) {
            ConnectionEnds.sendElsewhere(request);
            ClientErrors.send(response, asked.codec(), SHUTTING_DOWN);
        }
        if (current != null) {
            current.reset();
        }
        record(ending.status, ending.outcome);
    }

    private void fail(ApiError error) {
        if (finished) {
            return;
        }
        settlement.releaseKey(Outcome.NEUTRAL, -1, -1, null);
        ClientErrors.send(response, asked.codec(), error);
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

    /**
     * Settles the client key and tells the observer; once, after {@link #finished} was set. The exchange leaves the
     * node's traffic count last, so one counted as gone has been charged and logged.
     */
    private void record(int status, String outcome) {
        loop.exchanges().remove(this);
        try {
            settlement.record(
                    status,
                    outcome,
                    attempts == null ? 0 : attempts.count(),
                    attempts == null ? 0 : attempts.queueNanos(),
                    droppedTools,
                    droppedFields);
        } finally {
            pipeline.traffic.left();
        }
    }

    /**
     * What keeps a conversation on one key under the sticky strategy: the client's session header, else the bytes
     * of its first two turns, found without decoding the body.
     */
    private long stickiness() {
        String session = request.getHeader("x-crossbar-session");
        if (session != null) {
            return session.hashCode();
        }
        return ConversationOpening.of(call.protocol(), call.body());
    }

    static ApiError errorOf(Throwable t) {
        if (t instanceof CodecException ce) {
            return ce.error();
        }
        return ApiError.of(ErrorKind.SERVER_ERROR, "the gateway failed to handle the request");
    }
}
