package dev.crossbar.codecs.spi;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How clients of a protocol reach a gateway: the paths they call, where they put the key, and where they list
 * models. Data for the gateway's HTTP server, which does the HTTP (this module does none).
 *
 * @param routes          the paths clients POST to
 * @param key             where the key goes
 * @param modelListPath   the path clients GET the model list from
 * @param modelListHeader a request header that tells this protocol's model list request from another's on
 *                        the same path (Anthropic's {@code anthropic-version}), or null
 */
public record Inbound(
        List<ClientRoute> routes,
        KeyPlaces key,
        String modelListPath,
        @Nullable String modelListHeader) {

    public Inbound {
        routes = List.copyOf(routes);
    }
}
