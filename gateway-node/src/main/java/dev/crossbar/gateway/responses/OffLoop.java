package dev.crossbar.gateway.responses;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;

/**
 * Where the Responses state's store calls run: a cluster map answers over the network, so they never run on an
 * event loop (they would stall every connection of that loop while a member answers).
 */
public interface OffLoop {

    /** {@code work}'s result, computed away from the caller's event loop. */
    <T> Future<T> run(Callable<T> work);

    /** On Vert.x's worker pool, unordered: requests do not wait for each other's store calls. */
    static OffLoop workers(Vertx vertx) {
        return new OffLoop() {
            @Override
            public <T> Future<T> run(Callable<T> work) {
                return vertx.executeBlocking(work, false);
            }
        };
    }
}
