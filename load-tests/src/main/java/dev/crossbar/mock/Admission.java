package dev.crossbar.mock;

/** A key's answer to one request: let it in, or a 429 with when to retry. */
sealed interface Admission permits Admission.Granted, Admission.Denied {

    LimitSnapshot limits();

    /** Admitted; the lease holds the concurrency slot and can give back the charge. */
    record Granted(Lease lease, LimitSnapshot limits) implements Admission {}

    /** Over a limit; {@code retryAfterMicros} is when the buckets will hold enough. */
    record Denied(LimitCause cause, long retryAfterMicros, LimitSnapshot limits) implements Admission {}
}
