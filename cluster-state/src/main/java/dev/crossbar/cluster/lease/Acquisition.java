package dev.crossbar.cluster.lease;

/** The answer to asking for capacity on a key: a {@link Permit}, or a refusal saying when to ask again. */
public sealed interface Acquisition permits Permit, Acquisition.Denied {

    /**
     * No capacity now.
     *
     * @param retryAfterMillis the soonest moment this key may have room ({@code Long.MAX_VALUE}: not
     *                         before an admin acts, or the request is larger than the key's limit)
     * @param reason           "saturated", "cooling down", "disabled", "probing", "unknown key", ...
     */
    record Denied(long retryAfterMillis, String reason) implements Acquisition {}
}
