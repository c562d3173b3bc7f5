package dev.crossbar.gateway.upstream.azure;

import dev.crossbar.gateway.upstream.ProviderAuth;
import dev.crossbar.gateway.upstream.ProviderKey;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;

/** An Azure resource key, sent in Azure's own {@code api-key} header. */
public final class AzureKeyHeader implements ProviderAuth {

    private static final CharSequence API_KEY = HttpHeaders.createOptimized("api-key");

    @Override
    public Future<RequestOptions> authenticate(RequestOptions options, ProviderKey key, byte[] body) {
        return Future.succeededFuture(options.putHeader(API_KEY, key.secret()));
    }
}
