package dev.crossbar.codecs.spi;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where a client of a protocol puts the key: the gateway looks for its client key in the same places, in
 * this order, so a client keeps its provider settings and only swaps the key and the base URL.
 *
 * @param headers        headers that carry the key as is, first match wins
 * @param queryParameter a query parameter that carries it, or null
 * @param bearer         true when {@code Authorization: Bearer <key>} is accepted (after the others)
 * @param hint           how to send it, for the 401's message
 */
public record KeyPlaces(List<String> headers, @Nullable String queryParameter, boolean bearer, String hint) {

    public static final KeyPlaces BEARER = new KeyPlaces(List.of(), null, true, "'Authorization: Bearer <key>'");

    public KeyPlaces {
        headers = List.copyOf(headers);
    }
}
