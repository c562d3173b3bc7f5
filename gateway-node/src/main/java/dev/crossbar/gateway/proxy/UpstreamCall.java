package dev.crossbar.gateway.proxy;

import dev.crossbar.cluster.lease.Permit;
import dev.crossbar.cluster.ledger.Outcome;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.spi.UpstreamError;
import dev.crossbar.gateway.keys.SharedPermit;
import dev.crossbar.gateway.routing.Target;
import dev.crossbar.gateway.upstream.ErrorVerdict;
import dev.crossbar.gateway.upstream.ProviderAnswer;
import dev.crossbar.gateway.upstream.ProviderCall;
import dev.crossbar.gateway.upstream.ProviderKey;
import dev.crossbar.gateway.upstream.RateLimitHeaders;
import dev.crossbar.gateway.upstream.Upstream;
import dev.crossbar.gateway.upstream.auth.CredentialException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One attempt at a call (DESIGN.md 2): sends the prepared request to the target with the key, waits for the
 * answer's head, and says what the answer is: a stream to relay, a whole body, an error another key or target
 * may do better on (read in the provider's words by {@link ErrorVerdict}), a cloud's refusal of its access token
 * (worth one more try with a new one), or one the client hears. Holds what
 * settlement needs of the attempt: the permit, whether the call was sent and answered, when it started, and
 * the meter of what came back. On its exchange's event loop.
 *
 * <p>The call is a deadline on its loop ({@link LoopDeadlines}): it must have its answer's head within the
 * provider's timeout ({@link Upstream#answerTimeoutMillis}) and then, for a whole answer, its body within the same
 * time again; otherwise it is reset and the attempt fails over. A stream's silence after its head is {@link
 * StreamRelay}'s to watch.
 */
final class UpstreamCall extends LoopDeadlines.Entry {

    /** What the provider answered. */
    sealed interface Answer permits Streaming, Whole, FailOver, TokenRefused, Rejected {}

    /** A 2xx stream: its head; the relay reads the body. */
    record Streaming(ProviderAnswer response) implements Answer {}

    /** A whole 2xx body. */
    record Whole(Buffer body) implements Answer {}

    /**
     * Nothing reached the client and another key or target may do better.
     *
     * @param keyOutcome       what the key's health records
     * @param retryAfterMillis the provider's stated delay, or -1
     * @param error            what the client hears if no other attempt serves
     * @param reason           words for the cooldown and the retry metric
     */
    record FailOver(
            Outcome keyOutcome,
            long retryAfterMillis,
            ApiError error,
            @Nullable String reason) implements Answer {}

    /**
     * A cloud answered 401 to the access token the call carried (revoked, or its lifetime cut short), not
     * necessarily to the key: the token is dropped and the same key may go once more with a new one; the token
     * endpoint judges the credential itself.
     *
     * @param error what the client hears if no other attempt serves
     */
    record TokenRefused(ApiError error) implements Answer {}

    /** The request itself is at fault: the client hears the provider's answer and the key is not blamed. */
    record Rejected(ApiError error) implements Answer {}

    private final Target target;
    private final ProviderKey key;
    private final Permit permit;
    private final List<SharedPermit> shared;
    private final Translation.Prepared prepared;
    private final TokenMeter meter;
    private final boolean mayRenewToken;
    private final long startNanos = System.nanoTime();

    /** The options the call went with once its credential was on: a 401 names the token it refused. */
    private @Nullable RequestOptions options;

    private @Nullable ProviderCall call;
    private boolean arrived;
    private boolean settled;
    private long firstByteNanos = -1;
    private @Nullable LoopDeadlines deadlines;
    private long timeoutMillis;
    /** Why the call was cut off at its deadline, if it was: the reset's own exception does not say. */
    private @Nullable String timedOut;

    /**
     * @param prepared      the request for the target, its model named as the target's provider knows it ({@link
     *                      Upstream#wireModel})
     * @param mayRenewToken true when a refused access token may be answered {@link TokenRefused} (once per call)
     */
    UpstreamCall(
            Target target,
            ProviderKey key,
            Permit permit,
            List<SharedPermit> shared,
            Translation.Prepared prepared,
            TokenMeter meter,
            boolean mayRenewToken) {
        this.target = target;
        this.key = key;
        this.permit = permit;
        this.shared = List.copyOf(shared);
        this.prepared = prepared;
        this.meter = meter;
        this.mayRenewToken = mayRenewToken;
    }

