package dev.crossbar.mock;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Real HTTP to a mock on 127.0.0.1, blocking the test thread (never an event loop) with a deadline. */
final class MockClient implements AutoCloseable {

    static final long TIMEOUT_SECONDS = 10;

    /** A response read to its end, or as far as it got before the connection failed. */
    record Response(int status, MultiMap headers, String body, Throwable failure) {

        JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        List<Sse.Event> events() {
            return Sse.parse(body);
        }

        String header(String name) {
            return headers.get(name);
        }
    }

    private final HttpClientAgent client;
    private final Vertx vertx;
    private final int port;

    MockClient(Vertx vertx, int port) {
        this.vertx = vertx;
        this.port = port;
        this.client = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(32));
    }

    Response post(String path, Map<String, String> headers, String body) {
        return await(send(HttpMethod.POST, path, headers, body));
    }

    Response get(String path, Map<String, String> headers) {
        return await(send(HttpMethod.GET, path, headers, null));
    }

    /**
     * Sends and collects the body chunk by chunk, so a dropped connection keeps what arrived. The chain runs
     * on an event loop: built from the test thread, a step could run after the response had already ended
     * and miss its body (the cause of a flaky FaultInjectionTest).
     */
    Future<Response> send(HttpMethod method, String path, Map<String, String> headers, String body) {
        RequestOptions options = new RequestOptions()
                .setMethod(method)
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI(path);
        headers.forEach(options::putHeader);
        Promise<Response> result = Promise.promise();
        vertx.getOrCreateContext()
                .runOnContext(v -> client.request(options)
                        .compose(req -> {
                            if (body != null) {
                                req.putHeader("content-type", "application/json");
                            }
                            // Collect on the send future itself: one hop later, a short response may have ended already
                            // (its handler then throws "response has already been ended" and the body is lost).
                            return (body == null ? req.send() : req.send(body)).compose(this::collect);
                        })
                        .onComplete(result));
        return result.future();
    }

    private Future<Response> collect(HttpClientResponse resp) {
        Promise<Response> done = Promise.promise();
        StringBuilder sb = new StringBuilder();
        resp.handler(buf -> sb.append(buf.toString()));
        resp.exceptionHandler(e -> done.tryComplete(new Response(resp.statusCode(), resp.headers(), sb.toString(), e)));
        resp.endHandler(v -> done.tryComplete(new Response(resp.statusCode(), resp.headers(), sb.toString(), null)));
        return done.future();
    }

    /** Sends, waits for the first body bytes, then closes the connection; returns those bytes. */
    String firstChunkThenClose(String path, Map<String, String> headers, String body) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI(path);
        headers.forEach(options::putHeader);
        Promise<String> first = Promise.promise();
        client.request(options)
                .compose(req -> req.send(body)
                        .onSuccess(resp -> resp.handler(buf -> {
                            if (first.tryComplete(buf.toString())) {
                                req.connection().close();
                            }
                        })))
                .onFailure(first::tryFail);
        return await(first.future());
    }

    static <T> T await(Future<T> future) {
        try {
            return future.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no answer within " + TIMEOUT_SECONDS + " s", e);
        }
    }

    /** Polls {@code condition} until it holds or the deadline passes; no fixed sleep. */
    static void waitUntil(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(TIMEOUT_SECONDS).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(2_000_000);
        }
    }

    @Override
    public void close() {
        await(client.close());
    }
}
