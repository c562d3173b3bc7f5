package dev.crossbar.gateway.http;

import dev.crossbar.codecs.spi.Protocol;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/** Finds the gateway key a client sent, in the header its own protocol uses for provider keys. */
public final class ClientCredentials {

    private ClientCredentials() {}

    public static String presented(HttpServerRequest request, Protocol protocol) {
        return switch (protocol) {
            case ANTHROPIC -> first(request.getHeader("x-api-key"), bearer(request));
            case GEMINI -> first(request.getHeader("x-goog-api-key"), request.getParam("key"), bearer(request));
            default -> bearer(request);
        };
    }

    private static String bearer(HttpServerRequest request) {
        String auth = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).trim();
        }
        return null;
    }

    private static String first(String... candidates) {
        for (String c : candidates) {
            if (c != null && !c.isEmpty()) {
                return c;
            }
        }
        return null;
    }
}
