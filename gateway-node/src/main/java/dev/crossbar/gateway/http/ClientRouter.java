package dev.crossbar.gateway.http;

import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.spi.ClientCodec;
import dev.crossbar.codecs.spi.ClientRoute;
import dev.crossbar.gateway.proxy.ClientRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Which client protocol a request speaks, from its method and path (no regex): built from the client codecs'
 * own descriptions of how their clients call ({@link ClientCodec#inbound}), so a new protocol brings its
 * routes with its codec. Immutable; shared by every event loop.
 */
public final class ClientRouter {

    /** What a request asks of the gateway. */
    public sealed interface Match permits Call, ModelList, Unknown {
        /** The client protocol whose shape the answer takes. */
        ClientCodec codec();
    }

    /** A call to serve. */
    public record Call(ClientRequest request) implements Match {
        @Override
        public ClientCodec codec() {
            return request.codec();
        }
    }

    /** The model list, in {@code codec}'s shape. */
    public record ModelList(ClientCodec codec) implements Match {}

    /** Not a route of a client protocol; {@code error} is the 404 to answer in {@code codec}'s shape. */
    public record Unknown(ClientCodec codec, ApiError error) implements Match {}

    private record PathMethods(ClientCodec codec, String prefix, Map<String, ClientRoute> byMethod) {}

    private final Map<String, Call> fixed = new HashMap<>();
    private final List<PathMethods> modelInPath = new ArrayList<>();
    private final Map<String, List<ClientCodec>> modelLists = new HashMap<>();
    /** The protocol whose error shape a stray path gets, by the path's first segment ("v1", "v1beta"). */
    private final Map<String, ClientCodec> bySegment = new HashMap<>();

    private final ClientCodec fallback;

    /** @param codecs the client protocols, the first one's shape for paths no protocol claims */
    public ClientRouter(List<ClientCodec> codecs) {
        if (codecs.isEmpty()) {
            throw new IllegalArgumentException("at least one client protocol is needed");
        }
        this.fallback = codecs.get(0);
        Map<String, PathMethods> prefixes = new LinkedHashMap<>();
        for (ClientCodec codec : codecs) {
            for (ClientRoute route : codec.inbound().routes()) {
                bySegment.putIfAbsent(firstSegment(route.path()), codec);
                if (route.modelInPath()) {
                    prefixes.computeIfAbsent(route.path(), p -> new PathMethods(codec, p, new LinkedHashMap<>()))
                            .byMethod()
                            .put(route.method(), route);
                } else if (fixed.putIfAbsent(
                                route.path(), new Call(new ClientRequest(codec, route.endpoint(), null, false)))
                        != null) {
                    throw new IllegalArgumentException("two client protocols claim " + route.path());
                }
            }
            modelLists
                    .computeIfAbsent(codec.inbound().modelListPath(), p -> new ArrayList<>())
                    .add(codec);
        }
        modelInPath.addAll(prefixes.values());
    }

    /**
     * What a request with this method and path asks for.
     *
     * @param method    the HTTP method: clients POST calls and GET the model list
     * @param hasHeader whether the request carries a header
     */
    public Match match(String method, String path, Predicate<String> hasHeader) {
        if (method.equals("POST")) {
            Call call = fixed.get(path);
            if (call != null) {
                return call;
            }
            for (PathMethods p : modelInPath) {
                if (path.startsWith(p.prefix())) {
                    return modelInPath(p, path.substring(p.prefix().length()));
                }
            }
        } else if (method.equals("GET")) {
            List<ClientCodec> listing = modelLists.get(path);
            if (listing != null) {
                return new ModelList(chooseList(listing, hasHeader));
            }
        }
        return new Unknown(
                bySegment.getOrDefault(firstSegment(path), fallback),
                ApiError.of(ErrorKind.NOT_FOUND, method + " " + path + " is not a route of this gateway"));
    }

    /** {@code {model}:{method}}: the method decides the call. */
    private static Match modelInPath(PathMethods p, String modelAndMethod) {
        int colon = modelAndMethod.lastIndexOf(':');
        String method = colon < 0 ? "" : modelAndMethod.substring(colon + 1);
        String model = colon < 0 ? modelAndMethod : modelAndMethod.substring(0, colon);
        ClientRoute route = p.byMethod().get(method);
        if (route == null) {
            return new Unknown(
                    p.codec(),
                    ApiError.of(
                            ErrorKind.NOT_FOUND,
                            "method '" + method + "' is not supported; use "
                                    + String.join(" or ", p.byMethod().keySet())));
        }
        return new Call(new ClientRequest(p.codec(), route.endpoint(), model, route.stream()));
    }

    /** Several protocols list models on one path: the one whose marker header the request carries, else the first unmarked. */
    private static ClientCodec chooseList(List<ClientCodec> listing, Predicate<String> hasHeader) {
        ClientCodec unmarked = null;
        for (ClientCodec codec : listing) {
            String marker = codec.inbound().modelListHeader();
            if (marker != null && hasHeader.test(marker)) {
                return codec;
            }
            if (marker == null && unmarked == null) {
                unmarked = codec;
            }
        }
        return unmarked != null ? unmarked : listing.get(0);
    }

    private static String firstSegment(String path) {
        int start = path.startsWith("/") ? 1 : 0;
        int end = path.indexOf('/', start);
        return end < 0 ? path.substring(start) : path.substring(start, end);
    }
}
