package dev.crossbar.gateway.proxy;

import dev.crossbar.codecs.spi.ClientCodec;
import dev.crossbar.codecs.spi.Endpoint;
import dev.crossbar.codecs.spi.Protocol;
import dev.crossbar.codecs.spi.RequestFacts;
import dev.crossbar.gateway.auth.ClientKey;
import dev.crossbar.gateway.routing.ModelRoutes;
import dev.crossbar.gateway.routing.Target;
import java.util.Collections;
import java.util.List;

/**
 * One client request as intake read it, handed to every later phase: who asks, what, for which model, where it
 * may go, and the body as sent. Immutable (the body's bytes are never written to).
 *
 * @param asked           the protocol, endpoint and what the path names
 * @param route           the model the client asked for, resolved
 * @param targets         the route's targets that serve the endpoint, preferred first
 * @param body            the client's bytes
 * @param facts           what routing, limits and accounting read of them
 * @param fields          the names of the body's top-level members, in order (what the field policy judges)
 * @param estimatedTokens what the call is charged up front: the body's bytes / 4 plus the output allowance
 * @param deadlineNanos   when the call must have found a provider that answers
 */
@SuppressWarnings("ArrayRecordComponent") // the client's bytes, never written to, compared, hashed or printed
record Call(
        String requestId,
        ClientRequest asked,
        ClientKey clientKey,
        ModelRoutes.Route route,
        List<Target> targets,
        byte[] body,
        RequestFacts facts,
        List<String> fields,
        long estimatedTokens,
        long startNanos,
        long deadlineNanos) {

    Call {
        targets = List.copyOf(targets);
        fields = Collections.unmodifiableList(fields); // the body's TopLevel names already are: not copied again
    }

    ClientCodec codec() {
        return asked.codec();
    }

    Protocol protocol() {
        return asked.codec().protocol();
    }

    Endpoint endpoint() {
        return asked.endpoint();
    }

    /** True when the body goes to {@code target} as the client sent it: the same protocol, or an endpoint only forwarded. */
    boolean passesThrough(Target target) {
        return asked.endpoint().forwardsOnly() || target.upstream().protocol() == protocol();
    }

    /** The estimate's share for the prompt. */
    long inputEstimate() {
        return (body.length + 3L) / 4;
    }

    /** The output the client reserved, or 0 when it set no limit. */
    int reservedOutput() {
        return facts.maxTokens() == null ? 0 : facts.maxTokens();
    }
}
