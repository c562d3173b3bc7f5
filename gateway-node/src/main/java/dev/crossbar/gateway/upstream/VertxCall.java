package dev.crossbar.gateway.upstream;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import org.jspecify.annotations.Nullable;

/**
 * A call through Vert.x's HTTP client and its pool: for providers over TLS, whose one HTTP/2 connection carries many
 * calls, and those that decline HTTP/2. Plain-HTTP providers have {@link Http1Pool}.
 */
final class VertxCall implements ProviderCall {

    private final Promise<ProviderAnswer> answer = Promise.promise();
    private @Nullable HttpClientRequest request;
    private @Nullable Throwable resetBeforeSent;

    private VertxCall() {}

    static ProviderCall send(HttpClient client, RequestOptions options, byte[] body) {
        VertxCall call = new VertxCall();
        client.request(options).onComplete(made -> {
            if (made.failed()) {
                call.answer.tryFail(made.cause());
                return;
            }
            HttpClientRequest request = made.result();
            Throwable reset = call.resetBeforeSent;
            if (reset != null) {
                request.reset(0, reset);
                return;
            }
            call.request = request;
            request.send(SentBody.of(body)).onComplete(head -> {
                if (head.succeeded()) {
                    call.answer.tryComplete(new Answer(head.result()));
                } else {
                    call.answer.tryFail(head.cause());
                }
            });
        });
        return call;
    }

    @Override
    public Future<ProviderAnswer> answer() {
        return answer.future();
    }

    @Override
    public boolean sent() {
        return request != null;
    }

    @Override
    public void reset(Throwable cause) {
        HttpClientRequest sent = request;
        if (sent != null) {
            sent.reset(0, cause);
        } else {
            resetBeforeSent = cause;
            answer.tryFail(cause);
        }
    }

    /** Vert.x's answer as it is. */
    private record Answer(HttpClientResponse response) implements ProviderAnswer {

        @Override
        public int statusCode() {
            return response.statusCode();
        }

        @Override
        public MultiMap headers() {
            return response.headers();
        }

        @Override
        public ProviderAnswer handler(@Nullable Handler<Buffer> handler) {
            response.handler(handler);
            return this;
        }

        @Override
        public ProviderAnswer endHandler(@Nullable Handler<Void> handler) {
            response.endHandler(handler);
            return this;
        }

        @Override
        public ProviderAnswer exceptionHandler(@Nullable Handler<Throwable> handler) {
            response.exceptionHandler(handler);
            return this;
        }

        @Override
        public ProviderAnswer pause() {
            response.pause();
            return this;
        }

        @Override
        public ProviderAnswer resume() {
            response.resume();
            return this;
        }

        @Override
        public void reset() {
            var unused = response.request().reset();
        }
    }
}
