package dev.crossbar.mock;

/** Why a request got a 429. */
public enum LimitCause {
    REQUESTS("requests"),
    TOKENS("tokens"),
    CONCURRENCY("concurrency"),
    /** A fault plan's injected 429; not an over-limit request. */
    INJECTED("injected");

    private final String jsonName;

    LimitCause(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }
}