    /**
     * Sends the call; never fails. Nothing is sent once {@code ended} says the exchange is over, and an answer
     * that comes after is cut off: the future then never completes.
     *
     * @param loop   the exchange's loop: its client for the provider, and its deadlines for the call's timeout
     * @param onHead told of the answer's head before anything else is done with it
     */
    Future<Answer> send(LoopResources loop, BooleanSupplier ended, Consumer<ProviderAnswer> onHead) {
        Upstream upstream = target.upstream();
        String path = prepared.request().path();
        byte[] body = upstream.body(path, prepared.request().body());
        timeoutMillis = upstream.answerTimeoutMillis(prepared.request().stream());
        LoopDeadlines deadlines = loop.callDeadlines(timeoutMillis);
        this.deadlines = deadlines;
        // A cloud's credential may need an access token first: the options come once it is had.
        return upstream.request(path, prepared.model(), key, prepared.request().stream(), body)
                .compose(withCredential -> {
                    if (ended.getAsBoolean()) {
                        return Future.failedFuture("the exchange ended before the call was sent");
                    }
                    options = withCredential;
                    ProviderCall made = loop.clients().send(upstream.id(), withCredential, body);
                    call = made;
                    deadlines.add(this, timeoutMillis);
                    return made.answer();
                })
                .transform(ar -> {
                    deadlines.drop(this);
                    if (ended.getAsBoolean()) {
                        if (ar.succeeded()) {
                            ar.result().reset();
                        }
                        return Promise.<Answer>promise().future();
                    }
                    if (ar.failed() && ar.cause() instanceof CredentialException noToken) {
                        return Future.succeededFuture(new FailOver(
                                noToken.refused() ? Outcome.REJECTED : Outcome.FAILED,
                                -1,
                                ApiError.of(ErrorKind.BAD_GATEWAY, "no access token could be had for the provider"),
                                noToken.getMessage()));
                    }
                    if (ar.failed()) {
                        return Future.succeededFuture(new FailOver(
                                Outcome.FAILED,
                                -1,
                                ApiError.of(ErrorKind.BAD_GATEWAY, "the upstream provider could not be reached"),
                                failure(ar.cause())));
                    }
                    ProviderAnswer response = ar.result();
                    firstByteNanos = System.nanoTime() - startNanos;
                    arrived = true;
                    onHead.accept(response);
                    return classify(response);
                });
    }

    /** No answer, or no whole body, within the timeout: the call is cut off and its future fails. */
    @Override
    void expired() {
        ProviderCall made = call;
        if (made != null) {
            timedOut = (arrived ? "no whole answer within " : "no answer within ") + timeoutMillis + " ms";
            made.reset(new TimeoutException(timedOut));
        }
    }

    /** The body of an answer whose head came: within the timeout again, or the call is cut off. */
    private Future<Buffer> body(ProviderAnswer response) {
        LoopDeadlines loopDeadlines = Objects.requireNonNull(deadlines, "sent, so it has its loop's deadlines");
        loopDeadlines.add(this, timeoutMillis);
        return AnswerBody.read(response).andThen(ar -> loopDeadlines.drop(this));
    }

    private Future<Answer> classify(ProviderAnswer response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            if (prepared.request().stream()) {
                return Future.succeededFuture(new Streaming(response));
            }
            return body(response)
                    .transform(ar -> Future.succeededFuture(
                            ar.succeeded()
                                    ? new Whole(ar.result())
                                    : new FailOver(
                                            Outcome.FAILED,
                                            -1,
                                            ApiError.of(
                                                    ErrorKind.BAD_GATEWAY,
                                                    "the upstream provider broke off its answer"),
                                            failure(ar.cause()))));
        }
        return body(response).transform(ar -> {
            byte[] errorBody = ar.succeeded() ? ar.result().getBytes() : new byte[0];
            UpstreamError decoded = target.upstream().codec().decodeError(status, errorBody, response.headers()::get);
            ErrorVerdict verdict = ErrorVerdict.of(
                    decoded,
                    RateLimitHeaders.retryAfterMillis(response.headers(), System.currentTimeMillis()),
                    target.upstream().id());
            if (status == 401
                    && mayRenewToken
                    && target.upstream()
                            .refused(
                                    Objects.requireNonNull(
                                            options, "an answer came, so the request went with its options"),
                                    key)) {
                return Future.succeededFuture(new TokenRefused(verdict.clientError()));
            }
            return Future.succeededFuture(
                    verdict.failOver()
                            ? new FailOver(
                                    verdict.keyOutcome(),
                                    verdict.retryAfterMillis(),
                                    verdict.clientError(),
                                    verdict.reason())
                            : new Rejected(verdict.clientError()));
        });
    }

    /** Cuts the call off, if it was sent. */
    void reset() {
        if (deadlines != null) {
            deadlines.drop(this);
        }
        if (call != null) {
            call.reset(new CancellationException("the exchange cut the call off"));
        }
    }

    Target target() {
        return target;
    }

    ProviderKey key() {
        return key;
    }

    Permit permit() {
        return permit;
    }

    /** The call's permits on the shared buckets it draws from. */
    List<SharedPermit> shared() {
        return shared;
    }

    Translation.Prepared prepared() {
        return prepared;
    }

    TokenMeter meter() {
        return meter;
    }

    long startNanos() {
        return startNanos;
    }

    /** Time from sending to the answer's head, or -1 before it came. */
    long firstByteNanos() {
        return firstByteNanos;
    }

    /** True once the request went to the provider: only then can it have cost anything. */
    boolean sent() {
        return call != null && call.sent();
    }

    /** True once the provider answered: it has certainly counted the call. */
    boolean arrived() {
        return arrived;
    }

    /** Marks the permit settled; true the first time only. */
    boolean settle() {
        if (settled) {
            return false;
        }
        settled = true;
        return true;
    }

    /** The reason a failed call gives the cooldown and the retry metric. */
    private String failure(Throwable t) {
        return timedOut != null ? "TimeoutException: " + timedOut : describe(t);
    }

    private static String describe(Throwable t) {
        String name = t.getClass().getSimpleName();
        return t.getMessage() == null ? name : name + ": " + t.getMessage();
    }
}
