package dev.crossbar.gateway.upstream;

import io.vertx.core.Future;

/** One call to a provider under way, on its event loop: its answer's head when it comes, and a way to cut it off. */
public interface ProviderCall {

    /** The answer's head; failed when the call could not be made, or broke off or was cut off before its head. */
    Future<ProviderAnswer> answer();

    /**
     * True once the request went to a connection: only then can the provider have seen it. A call that waits for a
     * connection of its pool has not.
     */
    boolean sent();

    /** Cuts the call off: nothing more of it is read, and its answer (or, after the head, its body) fails with cause. */
    void reset(Throwable cause);
}
