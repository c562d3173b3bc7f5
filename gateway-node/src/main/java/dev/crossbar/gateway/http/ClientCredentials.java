package dev.crossbar.gateway.http;

import dev.crossbar.codecs.spi.KeyPlaces;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import org.jspecify.annotations.Nullable;

/** Finds the gateway key a client sent, where its own protocol puts provider keys. */
public final class ClientCredentials {

    private ClientCredentials() {}

    /** The key, or null when the request carries none. */
    public static @Nullable String presented(HttpServerRequest request, KeyPlaces places) {
        for (String header : places.headers()) {
            String value = request.getHeader(header);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        if (places.queryParameter() != null) {
            String value = request.getParam(places.queryParameter());
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return places.bearer() ? bearer(request) : null;
    }

    private static @Nullable String bearer(HttpServerRequest request) {
        String auth = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String key = auth.substring(7).trim();
            return key.isEmpty() ? null : key;
        }
        return null;
    }
}
