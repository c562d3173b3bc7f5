package dev.crossbar.mock;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the three protocol mocks share: the path of a chargeable request through auth, admission,
 * fault injection and delivery. Subclasses parse their protocol and render its bodies, headers and
 * error shapes.
 */
abstract class ProviderMock {

    /** How long after a stream's first events an echoing key's error event follows. */
    private static final long ECHO_ERROR_DELAY_MS = 100;

    protected final KeyRegistry keys;
    protected final RuntimeFaults faults;
    protected final Delivery delivery;
    protected final Ids ids;
    /** How a cloud that serves this protocol names the key, or null for the vendor's own auth. */
    private final CloudCredentials cloud;

    ProviderMock(KeyRegistry keys, RuntimeFaults faults, Delivery delivery, Ids ids) {
        this(keys, faults, delivery, ids, null);
    }

    ProviderMock(KeyRegistry keys, RuntimeFaults faults, Delivery delivery, Ids ids, CloudCredentials cloud) {
        this.cloud = cloud;
        this.keys = keys;
        this.faults = faults;
        this.delivery = delivery;
        this.ids = ids;
    }

    /** {@code openai}, {@code anthropic} or {@code gemini}. */
    abstract String provider();

    /** Handles a request to one of this protocol's paths, its body read in full. */
    abstract void handle(HttpServerRequest req, Buffer body);

    /** The key the request carries, or null. */
    abstract String keyOf(HttpServerRequest req);

    abstract int status(ErrorKind kind);

    /** The provider's own words for a key it does not accept. */
    abstract String badKeyMessage();

    /** The provider's own words for an account without money. */
    abstract String noCreditMessage();

    /** The error body in this protocol's shape; {@code cause} is set for 429s only. */
    abstract String errorBody(ErrorKind kind, String message, LimitCause cause, long retryAfterMicros);

    /** Headers on every response, such as a request id (none by default). */
    void commonHeaders(HttpServerResponse resp) {}

    /** Rate-limit headers of this protocol (none by default). */
    void limitHeaders(HttpServerResponse resp, LimitSnapshot limits) {}

    /** Headers of every error of this protocol, such as its type (none by default). */
    void errorHeaders(HttpServerResponse resp, ErrorKind kind) {}

    /** Retry headers of a 429 (none by default). */
    void retryHeaders(HttpServerResponse resp, long retryAfterMicros) {}

    /** The key's state, or null after answering 401. */
    final KeyState authorize(HttpServerRequest req) {
        KeyState key = cloud == null
                ? keys.authorize(keyOf(req), provider(), faults)
                : keys.authorize(cloud.keyOf(req), cloud.provider(), faults);
        if (key == null) {
            sendError(req, ErrorKind.UNAUTHORIZED, badKeyMessage(), null, 0, null);
        }
        return key;
    }

    /** The body as JSON, or null after answering 400. */
    final JsonNode parse(HttpServerRequest req, KeyState key, Buffer body) {
        try {
            JsonNode json = Json.MAPPER.readTree(body.getBytes());
            if (json != null && json.isObject()) {
                return json;
            }
        } catch (IOException e) {
            // answered below
        }
        badRequest(req, key, "The request body is not a JSON object");
        return null;
    }

    final void badRequest(HttpServerRequest req, KeyState key, String message) {
        key.countBadRequest();
        sendError(req, ErrorKind.BAD_REQUEST, message, null, 0, key.limits(keys.nowMicros()));
    }

    final void notFound(HttpServerRequest req) {
        sendError(req, ErrorKind.NOT_FOUND, "Unknown path " + req.method() + " " + req.path(), null, 0, null);
    }

    /** The plan that applies to {@code key}'s requests now. */
    final FaultPlan planFor(KeyState key) {
        return faults.scheduleFor(key.key().secret()).plan();
    }

