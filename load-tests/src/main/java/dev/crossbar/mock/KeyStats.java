package dev.crossbar.mock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The counters of one key since start or the last reset.
 *
 * @param served 2xx responses begun (including injected stream faults, which start with 200)
 * @param tokensCharged tokens taken from the token bucket by admitted requests, net of refunds
 * @param rateLimitedByCause 429s by cause; {@code injected} ones are not over-limit
 * @param injectedFaults every injected fault, of any kind
 * @param injectedByKind injected faults by {@link Fault#jsonName()}
 * @param peakConcurrency most requests in flight at once
 * @param inFlight requests in flight now
 * @param unauthorized 401s: wrong protocol or revoked
 * @param badRequests 400s
 */
public record KeyStats(
        String provider,
        long served,
        long tokensCharged,
        Map<LimitCause, Long> rateLimitedByCause,
        long injectedFaults,
        Map<Fault, Long> injectedByKind,
        int peakConcurrency,
        int inFlight,
        long unauthorized,
        long badRequests) {

    public KeyStats {
        rateLimitedByCause = Map.copyOf(rateLimitedByCause);
        injectedByKind = Map.copyOf(injectedByKind);
    }

    /** 429s for going over a limit: requests + tokens + concurrency, never injected ones. */
    public long rateLimited() {
        return rateLimited(LimitCause.REQUESTS) + rateLimited(LimitCause.TOKENS) + rateLimited(LimitCause.CONCURRENCY);
    }

    public long rateLimited(LimitCause cause) {
        return rateLimitedByCause.getOrDefault(cause, 0L);
    }

    public long injected(Fault kind) {
        return injectedByKind.getOrDefault(kind, 0L);
    }

    ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put("provider", provider);
        n.put("served", served);
        n.put("tokensCharged", tokensCharged);
        n.put("rateLimited", rateLimited());
        ObjectNode causes = n.putObject("rateLimitedByCause");
        for (LimitCause c : LimitCause.values()) {
            causes.put(c.jsonName(), rateLimited(c));
        }
        n.put("injectedFaults", injectedFaults);
        ObjectNode kinds = n.putObject("injectedByKind");
        for (Fault f : Fault.values()) {
            if (f != Fault.NONE) {
                kinds.put(f.jsonName(), injected(f));
            }
        }
        n.put("peakConcurrency", peakConcurrency);
        n.put("inFlight", inFlight);
        n.put("unauthorized", unauthorized);
        n.put("badRequests", badRequests);
        return n;
    }
}
