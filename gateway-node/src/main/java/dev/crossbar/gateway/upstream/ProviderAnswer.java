package dev.crossbar.gateway.upstream;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.jspecify.annotations.Nullable;

/**
 * A provider's answer, on its call's event loop: its head at once, its body as it comes. Nothing of the body is lost
 * before its handlers are set, and nothing is delivered while it is paused.
 */
public interface ProviderAnswer {

    int statusCode();

    MultiMap headers();

    /** Each piece of the body as it comes. */
    ProviderAnswer handler(@Nullable Handler<Buffer> handler);

    /** The body ended whole. */
    ProviderAnswer endHandler(@Nullable Handler<Void> handler);

    /** The body broke off: the connection failed, or the call was cut off. */
    ProviderAnswer exceptionHandler(@Nullable Handler<Throwable> handler);

    /** Stops delivering the body (and reading it from the provider) until {@link #resume}. */
    ProviderAnswer pause();

    ProviderAnswer resume();

    /** Cuts the call off; nothing is delivered after. */
    void reset();
}
