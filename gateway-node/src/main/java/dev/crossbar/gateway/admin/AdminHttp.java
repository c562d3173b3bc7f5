package dev.crossbar.gateway.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crossbar.cluster.ledger.KeyLimits;
import dev.crossbar.gateway.config.DurationText;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every admin API handler shares: reading and checking JSON bodies, and answering JSON or errors. */
final class AdminHttp {

    private static final Logger LOG = LoggerFactory.getLogger(AdminHttp.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Duration MIN_WINDOW = Duration.ofSeconds(1);
    private static final Duration MAX_WINDOW = Duration.ofDays(1);
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private AdminHttp() {}

    static JsonNode object(Buffer body, boolean required) {
        if (body.length() == 0 && required) {
            throw new BadRequest("the body must be a JSON object");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body.getBytes());
        } catch (JsonProcessingException e) {
            throw new BadRequest("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new BadRequest("the body could not be read");
        }
        if (root == null || !root.isObject()) {
            throw new BadRequest("the body must be a JSON object");
        }
        return root;
    }

    static String text(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            throw new BadRequest(field + " is required");
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new BadRequest(field + " must be a non-empty string");
        }
        return v.asText();
    }

    static long whole(JsonNode root, String field, long min, long max, String note) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return min;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new BadRequest(field + " must be a whole number, was " + v);
        }
        long n = v.asLong();
        if (n < min || n > max) {
            throw new BadRequest(field + " must be "
                    + (max == Long.MAX_VALUE || max == Integer.MAX_VALUE
                            ? ">= " + min
                            : "between " + min + " and " + max)
                    + (note.isEmpty() ? "" : " " + note)
                    + ", was " + n);
        }
        return n;
    }

    /** Refuses a member the object does not know, so a typo does not pass silently. */
    static void onlyFields(JsonNode root, Set<String> fields, String what) {
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!fields.contains(name)) {
                throw new BadRequest("unknown field '" + name + "'; " + what + " has " + new TreeSet<>(fields));
            }
        }
    }

    /** An id or name: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit. */
    static String identifier(JsonNode root, String field) {
        String value = text(root, field);
        if (!IDENTIFIER.matcher(value).matches()) {
            throw new BadRequest(field + " must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter "
                    + "or digit, was '" + value + "'");
        }
        return value;
    }

    /** The requests, tokens and concurrent limits (0 or absent = unlimited) and their window. */
    static KeyLimits limits(JsonNode root) {
        return new KeyLimits(
                whole(root, "requests", 0, Long.MAX_VALUE, "(0 = unlimited)"),
                whole(root, "tokens", 0, Long.MAX_VALUE, "(0 = unlimited)"),
                (int) whole(root, "concurrent", 0, Integer.MAX_VALUE, "(0 = unlimited)"),
                window(root).toMillis());
    }

    /** A limit's window: a duration such as "60s", or bare milliseconds; one minute when absent. */
    static Duration window(JsonNode root) {
        Duration window = Duration.ofMillis(KeyLimits.DEFAULT_WINDOW_MILLIS);
        JsonNode w = root.get("window");
        if (w != null && !w.isNull()) {
            if (w.isTextual()) {
                try {
                    window = DurationText.parse(w.asText());
                } catch (IllegalArgumentException e) {
                    throw new BadRequest("window: " + e.getMessage());
                }
            } else if (w.isIntegralNumber()) {
                window = Duration.ofMillis(w.asLong());
            } else {
                throw new BadRequest("window must be a duration such as \"60s\" or \"1m\", was " + w);
            }
            if (window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0) {
                throw new BadRequest("window must be between 1s and 24h (bare numbers are milliseconds), was "
                        + DurationText.format(window));
            }
        }
        return window;
    }

    static Future<Buffer> body(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > MAX_BODY_BYTES) {
                    return Future.failedFuture(new TooLarge());
                }
            } catch (NumberFormatException e) {
                return Future.failedFuture(new BadRequest("content-length is not a number"));
            }
        }
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_BODY_BYTES) {
                promise.tryFail(new TooLarge());
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.exceptionHandler(promise::tryFail);
        request.endHandler(v -> promise.tryComplete(body));
        return promise.future();
    }

    static void bodyFailed(HttpServerResponse response, Throwable err) {
        if (err instanceof TooLarge) {
            error(response, 413, "invalid_request_error", "the body is larger than " + MAX_BODY_BYTES + " bytes");
        } else if (err instanceof BadRequest) {
            error(response, 400, "invalid_request_error", err.getMessage());
        } else {
            LOG.debug("admin API: could not read a request body: {}", err.toString());
            if (!response.ended() && !response.closed()) {
                error(response, 400, "invalid_request_error", "the body could not be read");
            }
        }
    }

    static void failed(HttpServerResponse response, String what, Throwable err) {
        LOG.warn("admin API: could not {}: {}", what, err.toString());
        error(response, 503, "api_error", "could not " + what + " now: the cluster did not answer; try again");
    }

    static boolean allow(HttpServerRequest request, String methods) {
        for (String m : methods.split(",\\s*", -1)) {
            if (request.method().name().equals(m)) {
                return true;
            }
        }
        request.response().putHeader(HttpHeaders.ALLOW, methods);
        error(
                request.response(),
                405,
                "invalid_request_error",
                request.method() + " is not allowed on " + request.path() + "; use " + methods);
        return false;
    }

    static void notFound(HttpServerRequest request) {
        error(
                request.response(),
                404,
                "not_found_error",
                request.method() + " " + request.path() + " is not an admin API route; see docs/operations.md");
    }

    static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    static void error(HttpServerResponse response, int status, String type, @Nullable String message) {
        send(response, status, Views.Error.of(type, message));
    }

    static void send(HttpServerResponse response, int status, Object body) {
        if (response.ended() || response.closed()) {
            return;
        }
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            status = 500;
            bytes = "{\"error\":{\"message\":\"could not render the answer\",\"type\":\"api_error\"}}"
                    .getBytes(StandardCharsets.UTF_8);
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(Buffer.buffer(bytes));
    }

    /** A request the API refuses with 400; the message names the field. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    /** A change the API refuses with 409. */
    static final class Conflict extends RuntimeException {
        Conflict(String message) {
            super(message, null, false, false);
        }
    }

    static final class TooLarge extends RuntimeException {
        TooLarge() {
            super("too large", null, false, false);
        }
    }
}
