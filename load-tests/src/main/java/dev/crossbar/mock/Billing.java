package dev.crossbar.mock;

import java.util.Locale;

/** How the mock charges a call's tokens to its key's token bucket. */
public enum Billing {
    /**
     * All at admission: the input tokens plus the requested max tokens, or plus the reply's own length when
     * the request sets no max (replies are deterministic, so it is known). The default.
     */
    UPFRONT,
    /**
     * As a provider that meters generation: admission takes the input tokens plus the requested max tokens
     * (none when unset) and needs room for them; when the answer ends, finished or cut, the charge becomes the
     * input plus the output tokens actually sent. An unused max is refunded; output beyond what was taken is
     * charged even past the bucket's level, which then stays below zero (later calls wait) until it refills.
     */
    PRODUCED;

    String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Billing fromJson(String value) {
        for (Billing b : values()) {
            if (b.jsonName().equals(value)) {
                return b;
            }
        }
        throw new IllegalArgumentException("billing must be upfront or produced, was \"" + value + "\"");
    }
}
