package dev.crossbar.bench.load;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One request the load generator sends, built once and sent many times.
 *
 * @param expect text the answer's body must hold for the answer to count as complete ({@link
 *     LoadGenerator.Answer#complete()}), e.g. a stream's {@code data: [DONE]}; empty: any answer that ends
 *     is complete
 */
@SuppressWarnings("ArrayRecordComponent") // built once, sent many times: never compared, hashed or copied
public record LoadRequest(HttpMethod method, String path, Map<String, String> headers, byte[] body, String expect) {

    public LoadRequest {
        Objects.requireNonNull(method, "method");
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/', was " + path);
        }
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body.clone();
        Objects.requireNonNull(expect, "expect");
    }

    /** A JSON POST; {@code headerPairs} are name, value, name, value, ... */
    public static LoadRequest postJson(String path, String json, String... headerPairs) {
        if (headerPairs.length % 2 != 0) {
            throw new IllegalArgumentException("header names and values come in pairs, got " + headerPairs.length);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.put(headerPairs[i], headerPairs[i + 1]);
        }
        return new LoadRequest(HttpMethod.POST, path, headers, json.getBytes(StandardCharsets.UTF_8), "");
    }

    public static LoadRequest get(String path) {
        return new LoadRequest(HttpMethod.GET, path, Map.of(), null, "");
    }

    /** This request, its answer complete only when the body holds {@code text}. */
    public LoadRequest expecting(String text) {
        return new LoadRequest(method, path, headers, body, text);
    }

    RequestOptions options(long timeoutMillis) {
        RequestOptions o = new RequestOptions().setMethod(method).setURI(path).setIdleTimeout(timeoutMillis);
        headers.forEach(o::putHeader);
        return o;
    }

    Buffer buffer() {
        return Buffer.buffer(body);
    }
}
