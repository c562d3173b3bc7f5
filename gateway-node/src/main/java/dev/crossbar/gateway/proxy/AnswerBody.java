package dev.crossbar.gateway.proxy;

import dev.crossbar.gateway.upstream.ProviderAnswer;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import org.jspecify.annotations.Nullable;

/**
 * The whole body of an upstream answer, without a buffer that grows from empty for every answer (Vert.x's {@code
 * body()} copied each answer once more that way: 3.8% of the node's allocation in a profile of the plain path,
 * docs/benchmarks.md). Most answers come in one chunk, and that chunk, already the connection's own copy, is the body;
 * only an answer in several chunks is gathered.
 */
final class AnswerBody implements Handler<Buffer> {

    private final Promise<Buffer> done = Promise.promise();
    private @Nullable Buffer first;
    private @Nullable Buffer gathered;

    private AnswerBody() {}

    /** The body once the answer ends; failed if the answer breaks off or the call is reset. */
    static Future<Buffer> read(ProviderAnswer response) {
        AnswerBody body = new AnswerBody();
        response.handler(body);
        response.exceptionHandler(body.done::tryFail);
        response.endHandler(end -> body.done.tryComplete(body.whole()));
        return body.done.future();
    }

    @Override
    public void handle(Buffer chunk) {
        if (first == null) {
            first = chunk;
        } else if (gathered == null) {
            gathered = Buffer.buffer(first.length() + chunk.length() * 2)
                    .appendBuffer(first)
                    .appendBuffer(chunk);
        } else {
            gathered.appendBuffer(chunk);
        }
    }

    private Buffer whole() {
        if (gathered != null) {
            return gathered;
        }
        return first != null ? first : Buffer.buffer(0);
    }
}
