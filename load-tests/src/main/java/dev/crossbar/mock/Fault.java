package dev.crossbar.mock;

/** What the mock does wrong to one request, chosen by a {@link FaultSchedule}. */
public enum Fault {
    NONE("none"),
    /** 500 in the provider's error shape. */
    SERVER_ERROR("serverError"),
    /** Anthropic 529 overloaded_error; OpenAI 503; Gemini 503 UNAVAILABLE. */
    OVERLOADED("overloaded"),
    /** 429 with the plan's retry-after, counted as cause {@code injected}, not as over-limit. */
    RATE_LIMITED("rateLimited"),
    /** Streams: the connection closes after a few chunks. Plain: it closes before any response. */
    DROP("drop"),
    /** 200 with a body that is not JSON (streams: one event whose data is not JSON). */
    GARBAGE("garbage"),
    /** Plain: Content-Length of the full body, half of it, then close. Streams: half the bytes, cut
     * mid-event, then a clean end with no terminator. */
    TRUNCATE("truncate"),
    /** 200, a first chunk (plain: the first bytes), then nothing until the client gives up. */
    STALL("stall"),
    /** The provider's bad-key answer for a key listed in {@code revokedKeys}. */
    REVOKED("revoked"),
    /** The provider's no-money answer for a key listed in {@code noCreditKeys}. */
    NO_CREDIT("noCredit");

    private final String jsonName;

    Fault(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name used in stats JSON. */
    public String jsonName() {
        return jsonName;
    }

    boolean isErrorReply() {
        return this == SERVER_ERROR || this == OVERLOADED || this == RATE_LIMITED;
    }
}