    /**
     * Admits a request costing {@code cost} (as {@link KeyRegistry#billing} charges it) and answers it: a
     * 429 if over a limit, an injected error or damaged body if the key's schedule deals one, else
     * {@code render}'s body, carrying the request's {@value Rendering#EXTRA} back when it has one.
     */
    final void serve(
            HttpServerRequest req, JsonNode request, KeyState key, TokenCost cost, Supplier<Rendering> answer) {
        JsonNode extra = request.get(Rendering.EXTRA);
        Supplier<Rendering> render = extra == null ? answer : () -> answer.get().withExtra(Json.write(extra));
        if (faults.isOutOfCredit(key.key().secret())) {
            // Providers refuse before they count anything against the key's limits.
            key.countInjected(Fault.NO_CREDIT);
            sendError(req, ErrorKind.NO_CREDIT, noCreditMessage(), null, 0, null);
            return;
        }
        if (faults.echoesKey(key.key().secret())) {
            echoKey(req, key, render.get());
            return;
        }
        FaultSchedule schedule = faults.scheduleFor(key.key().secret());
        Billing billing = keys.billing();
        Admission admission = key.admit(cost.atAdmission(billing), keys.nowMicros());
        if (admission instanceof Admission.Denied d) {
            String message = "Rate limit reached for " + d.cause().jsonName() + " on this key";
            sendError(req, ErrorKind.RATE_LIMITED, message, d.cause(), d.retryAfterMicros(), d.limits());
            return;
        }
        Lease lease = ((Admission.Granted) admission).lease();
        GroupBuckets.Taken fromGroups = GroupBuckets.Taken.NOTHING;
        if (!keys.groups().isEmpty()) {
            List<GroupBuckets.Taken> taken = new ArrayList<>(1);
            long charged = cost.atAdmission(billing);
            GroupBuckets.Refusal refusal = keys.groups()
                    .admit(
                            key.key().secret(),
                            request.path("model").asText(null),
                            Math.min(cost.input(), charged),
                            Math.max(0, charged - cost.input()),
                            keys.nowMicros(),
                            taken);
            if (refusal != null) {
                lease.refund();
                lease.release();
                String message = "Rate limit reached for " + refusal.cause().jsonName() + " on " + refusal.bucket();
                sendError(
                        req,
                        ErrorKind.RATE_LIMITED,
                        message,
                        refusal.cause(),
                        refusal.retryAfterMicros(),
                        refusal.limits());
                return;
            }
            fromGroups = taken.get(0);
        }
        HttpServerResponse resp = req.response();
        long[] bodyBytes = {0};
        Runnable ended = () -> {
            if (billing == Billing.PRODUCED && bodyBytes[0] > 0) {
                lease.settle(cost.produced((double) resp.bytesWritten() / bodyBytes[0]));
            }
            lease.release();
        };
        resp.closeHandler(v -> ended.run());
        resp.endHandler(v -> ended.run());
        if (resp.closed()) {
            lease.release();
            return;
        }
        FaultPlan plan = schedule.plan();
        Fault fault = schedule.next();
        if (fault != Fault.NONE) {
            key.countInjected(fault);
        }
        if (fault.isErrorReply()) {
            lease.refund();
            keys.groups().refund(fromGroups);
            LimitSnapshot limits = key.limits(keys.nowMicros());
            delivery.later(plan.ttfbMs(), () -> injectError(req, fault, plan, limits));
            return;
        }
        commonHeaders(resp);
        LimitSnapshot shared = keys.groups().limits(fromGroups, keys.nowMicros());
        limitHeaders(resp, shared == null ? admission.limits() : shared);
        Rendering rendering = render.get();
        if (billing == Billing.PRODUCED) {
            bodyBytes[0] = rendering.bytes(rendering.joined()).length();
        }
        delivery.deliver(req, plan, fault, rendering, key::countServed);
    }

    /**
     * An error that quotes the key back, as providers ("Incorrect API key provided: sk-ab***wxyz") and
     * self-hosted servers do: a plain request gets a 400 with it, a stream begins and then breaks off with it.
     */
    private void echoKey(HttpServerRequest req, KeyState key, Rendering rendering) {
        String message = echoMessage(key.key().secret());
        if (!rendering.stream()) {
            sendError(req, ErrorKind.BAD_REQUEST, message, null, 0, null);
            return;
        }
        HttpServerResponse resp = req.response();
        commonHeaders(resp);
        resp.setStatusCode(200).setChunked(true).putHeader("content-type", Rendering.SSE);
        key.countServed();
        List<String> parts = rendering.parts();
        resp.write(rendering.bytes(String.join("", parts.subList(0, Math.max(1, parts.size() - 2)))));
        // The answer without its end, then apart: the error comes after the stream has reached the client.
        delivery.later(ECHO_ERROR_DELAY_MS, () -> {
            if (!resp.closed() && !resp.ended()) {
                resp.end(rendering.bytes(streamErrorEvent(message)));
            }
        });
    }

    static String echoMessage(String secret) {
        int edge = Math.min(8, secret.length() / 3);
        String masked = secret.substring(0, edge) + "****************" + secret.substring(secret.length() - edge / 2);
        return "Incorrect API key provided: " + masked + ". The request sent with key '" + secret
                + "' (Bearer " + secret + ") for organization org-M0ckOrg4nisation01 in project "
                + "proj_M0ckPr0ject000001 was refused.";
    }

    /** This protocol's mid-stream error event carrying {@code message}, terminator included (one char a byte for
     * an event stream). */
    String streamErrorEvent(String message) {
        return "data: " + errorBody(ErrorKind.SERVER_ERROR, message, null, 0) + "\n\n";
    }

    private void injectError(HttpServerRequest req, Fault fault, FaultPlan plan, LimitSnapshot limits) {
        switch (fault) {
            case RATE_LIMITED ->
                sendError(
                        req,
                        ErrorKind.RATE_LIMITED,
                        "Rate limit reached (injected)",
                        LimitCause.INJECTED,
                        plan.rateLimitRetryAfterMs() * 1000,
                        limits);
            case OVERLOADED -> sendError(req, ErrorKind.OVERLOADED, "Overloaded (injected)", null, 0, limits);
            default -> sendError(req, ErrorKind.SERVER_ERROR, "Internal server error (injected)", null, 0, limits);
        }
    }

    /** Answers with this protocol's error; {@code limits} may be null (no rate-limit headers). */
    final void sendError(
            HttpServerRequest req,
            ErrorKind kind,
            String message,
            LimitCause cause,
            long retryAfterMicros,
            LimitSnapshot limits) {
        HttpServerResponse resp = req.response();
        if (resp.closed() || resp.ended()) {
            return;
        }
        resp.setStatusCode(status(kind));
        resp.putHeader("content-type", Rendering.JSON);
        commonHeaders(resp);
        errorHeaders(resp, kind);
        if (limits != null) {
            limitHeaders(resp, limits);
        }
        if (kind == ErrorKind.RATE_LIMITED) {
            retryHeaders(resp, retryAfterMicros);
        }
        resp.end(errorBody(kind, message, cause, retryAfterMicros));
    }

    /** Whole seconds, rounded up, at least 1: the {@code retry-after} header value. */
    static long retryAfterSeconds(long micros) {
        return Math.max(1, (micros + 999_999) / 1_000_000);
    }

    /** A positive integer field; null if absent; -1 if present but not a positive integer. */
    static Long positiveLong(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return node.isIntegralNumber() && node.canConvertToLong() && node.longValue() > 0 ? node.longValue() : -1L;
    }
}
