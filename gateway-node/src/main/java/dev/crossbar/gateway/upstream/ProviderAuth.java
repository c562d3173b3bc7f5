package dev.crossbar.gateway.upstream;

import io.vertx.core.Future;
import io.vertx.core.http.RequestOptions;

/** How a provider's requests carry a key: a header put on at once, or a bearer token fetched for the key. */
public interface ProviderAuth {

    /**
     * Puts {@code key}'s credential on {@code options}, the request that will carry {@code body} (a signature covers
     * it). Fails with a {@link dev.crossbar.gateway.upstream.auth.CredentialException} when no credential could be
     * had; completes on the caller's context.
     */
    Future<RequestOptions> authenticate(RequestOptions options, ProviderKey key, byte[] body);

    /**
     * The provider answered 401 to a request this authenticated for {@code key}: a cached token is dropped. True
     * when {@code sent} carried an access token, which a new one may replace.
     */
    default boolean refused(RequestOptions sent, ProviderKey key) {
        return false;
    }
}
