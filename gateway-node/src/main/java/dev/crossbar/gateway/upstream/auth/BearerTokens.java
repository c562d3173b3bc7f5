package dev.crossbar.gateway.upstream.auth;

import dev.crossbar.gateway.upstream.ProviderAuth;
import dev.crossbar.gateway.upstream.ProviderKey;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** Each key's credential exchanged for a bearer token, one {@link CachedToken} per key. */
public final class BearerTokens implements ProviderAuth {

    private static final String BEARER = "Bearer ";

    private final Function<ProviderKey, TokenSource> sources;
    private final Clock clock;
    private final Map<ProviderKey, CachedToken> tokens = new ConcurrentHashMap<>();

    /** {@code sources} makes the token source of a key; it may throw a {@link CredentialException}. */
    public BearerTokens(Function<ProviderKey, TokenSource> sources, Clock clock) {
        this.sources = sources;
        this.clock = clock;
    }

    @Override
    public Future<RequestOptions> authenticate(RequestOptions options, ProviderKey key, byte[] body) {
        CachedToken token;
        try {
            token = tokens.computeIfAbsent(key, k -> new CachedToken(sources.apply(k), clock, k.id()));
        } catch (CredentialException e) {
            return Future.failedFuture(e);
        }
        return token.get().map(value -> options.putHeader(HttpHeaders.AUTHORIZATION, BEARER + value));
    }

    @Override
    public boolean refused(RequestOptions sent, ProviderKey key) {
        CachedToken token = tokens.get(key);
        String auth = sent == null || sent.getHeaders() == null
                ? null
                : sent.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (token == null || auth == null || !auth.startsWith(BEARER)) {
            return false;
        }
        token.refused(auth.substring(BEARER.length()));
        return true;
    }
}
