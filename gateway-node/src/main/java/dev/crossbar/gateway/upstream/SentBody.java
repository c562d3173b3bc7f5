package dev.crossbar.gateway.upstream;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * A body on its way upstream as a buffer over its own array, not a copy of it ({@code Buffer.buffer(byte[])} copies):
 * a request body is never changed once built (a changed body is a new array), and a retry sends the same array
 * again. One body-sized array less per call; Vert.x's public API has no wrapping factory, hence its internal one.
 */
final class SentBody {

    private SentBody() {}

    static Buffer of(byte[] body) {
        return BufferInternal.buffer(Unpooled.wrappedBuffer(body));
    }
}
